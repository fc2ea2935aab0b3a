package intercom

import (
	"fmt"
	"time"
)

// MetricKind says whether a dashboard metric is a count of conversations or a
// duration.
type MetricKind uint8

// Kinds of dashboard metric.
const (
	MetricCount MetricKind = iota + 1
	MetricDuration
)

// Metrics lists the dashboard metric ids icrecon understands, in report order.
var Metrics = []struct {
	ID   string
	Kind MetricKind
}{
	{"new_inbound_conversations", MetricCount},
	{"new_conversations", MetricCount},
	{"conversations_first_replied_to", MetricCount},
	{"closed_conversations", MetricCount},
	{"reopened_conversations", MetricCount},
	{"median_first_response_time", MetricDuration},
	{"median_time_to_close", MetricDuration},
	{"median_time_to_first_close", MetricDuration},
}

// MetricKindOf returns the kind of a metric id, or 0 when it is not known.
func MetricKindOf(id string) MetricKind {
	for _, m := range Metrics {
		if m.ID == id {
			return m.Kind
		}
	}
	return 0
}

// Hours is the hours mode of a duration figure on the dashboard.
type Hours string

// Hours modes; HoursUnknown means the analyst did not say, and both are tried.
const (
	HoursAll     Hours = "all"
	HoursOffice  Hours = "office"
	HoursUnknown Hours = ""
)

// Date is a calendar day as a date picker shows it, in no particular zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2025-10-31", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String is YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Start is the first instant of the day in loc.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.String() > e.String() }

// Figure is one number read off the dashboard, as the analyst typed it.
type Figure struct {
	Metric string
	From   Date // inclusive, as the date picker shows it
	To     Date // inclusive
	// Value is a count, or seconds for a duration.
	Value  float64
	Raw    string // the value as typed ("1,204", "14m")
	Zone   string // IANA zone of the period; "" means the workspace's
	Hours  Hours
	Origin Origin
}

// Period is the figure's time span in loc: [From 00:00, To+1 00:00).
func (f Figure) Period(loc *time.Location) (start, end time.Time) {
	return f.From.Start(loc), f.To.Start(loc).AddDate(0, 0, 1)
}
