package officehours

import "time"

// The supported range of local days: results outside it are clamped (see
// Seconds). The table covers the days real conversations fall on; other
// days in the range are computed directly, day by day.
var (
	domainFirstDay = daysFromCivil(1900, time.January, 1)
	domainEndDay   = daysFromCivil(2200, time.January, 1) // exclusive
	tableFirstDay  = daysFromCivil(2000, time.January, 1)
	tableEndDay    = daysFromCivil(2041, time.January, 1) // exclusive
)

// span is an open stretch of time, [start, end) in Unix seconds.
type span struct{ start, end int64 }

// tableDay is one local day of the table.
type tableDay struct {
	start int64 // instant of local midnight
	cum   int64 // office seconds from the table's first midnight to start
	first int32 // index of the day's first span in engine.spans
}

// engine holds what Seconds needs for one schedule, computed once and
// never modified afterwards, so any number of goroutines can read it.
type engine struct {
	s      *Schedule
	clock  *zoneClock
	lo, hi int64 // the supported range as instants

	// days has one entry per table day plus a closing one for the midnight
	// ending the table, so day i's spans are spans[days[i].first:days[i+1].first].
	days   []tableDay
	spans  []span
	tabLo  int64 // days[0].start
	tabHi  int64 // days[len(days)-1].start
	tabDay int   // len(days) - 1, the number of table days
}

func newEngine(s *Schedule) *engine {
	margin := int64(2 * secondsPerDay) // more than any UTC offset
	e := &engine{
		s:     s,
		clock: newZoneClock(s.zone, domainFirstDay*secondsPerDay-margin, domainEndDay*secondsPerDay+margin),
	}
	e.lo = e.midnight(domainFirstDay)
	e.hi = e.midnight(domainEndDay)
	e.buildTable()
	return e
}

func (e *engine) buildTable() {
	n := int(tableEndDay - tableFirstDay)
	e.days = make([]tableDay, 0, n+1)
	e.spans = make([]span, 0, n*2)
	var cum int64
	for day := tableFirstDay; day <= tableEndDay; day++ {
		e.days = append(e.days, tableDay{start: e.midnight(day), cum: cum, first: int32(len(e.spans))})
		if day == tableEndDay {
			break
		}
		before := len(e.spans)
		e.spans = e.appendDaySpans(e.spans, day)
		for _, sp := range e.spans[before:] {
			cum += sp.end - sp.start
		}
	}
	e.tabDay = n
	e.tabLo = e.days[0].start
	e.tabHi = e.days[n].start
}

func (e *engine) midnight(day int64) int64 { return e.clock.instant(day * secondsPerDay) }

// appendDaySpans appends the open spans of one local day, skipping those
// that vanish (hours wholly inside a spring-forward gap). Both the table and
// the direct computation use it, so they agree to the second.
func (e *engine) appendDaySpans(dst []span, day int64) []span {
	if e.s.isClosed(day) {
		return dst
	}
	for _, iv := range e.s.week[weekdayOf(day)] {
		start := e.clock.instant(day*secondsPerDay + int64(iv.Start)*60)
		end := e.clock.instant(day*secondsPerDay + int64(iv.End)*60)
		if start < end {
			dst = append(dst, span{start, end})
		}
	}
	return dst
}

func (e *engine) seconds(from, to int64) int64 {
	if from >= e.tabLo && to <= e.tabHi {
		return e.cumulative(to) - e.cumulative(from)
	}
	return e.slowSeconds(from, to)
}

// cumulative is the office seconds from the table's first midnight to t,
// for tabLo <= t <= tabHi.
func (e *engine) cumulative(t int64) int64 {
	if t >= e.tabHi {
		return e.days[e.tabDay].cum
	}
	// Days are 24 h give or take the offset changes, so dividing lands
	// within a step or two of the right day.
	i := min(int((t-e.tabLo)/secondsPerDay), e.tabDay-1)
	for e.days[i].start > t {
		i--
	}
	for e.days[i+1].start <= t {
		i++
	}
	f := e.days[i].cum
	for _, sp := range e.spans[e.days[i].first:e.days[i+1].first] {
		if t <= sp.start {
			break
		}
		f += min(t, sp.end) - sp.start
	}
	return f
}

// slowSeconds handles spans reaching outside the table: the part inside
// still comes from the table, the rest is computed day by day.
func (e *engine) slowSeconds(from, to int64) int64 {
	from = min(max(from, e.lo), e.hi)
	to = min(max(to, e.lo), e.hi)
	var total int64
	if from < e.tabLo {
		total += e.direct(from, min(to, e.tabLo))
	}
	if lo, hi := max(from, e.tabLo), min(to, e.tabHi); lo < hi {
		total += e.cumulative(hi) - e.cumulative(lo)
	}
	if to > e.tabHi {
		total += e.direct(max(from, e.tabHi), to)
	}
	return total
}

// direct computes the office seconds of [from, to) day by day without the
// table; from and to must lie in the supported range.
func (e *engine) direct(from, to int64) int64 {
	var total int64
	var buf [8]span
	for day := e.dayOf(from); e.midnight(day) < to; day++ {
		for _, sp := range e.appendDaySpans(buf[:0], day) {
			if lo, hi := max(sp.start, from), min(sp.end, to); lo < hi {
				total += hi - lo
			}
		}
	}
	return total
}

// dayOf is the local day whose midnight-to-midnight span holds instant t.
// The calendar date of t is nearly always that day, but not during a
// repeated hour that crosses midnight.
func (e *engine) dayOf(t int64) int64 {
	day := floorDiv(t+e.clock.offsetAt(t), secondsPerDay)
	for e.midnight(day) > t {
		day--
	}
	for e.midnight(day+1) <= t {
		day++
	}
	return day
}
