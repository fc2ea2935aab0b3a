package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseLocalTime(t *testing.T) {
	tests := []struct {
		in      string
		order   DateOrder
		want    string // "2006-01-02 15:04:05" wall time, + " s" when seconds were given
		wantErr string
	}{
		// Intercom's own form.
		{"2025-08-02 14:24:40", DateISO, "2025-08-02 14:24:40 s", ""},
		{" 2025-08-02 14:24:40 ", DateISO, "2025-08-02 14:24:40 s", ""},
		{"2025-08-02T14:24:40", DateISO, "2025-08-02 14:24:40 s", ""},
		{"2025-08-02 14:24:40.000", DateISO, "2025-08-02 14:24:40 s", ""},
		// Excel re-saves: seconds stripped, slash or dot dates in the locale.
		{"8/2/2025 14:24", DateMonthFirst, "2025-08-02 14:24:00", ""},
		{"8/2/2025 14:24", DateDayFirst, "2025-02-08 14:24:00", ""},
		{"13/2/2025 14:24", DateDayFirst, "2025-02-13 14:24:00", ""},
		{"02.08.2025 14:24:40", DateDayFirst, "2025-08-02 14:24:40 s", ""},
		{"8/2/25 14:24", DateMonthFirst, "2025-08-02 14:24:00", ""},
		{"8/2/2025 2:24 PM", DateMonthFirst, "2025-08-02 14:24:00", ""},
		{"8/2/2025 12:05 am", DateMonthFirst, "2025-08-02 00:05:00", ""},
		{"8/2/2025 12:05 PM", DateMonthFirst, "2025-08-02 12:05:00", ""},
		{"2024-02-29 00:00:00", DateISO, "2024-02-29 00:00:00 s", ""},
		{"2025-02-29 00:00:00", DateISO, "", "is not a date"},
		{"2025-13-02 14:24", DateISO, "", "is not a date"},
		{"13/2/2025 14:24", DateMonthFirst, "", "is not a date"},
		{"2025-08-00 10:00:00", DateISO, "", "is not a date"},
		{"yesterday", DateISO, "", "is not a date"},
		{"2025-08-02", DateISO, "", "has a date but no time"},
		{"2025-08-02 25:00:00", DateISO, "", "is not a time of day"},
		{"2025-08-02 10:60:00", DateISO, "", "is not a time of day"},
		{"2025-08-02 10:00:60", DateISO, "", "is not a time of day"},
		{"2025-08-02 13:00 PM", DateISO, "", "is not a time of day"},
		{"2025-08-02 10", DateISO, "", "is not a time of day"},
		{"2025-08-02 10:-1:00", DateISO, "", "is not a time of day"},
		{"-2025-08-02 10:00:00", DateISO, "", "is not a date"},
		{"", DateISO, "", "is not a date"},
		// A year no export holds; accepting it overflows the instant resolve
		// computes (292277027000 resolves to the year -292277022254).
		{"292277027000-01-01 00:00:00", DateISO, "", "is not a date"},
		{"99999-01-01 00:00:00", DateISO, "", "is not a date"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.in, tt.order), func(t *testing.T) {
			lt, err := parseLocalTime(tt.in, tt.order)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", lt.year, lt.month, lt.day, lt.hour, lt.min, lt.sec)
			if lt.hasSeconds {
				got += " s"
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseLocalTime_RFC3339(t *testing.T) {
	// A cell with its own offset ignores the header's zone.
	lt, err := parseLocalTime("2025-08-02T14:24:40-07:00", DateISO)
	if err != nil || !lt.hasOffset {
		t.Fatalf("%+v %v", lt, err)
	}
	got, note := lt.resolve(mustZone(t, "Europe/London"))
	if got.UTC().Format(time.RFC3339) != "2025-08-02T21:24:40Z" || note != "" {
		t.Errorf("resolve = %s %q", got.UTC(), note)
	}
}

func TestResolve(t *testing.T) {
	van := mustZone(t, "America/Vancouver")
	syd := mustZone(t, "Australia/Sydney")
	lhi := mustZone(t, "Australia/Lord_Howe") // half-hour DST shift
	tests := []struct {
		name string
		loc  *time.Location
		wall string
		want string // UTC
		note string // a phrase of the note, "" for none
	}{
		{"ordinary summer time", van, "2025-08-02 14:24:40", "2025-08-02T21:24:40Z", ""},
		{"ordinary winter time", van, "2025-01-15 10:00:00", "2025-01-15T18:00:00Z", ""},
		{"just before the gap", van, "2025-03-09 01:59:59", "2025-03-09T09:59:59Z", ""},
		{"first second after the gap", van, "2025-03-09 03:00:00", "2025-03-09T10:00:00Z", ""},
		// The clocks jump from 02:00 to 03:00: 02:30 is moved forward by the
		// jump, to 03:30 PDT, as resolve's comment promises, so that it
		// still sorts after 01:59:59.
		{"in the spring-forward gap", van, "2025-03-09 02:30:00", "2025-03-09T10:30:00Z", "does not exist in America/Vancouver"},
		{"in the doubled hour", van, "2025-11-02 01:30:00", "2025-11-02T08:30:00Z", "happens twice in America/Vancouver"},
		{"after the doubled hour", van, "2025-11-02 02:00:00", "2025-11-02T10:00:00Z", ""},
		{"southern hemisphere gap", syd, "2025-10-05 02:30:00", "2025-10-04T16:30:00Z", "does not exist in Australia/Sydney"},
		{"southern hemisphere doubled hour", syd, "2025-04-06 02:30:00", "2025-04-05T15:30:00Z", "happens twice in Australia/Sydney"},
		{"half-hour shift, doubled", lhi, "2025-04-06 01:45:00", "2025-04-05T14:45:00Z", "happens twice"},
		{"UTC", time.UTC, "2025-03-09 02:30:00", "2025-03-09T02:30:00Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lt, err := parseLocalTime(tt.wall, DateISO)
			if err != nil {
				t.Fatal(err)
			}
			got, note := lt.resolve(tt.loc)
			if s := got.UTC().Format(time.RFC3339); s != tt.want {
				t.Errorf("resolve(%s in %s) = %s, want %s (note %q)", tt.wall, tt.loc, s, tt.want, note)
			}
			if (tt.note == "") != (note == "") || !strings.Contains(string(note), tt.note) {
				t.Errorf("note %q, want one containing %q", note, tt.note)
			}
		})
	}
}
