package officehours

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/icrecon/icrecon/internal/oneline"
)

// errNothing is the sentence for a spec with no clause in it.
const errNothing = `office hours: nothing was given; write them like "Mon-Fri 09:00-17:00"`

// ParseWeek reads office hours as written on the command line: clauses
// separated by ";", each a set of days followed by one or more time ranges,
// e.g. "Mon-Fri 09:00-12:00, 13:00-17:30; Sat 10:00-14:00", or "24/7".
// Later clauses add to earlier ones.
func ParseWeek(spec string) (Week, error) {
	body := strings.TrimSpace(spec)
	if strings.EqualFold(body, "24/7") {
		return allWeek(), nil
	}
	var w Week
	clauses := 0
	for _, clause := range strings.Split(body, ";") {
		clause = strings.TrimSpace(clause)
		if clause == "" {
			continue // tolerate "a;;b" and a trailing ";"
		}
		days, ivs, err := parseClause(clause)
		if err != nil {
			return Week{}, fmt.Errorf("office hours %s: %v", oneline.Quote(spec), err)
		}
		for _, day := range days {
			w[day] = append(w[day], ivs...)
		}
		clauses++
	}
	if clauses == 0 {
		return Week{}, errors.New(errNothing)
	}
	return normalizeWeek(w), nil
}

// parseClause splits "DAYS TIMES" where the first digit starts the times,
// so "Mon-Fri9:00-17:00" and "Mon - Fri 09:00-17:00" both read.
func parseClause(clause string) ([]time.Weekday, []Interval, error) {
	i := strings.IndexFunc(clause, isASCIIDigit)
	if i < 0 {
		return nil, nil, fmt.Errorf("%s has no hours; write them after the days, like Mon-Fri 09:00-17:00", oneline.Quote(clause))
	}
	dayPart := strings.TrimSpace(clause[:i])
	if dayPart == "" {
		return nil, nil, fmt.Errorf("%s does not say which days; put days such as Mon-Fri before the hours", oneline.Quote(clause))
	}
	days, err := parseDays(dayPart)
	if err != nil {
		return nil, nil, err
	}
	ivs, err := parseIntervals(clause[i:])
	if err != nil {
		return nil, nil, err
	}
	return days, ivs, nil
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// parseDays reads a comma (or space) separated list of days, day ranges
// (which may wrap, as in Fri-Mon) and the words daily, weekdays, weekends.
func parseDays(s string) ([]time.Weekday, error) {
	var days []time.Weekday
	for _, item := range strings.Split(dashes(s), ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "-") {
			r, err := parseDayRange(item)
			if err != nil {
				return nil, err
			}
			days = append(days, r...)
			continue
		}
		for _, word := range strings.Fields(item) {
			g, err := parseDayWord(word)
			if err != nil {
				return nil, err
			}
			days = append(days, g...)
		}
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("%s is not a day of the week", oneline.Quote(s))
	}
	return days, nil
}

func parseDayRange(item string) ([]time.Weekday, error) {
	a, b, _ := strings.Cut(item, "-")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" || b == "" || strings.Contains(b, "-") {
		return nil, fmt.Errorf("%s is not a range of days like Mon-Fri", oneline.Quote(item))
	}
	from, err := ParseWeekday(a)
	if err != nil {
		return nil, err
	}
	to, err := ParseWeekday(b)
	if err != nil {
		return nil, err
	}
	days := []time.Weekday{from}
	for d := from; d != to; {
		d = (d + 1) % 7
		days = append(days, d)
	}
	return days, nil
}

func parseDayWord(word string) ([]time.Weekday, error) {
	switch strings.ToLower(word) {
	case "daily":
		return []time.Weekday{0, 1, 2, 3, 4, 5, 6}, nil
	case "weekdays":
		return []time.Weekday{1, 2, 3, 4, 5}, nil
	case "weekends":
		return []time.Weekday{time.Saturday, time.Sunday}, nil
	}
	d, err := ParseWeekday(word)
	if err != nil {
		return nil, err
	}
	return []time.Weekday{d}, nil
}

// ParseWeekday reads a day name in any case: the full name or any
// abbreviation of at least three letters ("Tue", "tues", "THURS"), or "weds".
func ParseWeekday(s string) (time.Weekday, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	if w == "weds" {
		return time.Wednesday, nil
	}
	if len(w) >= 3 {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if strings.HasPrefix(strings.ToLower(d.String()), w) {
				return d, nil
			}
		}
	}
	return 0, fmt.Errorf("%s is not a day of the week", oneline.Quote(s))
}

// ParseIntervals reads time ranges such as "09:00-12:00, 13:00-17:00",
// separated by commas and/or spaces, and returns them sorted and merged.
func ParseIntervals(s string) ([]Interval, error) {
	ivs, err := parseIntervals(s)
	if err != nil {
		return nil, &IntervalsError{Spec: s, Reason: err}
	}
	return mergeIntervals(ivs), nil
}

// IntervalsError is a list of ranges that cannot be read. A caller that
// says where the list is (a line of workspace.yaml) takes Reason alone.
type IntervalsError struct {
	Spec   string
	Reason error // quotes the range at fault
}

func (e *IntervalsError) Error() string {
	return fmt.Sprintf("office hours %s: %v", oneline.Quote(e.Spec), e.Reason)
}

func (e *IntervalsError) Unwrap() error { return e.Reason }

func parseIntervals(s string) ([]Interval, error) {
	fields := strings.FieldsFunc(dashes(s), func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	if len(fields) == 0 {
		return nil, errors.New("no hours were given; write them like 09:00-17:00")
	}
	ivs := make([]Interval, 0, len(fields))
	for _, f := range fields {
		iv, err := parseRange(f)
		if err != nil {
			return nil, err
		}
		ivs = append(ivs, iv)
	}
	return ivs, nil
}

// dashes turns en and em dashes (as pasted from documents) into "-" and
// drops spaces around dashes, so "09:00 – 17:00" reads as one range.
func dashes(s string) string {
	out := make([]rune, 0, len(s))
	afterDash := false
	for _, r := range s {
		if r == '–' || r == '—' {
			r = '-'
		}
		switch {
		case r == '-':
			for len(out) > 0 && unicode.IsSpace(out[len(out)-1]) {
				out = out[:len(out)-1]
			}
			afterDash = true
		case afterDash && unicode.IsSpace(r):
			continue
		default:
			afterDash = false
		}
		out = append(out, r)
	}
	return string(out)
}

func parseRange(f string) (Interval, error) {
	notRange := fmt.Errorf("%s is not a time range like 09:00-17:00", oneline.Quote(f))
	if _, err := ParseWeekday(f); err == nil {
		return Interval{}, fmt.Errorf("%s is not a time range; separate days with \";\", like Mon 09:00-17:00; Tue 10:00-14:00", oneline.Quote(f))
	}
	a, b, ok := strings.Cut(f, "-")
	if !ok || strings.Contains(b, "-") {
		return Interval{}, notRange
	}
	start, ok, err := parseClock(a)
	if err != nil {
		return Interval{}, err
	}
	end, ok2, err := parseClock(b)
	if err != nil {
		return Interval{}, err
	}
	switch {
	case !ok || !ok2:
		return Interval{}, notRange
	case start == 1440:
		return Interval{}, fmt.Errorf("%s starts at 24:00; 24:00 can only end a range", oneline.Quote(f))
	case start == end:
		return Interval{}, fmt.Errorf("%s is empty; a range must end after it starts", oneline.Quote(f))
	case start > end:
		return Interval{}, fmt.Errorf("%s ends before it starts; write overnight hours as two ranges", oneline.Quote(f))
	}
	return Interval{start, end}, nil
}

// parseClock reads H:MM or HH:MM as minutes after midnight. ok is false when
// s is not shaped like a time at all; err says why a time-shaped s is not a
// time of day.
func parseClock(s string) (minutes int, ok bool, err error) {
	hs, ms, found := strings.Cut(s, ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, false, nil
	}
	h, okH := digits(hs)
	m, okM := digits(ms)
	if !okH || !okM {
		return 0, false, nil
	}
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, true, fmt.Errorf("%s is not a time of day; use 00:00 to 24:00", oneline.Quote(s))
	}
	return h*60 + m, true, nil
}

// FormatWeek writes a week in the canonical form ParseWeek reads back:
// Monday first, consecutive days with the same hours joined into a range,
// days without hours left out; "24/7" for all hours, "closed" for none.
func FormatWeek(w Week) string {
	w = normalizeWeek(w)
	if isAllWeek(w) {
		return "24/7"
	}
	order := []time.Weekday{1, 2, 3, 4, 5, 6, 0}
	var clauses []string
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && slices.Equal(w[order[j]], w[order[i]]) {
			j++
		}
		if hours := w[order[i]]; len(hours) > 0 {
			clauses = append(clauses, formatDays(order[i], order[j-1], j-i)+" "+formatIntervals(hours))
		}
		i = j
	}
	if len(clauses) == 0 {
		return "closed"
	}
	return strings.Join(clauses, "; ")
}

func formatDays(first, last time.Weekday, n int) string {
	switch n {
	case 7:
		return "daily"
	case 1:
		return first.String()[:3]
	}
	return first.String()[:3] + "-" + last.String()[:3]
}

func formatIntervals(ivs []Interval) string {
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = formatInterval(iv)
	}
	return strings.Join(parts, ", ")
}

func formatInterval(iv Interval) string { return formatClock(iv.Start) + "-" + formatClock(iv.End) }

func formatClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
