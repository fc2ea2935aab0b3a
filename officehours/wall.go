package officehours

import (
	"math"
	"time"
)

// Local calendar days are numbered from 1970-01-01 (day 0) in the proleptic
// Gregorian calendar, so day arithmetic is integer arithmetic and a local wall
// time is day*86400 + seconds since local midnight ("wall seconds").
const secondsPerDay = 86400

// daysFromCivil is Howard Hinnant's days_from_civil.
func daysFromCivil(y int64, m time.Month, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (int64(m) + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is Howard Hinnant's civil_from_days, the inverse of daysFromCivil.
func civilFromDays(n int64) (int64, time.Month, int) {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := int(doy - (153*mp+2)/5 + 1)
	m := time.Month((mp+2)%12 + 1)
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekdayOf works because 1970-01-01 was a Thursday.
func weekdayOf(day int64) time.Weekday {
	return time.Weekday(floorMod(day+int64(time.Thursday), 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// period is a stretch of time during which the zone's UTC offset is constant.
type period struct {
	start int64 // first instant (Unix seconds); math.MinInt64 for the first period
	off   int64 // UTC offset in seconds
	// reach is the latest wall clock reading (wall seconds) seen up to the
	// end of this period; it never decreases from one period to the next,
	// so it can be binary-searched even where clocks went back.
	reach int64
}

// zoneClock converts between instants and wall clock readings of one zone
// using the zone's offset changes between two instants, read once from the
// time package so that conversions afterwards are plain integer searches.
type zoneClock struct {
	periods []period
}

// newZoneClock records the zone's offsets from lo to hi (Unix seconds);
// outside that range the first and last offsets are assumed to continue.
func newZoneClock(zone *time.Location, lo, hi int64) *zoneClock {
	offsetAt := func(t int64) int64 {
		_, off := time.Unix(t, 0).In(zone).Zone()
		return int64(off)
	}
	ps := []period{{start: math.MinInt64, off: offsetAt(lo)}}
	for t := lo; t < hi; {
		_, end := time.Unix(t, 0).In(zone).ZoneBounds()
		if end.IsZero() {
			break // the offset never changes again
		}
		next := end.Unix()
		if next <= t {
			// ZoneBounds can report an end at or before t: it does in the
			// last UTC day of leap years served by the zone's TZ rule, e.g.
			// America/Vancouver on 2040-12-31 (golang/go#81583). Step an
			// hour instead, finding any change within it by bisection.
			next = firstChange(offsetAt, t, t+3600)
		}
		t = next
		if off := offsetAt(t); off != ps[len(ps)-1].off {
			ps = append(ps, period{start: t, off: off})
		}
	}
	reach := int64(math.MinInt64)
	for i := range ps {
		last := int64(math.MaxInt64)
		if i+1 < len(ps) {
			last = ps[i+1].start - 1 + ps[i].off
		}
		reach = max(reach, last)
		ps[i].reach = reach
	}
	return &zoneClock{periods: ps}
}

// firstChange is the first instant in (a, b] whose offset differs from a's,
// or b when there is none.
func firstChange(offsetAt func(int64) int64, a, b int64) int64 {
	off := offsetAt(a)
	if offsetAt(b) == off {
		return b
	}
	for b-a > 1 { // invariant: offsetAt(a) == off != offsetAt(b)
		mid := a + (b-a)/2
		if offsetAt(mid) == off {
			a = mid
		} else {
			b = mid
		}
	}
	return b
}

// offsetAt is the zone's UTC offset at instant t.
func (z *zoneClock) offsetAt(t int64) int64 {
	lo, hi := 0, len(z.periods) // find the last period starting at or before t
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if z.periods[mid].start <= t {
			lo = mid
		} else {
			hi = mid
		}
	}
	return z.periods[lo].off
}

// instant returns the first instant at which the local clock reads wall or
// later. For a wall time that occurs exactly once this is the same instant as
// time.Date gives. The two cases where they differ:
//
//   - A wall time skipped by a spring-forward change (02:30 when clocks jump
//     from 02:00 to 03:00) maps to the moment of the jump: an office opening
//     at 02:30 opens when the clock first shows a later time. time.Date
//     instead applies the offset from the other side of the change, which
//     moves 02:30 forward to 03:30 in zones east of UTC (Europe/Dublin) but
//     back to 01:30 in zones west of it (America/Vancouver), and in
//     America/Santiago, whose clocks skip midnight, makes the Saturday before
//     the change 23 h long and the 23 h Sunday 24 h long.
//   - A wall time repeated by a fall-back change maps to its first
//     occurrence. time.Date picks the first occurrence west of UTC and the
//     second east of it.
//
// The mapping never decreases as wall increases, so adjacent intervals
// [a,b) and [b,c) always add up to [a,c), and local midnight to local
// midnight is the day's real length: 23 h on a spring-forward day, 25 h on a
// fall-back day, in every zone.
func (z *zoneClock) instant(wall int64) int64 {
	lo, hi := -1, len(z.periods)-1 // find the first period whose clock reaches wall
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if z.periods[mid].reach >= wall {
			hi = mid
		} else {
			lo = mid
		}
	}
	p := z.periods[hi]
	return max(p.start, wall-p.off)
}
