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
			// The same, with a period remembered from a time around it.
			for _, near := range []string{"2025-01-01 00:00:00", "2025-07-01 00:00:00", tt.wall} {
				before, _ := parseLocalTime(near, DateISO)
				var p zonePeriod
				before.resolveUnix(tt.loc, &p)
				if u, n := lt.resolveUnix(tt.loc, &p); u != got.Unix() || n != note {
					t.Errorf("after %s, resolveUnix = %d %q; resolve %d %q", near, u, n, got.Unix(), note)
				}
			}
		})
	}
}

// TestResolveUnixAsResolve walks three years every 97 minutes, in zones
// with summer time, a half-hour shift, a skipped day and none: the
// remembered periods never change a time or a note.
func TestResolveUnixAsResolve(t *testing.T) {
	for _, loc := range []*time.Location{mustZone(t, "America/Vancouver"), mustZone(t, "Australia/Lord_Howe"), mustZone(t, "Pacific/Apia"), time.UTC, time.FixedZone("X", -3*3600-1800)} {
		var p zonePeriod
		for wall := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC); wall.Year() < 2013; wall = wall.Add(97 * time.Minute) {
			lt := localTime{year: wall.Year(), month: int(wall.Month()), day: wall.Day(), hour: wall.Hour(), min: wall.Minute(), sec: wall.Second()}
			want, wantNote := lt.resolve(loc)
			if got, note := lt.resolveUnix(loc, &p); got != want.Unix() || note != wantNote {
				t.Fatalf("%s in %s: resolveUnix %d %q, resolve %d %q", wall.Format(time.DateTime), loc, got, note, want.Unix(), wantNote)
			}
		}
	}
}

// TestWallUnix: the date arithmetic is time.Date's, over the years an
// export may write.
func TestWallUnix(t *testing.T) {
	for _, y := range []int{1, 2, 99, 100, 399, 400, 1582, 1899, 1900, 1969, 1970, 1999, 2000, 2024, 2025, 2100, 2400, 9999} {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 15, daysIn(y, m)} {
				lt := localTime{year: y, month: m, day: d, hour: 23, min: 59, sec: 58}
				if got, want := lt.wallUnix(), time.Date(y, time.Month(m), d, 23, 59, 58, 0, time.UTC).Unix(); got != want {
					t.Errorf("%04d-%02d-%02d: %d, want %d", y, m, d, got, want)
				}
				if next := time.Date(y, time.Month(m), d+1, 0, 0, 0, 0, time.UTC); d == daysIn(y, m) && next.Day() != 1 {
					t.Errorf("%04d-%02d has %d days, time.Date says otherwise", y, m, d)
				}
			}
		}
	}
}
