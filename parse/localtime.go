package parse

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DateOrder says how an export writes its dates.
type DateOrder string

// Date orders seen in exports: Intercom writes ISO; Excel re-saves in the
// user's locale.
const (
	DateISO        DateOrder = "year-month-day"
	DateMonthFirst DateOrder = "month/day/year"
	DateDayFirst   DateOrder = "day/month/year"
)

// localTime is a wall-clock reading from a CSV cell, before a zone is applied.
type localTime struct {
	year, month, day, hour, min, sec int
	hasSeconds                       bool
	// offset is set when the cell carried its own offset (RFC 3339); then the
	// zone of the header does not apply.
	hasOffset bool
	instant   time.Time
}

// parseLocalTime reads the forms a Reports export takes: Intercom's own
// "2025-08-02 14:24:40", and what Excel makes of it after a round trip
// ("8/2/2025 14:24", "02.08.2025 14:24:40", "8/2/2025 2:24 PM"). dayFirst
// decides slash and dot dates.
func parseLocalTime(s string, order DateOrder) (localTime, error) {
	s = strings.TrimSpace(s)
	if lt, ok := parseIntercomTime(s); ok {
		return lt, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return localTime{hasOffset: true, instant: t, hasSeconds: true}, nil
	}
	datePart, timePart, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	var lt localTime
	var ok bool
	if strings.Contains(datePart, "-") {
		lt.year, lt.month, lt.day, ok = threeNumbers(datePart, "-")
	} else {
		sep := "/"
		if strings.Contains(datePart, ".") {
			sep = "."
		}
		var a, b int
		a, b, lt.year, ok = threeNumbers(datePart, sep)
		lt.month, lt.day = a, b
		if order == DateDayFirst {
			lt.month, lt.day = b, a
		}
		if lt.year < 100 {
			lt.year += 2000
		}
	}
	if !ok || lt.year < 1 || lt.year > 9999 || lt.month < 1 || lt.month > 12 || lt.day < 1 || lt.day > daysIn(lt.year, lt.month) {
		return lt, fmt.Errorf("is not a date")
	}
	if err := lt.parseClock(strings.TrimSpace(timePart)); err != nil {
		return lt, err
	}
	return lt, nil
}

// parseIntercomTime is the fast path for Intercom's own "2025-08-02 14:24:40".
func parseIntercomTime(s string) (localTime, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return localTime{}, false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && i != 4 && i != 7 && i != 10 && i != 13 && i != 16 {
			return localTime{}, false
		}
	}
	digit := func(i int) int { return int(s[i] - '0') }
	lt := localTime{
		year: digit(0)*1000 + digit(1)*100 + digit(2)*10 + digit(3), month: digit(5)*10 + digit(6), day: digit(8)*10 + digit(9),
		hour: digit(11)*10 + digit(12), min: digit(14)*10 + digit(15), sec: digit(17)*10 + digit(18),
		hasSeconds: true,
	}
	if lt.year < 1 || lt.month < 1 || lt.month > 12 || lt.day < 1 || lt.day > daysIn(lt.year, lt.month) || lt.hour > 23 || lt.min > 59 || lt.sec > 59 {
		return localTime{}, false
	}
	return lt, true
}

func (lt *localTime) parseClock(s string) error {
	if s == "" {
		return fmt.Errorf("has a date but no time")
	}
	pm, am := false, false
	if u := strings.ToUpper(s); strings.HasSuffix(u, "PM") || strings.HasSuffix(u, "AM") {
		pm, am = strings.HasSuffix(u, "PM"), strings.HasSuffix(u, "AM")
		s = strings.TrimSpace(s[:len(s)-2])
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return fmt.Errorf("is not a time of day")
	}
	nums := make([]int, 3)
	for i, p := range parts {
		if i == 2 {
			// Seconds may carry a fraction ("40.000" from some tools).
			p, _, _ = strings.Cut(p, ".")
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return fmt.Errorf("is not a time of day")
		}
		nums[i] = n
	}
	lt.hour, lt.min, lt.sec, lt.hasSeconds = nums[0], nums[1], nums[2], len(parts) == 3
	if am || pm {
		if lt.hour < 1 || lt.hour > 12 {
			return fmt.Errorf("is not a time of day")
		}
		lt.hour %= 12
		if pm {
			lt.hour += 12
		}
	}
	if lt.hour > 23 || lt.min > 59 || lt.sec > 59 {
		return fmt.Errorf("is not a time of day")
	}
	return nil
}

func threeNumbers(s, sep string) (int, int, int, bool) {
	parts := strings.Split(s, sep)
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	return n[0], n[1], n[2], true
}

// daysIn is the number of days of a month (1 to 12) in the proleptic
// Gregorian calendar.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// wallUnix is the wall-clock reading's Unix time as if it were UTC:
// time.Date's arithmetic (days from the civil date, H. Hinnant's method)
// without its normalizing, for a reading that is valid.
func (lt localTime) wallUnix() int64 {
	y, m := int64(lt.year), int64(lt.month)
	if m <= 2 {
		y-- // the year counted from March, so that the leap day ends it
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yearOfEra := y - era*400
	dayOfYear := (153*((m+9)%12)+2)/5 + int64(lt.day) - 1
	dayOfEra := yearOfEra*365 + yearOfEra/4 - yearOfEra/100 + dayOfYear
	days := era*146097 + dayOfEra - 719468 // 719468: 0000-03-01 to 1970-01-01
	return days*86400 + int64(lt.hour*3600+lt.min*60+lt.sec)
}

// clockNote describes a wall-clock time that a zone's daylight-saving change
// makes missing or doubled; "" when the time is ordinary.
type clockNote string

// resolve turns the wall-clock reading into an instant in loc. A time in the
// spring-forward gap does not exist and one in the fall-back hour exists
// twice; both are read deterministically (the gap moved forward by the jump,
// the doubled hour as its earlier instant) and described, never silently.
func (lt localTime) resolve(loc *time.Location) (time.Time, clockNote) {
	if lt.hasOffset {
		return lt.instant, ""
	}
	wall := lt.wallUnix()
	// Most times are a day or more from any clock change: one offset then
	// holds on both sides and the reading is unique.
	_, off := time.Unix(wall, 0).In(loc).Zone()
	_, before := time.Unix(wall-int64(off)-86400, 0).In(loc).Zone()
	_, after := time.Unix(wall-int64(off)+86400, 0).In(loc).Zone()
	if before == off && after == off {
		return time.Unix(wall-int64(off), 0).In(loc), ""
	}
	var matches []int64
	for _, off := range offsetsAround(wall, loc) {
		u := wall - int64(off)
		if _, o := time.Unix(u, 0).In(loc).Zone(); o == off && !slices.Contains(matches, u) {
			matches = append(matches, u)
		}
	}
	switch len(matches) {
	case 1:
		return time.Unix(matches[0], 0).In(loc), ""
	case 0:
		// In a spring-forward gap the clock never showed this time; read it
		// with the offset in force before the jump, which lands as far past
		// the jump as the time is past its start (02:30 -> 03:30).
		t := time.Unix(wall-int64(before), 0).In(loc)
		return t, clockNote(fmt.Sprintf("does not exist in %s (the clocks went forward); read as %s",
			loc, t.Format("15:04:05 MST")))
	}
	earliest := matches[0]
	for _, u := range matches[1:] {
		earliest = min(earliest, u)
	}
	t := time.Unix(earliest, 0).In(loc)
	return t, clockNote(fmt.Sprintf("happens twice in %s (the clocks went back); read as the first, %s",
		loc, t.Format("15:04:05 MST")))
}

// zonePeriod is a stretch of time in which a zone keeps one offset. The
// times of an export fall in a few (the summers and winters it spans), so
// remembering the last one spares most times a search of the zone's
// transitions.
type zonePeriod struct {
	loc        *time.Location
	start, end int64 // Unix seconds, [start, end)
	offset     int
}

// resolveUnix is resolve's Unix time and note, quicker for a time a day or
// more inside the period p holds; p then holds the period of the time.
func (lt localTime) resolveUnix(loc *time.Location, p *zonePeriod) (int64, clockNote) {
	if lt.hasOffset {
		return lt.instant.Unix(), ""
	}
	if p.loc == loc {
		// A day inside the period, only its offset can read the time, as
		// resolve would find.
		u := lt.wallUnix() - int64(p.offset)
		if u-86400 >= p.start && u+86400 < p.end {
			return u, ""
		}
	}
	t, note := lt.resolve(loc)
	p.hold(loc, t)
	return t.Unix(), note
}

// hold makes p the period of loc that t falls in.
func (p *zonePeriod) hold(loc *time.Location, t time.Time) {
	start, end := t.ZoneBounds()
	_, p.offset = t.Zone()
	p.loc, p.start, p.end = loc, math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		p.start = start.Unix()
	}
	if !end.IsZero() {
		p.end = end.Unix()
	}
}

// offsetsAround lists the UTC offsets loc uses within a day of the wall time,
// which are the only candidates for interpreting it.
func offsetsAround(wall int64, loc *time.Location) []int {
	var offs []int
	for _, d := range []int64{-86400, -3600 * 3, 0, 3600 * 3, 86400} {
		_, off := time.Unix(wall+d, 0).In(loc).Zone()
		if !slices.Contains(offs, off) {
			offs = append(offs, off)
		}
	}
	return offs
}
