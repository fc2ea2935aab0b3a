package officehours

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/icrecon/icrecon/internal/oneline"
)

// Interval is a span of a local day in minutes from midnight, [Start, End),
// 0 <= Start < End <= 1440.
type Interval struct{ Start, End int }

// Week holds each weekday's intervals, indexed by time.Weekday (Sunday = 0).
type Week [7][]Interval

// Date is a local calendar day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a date written as 2025-12-25, the only form accepted, so
// that a day and a month can never be confused.
func ParseDate(s string) (Date, error) {
	bad := fmt.Errorf("%s is not a date like 2025-12-25", oneline.Quote(s))
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, bad
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, bad
	}
	date := Date{Year: y, Month: time.Month(m), Day: d}
	if !date.valid() {
		return Date{}, fmt.Errorf("%s is not a real date", oneline.Quote(s))
	}
	return date, nil
}

// digits reads a run of ASCII digits; strconv.Atoi alone would also take signs.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// valid keeps years to four digits so the day arithmetic cannot overflow.
func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	y, m, dd := civilFromDays(d.dayNumber())
	return y == int64(d.Year) && m == d.Month && dd == d.Day
}

func (d Date) dayNumber() int64 { return daysFromCivil(int64(d.Year), d.Month, d.Day) }

func compareDates(a, b Date) int { return int(a.dayNumber() - b.dayNumber()) }

// Schedule is a workspace's office hours. It is immutable and safe for
// concurrent use; build it with New or AllHours.
type Schedule struct {
	zone       *time.Location
	week       Week
	closed     []Date  // sorted, no duplicates
	closedDays []int64 // the same days as day numbers
	allHours   bool
	engine     func() *engine // built on first use: most schedules never need one
}

// New validates the week and the closed days and returns the schedule.
// Overlapping and touching intervals are merged; a nil zone means UTC.
func New(zone *time.Location, week Week, closed []Date) (*Schedule, error) {
	if zone == nil {
		zone = time.UTC
	}
	for day, ivs := range week {
		for _, iv := range ivs {
			if err := checkInterval(time.Weekday(day), iv); err != nil {
				return nil, err
			}
		}
	}
	dates := slices.Clone(closed)
	for _, d := range dates {
		if !d.valid() {
			return nil, fmt.Errorf("office hours: the closed day %s is not a real date", d)
		}
	}
	slices.SortFunc(dates, compareDates)
	dates = slices.Compact(dates)
	return newSchedule(zone, normalizeWeek(week), dates), nil
}

// AllHours is the schedule used when no office hours are given: every second counts.
func AllHours(zone *time.Location) *Schedule {
	if zone == nil {
		zone = time.UTC
	}
	return newSchedule(zone, allWeek(), nil)
}

func newSchedule(zone *time.Location, week Week, dates []Date) *Schedule {
	s := &Schedule{zone: zone, week: week, closed: dates}
	for _, d := range dates {
		s.closedDays = append(s.closedDays, d.dayNumber())
	}
	s.allHours = isAllWeek(week) && len(dates) == 0
	s.engine = sync.OnceValue(func() *engine { return newEngine(s) })
	return s
}

func checkInterval(day time.Weekday, iv Interval) error {
	switch {
	case iv.Start < 0 || iv.End > 1440 || iv.Start > 1440 || iv.End < 0:
		return fmt.Errorf("office hours: %s has hours from minute %d to minute %d, which is not within a day (00:00 to 24:00)", day, iv.Start, iv.End)
	case iv.Start == iv.End:
		return fmt.Errorf("office hours: %s's %q is empty; a range must end after it starts", day, formatInterval(iv))
	case iv.Start > iv.End:
		return fmt.Errorf("office hours: %s's %q ends before it starts; write overnight hours as two ranges", day, formatInterval(iv))
	}
	return nil
}

// normalizeWeek sorts and merges each day's intervals into fresh slices,
// leaving days without hours nil so that equal weeks compare equal.
func normalizeWeek(w Week) Week {
	var out Week
	for day, ivs := range w {
		out[day] = mergeIntervals(ivs)
	}
	return out
}

func mergeIntervals(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	sorted := slices.Clone(ivs)
	slices.SortFunc(sorted, func(a, b Interval) int { return a.Start - b.Start })
	out := sorted[:1]
	for _, iv := range sorted[1:] {
		last := &out[len(out)-1]
		if iv.Start <= last.End {
			last.End = max(last.End, iv.End)
			continue
		}
		out = append(out, iv)
	}
	return slices.Clip(out)
}

func allWeek() Week {
	var w Week
	for day := range w {
		w[day] = []Interval{{0, 1440}}
	}
	return w
}

func isAllWeek(w Week) bool {
	for _, ivs := range w {
		if len(ivs) != 1 || ivs[0] != (Interval{0, 1440}) {
			return false
		}
	}
	return true
}

// Zone is the time zone the schedule's local times are in.
func (s *Schedule) Zone() *time.Location { return s.zone }

// Week returns a copy of the normalised weekly hours.
func (s *Schedule) Week() Week {
	var w Week
	for day, ivs := range s.week {
		w[day] = slices.Clone(ivs)
	}
	return w
}

// Closed returns a sorted copy of the closed days.
func (s *Schedule) Closed() []Date { return slices.Clone(s.closed) }

// IsAllHours reports whether every second counts, so office and all-hours
// durations agree.
func (s *Schedule) IsAllHours() bool { return s.allHours }

// Spec is the weekly hours in the canonical form ParseWeek reads.
func (s *Schedule) Spec() string { return FormatWeek(s.week) }

func (s *Schedule) String() string {
	out := s.Spec() + " in " + s.zone.String()
	switch n := len(s.closed); n {
	case 0:
	case 1:
		out += ", 1 day closed"
	default:
		out += ", " + strconv.Itoa(n) + " days closed"
	}
	return out
}

// Seconds returns how many seconds of [from, to) (Unix seconds) fall inside
// office hours; 0 when to <= from.
//
// Open spans are laid out day by day in the zone's local time: on each local
// day that is not closed, each interval [a, b) of its weekday is open from
// the instant the local clock first reads a to the instant it first reads b
// (zoneClock.instant explains the choice on days the clocks change). A
// 00:00-24:00 day is therefore open for its real length.
//
// Instants before 1900 or after 2199 (local) count as the first or last
// instant of that range, which bounds the work for absurd input; an all-hours
// schedule is exact everywhere. A result too large for int64 saturates.
func (s *Schedule) Seconds(from, to int64) int64 {
	if to <= from {
		return 0
	}
	if s.allHours {
		return spanLength(from, to)
	}
	return s.engine().seconds(from, to)
}

// spanLength is to-from, saturating when the subtraction overflows.
func spanLength(from, to int64) int64 {
	if d := to - from; d >= 0 {
		return d
	}
	return math.MaxInt64
}

func (s *Schedule) isClosed(day int64) bool {
	_, found := slices.BinarySearch(s.closedDays, day)
	return found
}
