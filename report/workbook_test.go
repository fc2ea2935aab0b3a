package report

import (
	"testing"
	"time"
)

func TestExcelSerial(t *testing.T) {
	vancouver, err := time.LoadLocation("America/Vancouver")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		utc  string
		loc  *time.Location
		want float64 // Excel's day number of the local wall-clock time
	}{
		{"Excel's epoch day in UTC", "1970-01-01T00:00:00Z", time.UTC, 25569},
		{"noon UTC", "2025-10-02T12:00:00Z", time.UTC, 45932.5},
		{"Vancouver in summer time, UTC-7", "2025-10-02T19:00:00Z", vancouver, 45932.5},
		{"Vancouver in winter time, UTC-8", "2025-11-03T20:00:00Z", vancouver, 45964.5},
		{"first 01:30 of the repeated hour", "2025-11-02T08:30:00Z", vancouver, 45963 + 1.5/24},
		{"second 01:30 of the repeated hour", "2025-11-02T09:30:00Z", vancouver, 45963 + 1.5/24},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tc.utc)
			if got := excelSerial(at.Unix(), tc.loc); got != tc.want {
				t.Errorf("excelSerial(%s) = %v, want %v", tc.utc, got, tc.want)
			}
		})
	}
}
