package officehours

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// schedule builds a schedule from a command-line spec and closed days.
func schedule(t testing.TB, zoneName, spec string, closed ...string) *Schedule {
	t.Helper()
	week, err := ParseWeek(spec)
	if err != nil {
		t.Fatal(err)
	}
	var dates []Date
	for _, c := range closed {
		d, err := ParseDate(c)
		if err != nil {
			t.Fatal(err)
		}
		dates = append(dates, d)
	}
	s, err := New(zone(t, zoneName), week, dates)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// local is the instant of a wall time that occurs exactly once in the zone.
func local(t testing.TB, zoneName, wall string) int64 {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", wall, zone(t, zoneName))
	if err != nil {
		t.Fatal(err)
	}
	return tm.Unix()
}

// utc is the instant of a UTC wall time.
func utc(t testing.TB, wall string) int64 { return local(t, "UTC", wall) }

// slow is the reference: the direct day-by-day computation, no table.
func slow(s *Schedule, from, to int64) int64 {
	if to <= from {
		return 0
	}
	e := s.engine()
	from = min(max(from, e.lo), e.hi)
	to = min(max(to, e.lo), e.hi)
	if to <= from {
		return 0
	}
	return e.direct(from, to)
}

const hour = 3600

func TestSecondsHandComputed(t *testing.T) {
	const van = "America/Vancouver"
	officeVan := schedule(t, van, "Mon-Fri 09:00-17:00")
	split := schedule(t, van, "Mon-Fri 09:00-12:00, 13:00-17:30; Sat 10:00-14:00")
	holiday := schedule(t, van, "Mon-Fri 09:00-17:00", "2025-06-11")
	kolkata := schedule(t, "Asia/Kolkata", "Mon-Fri 09:00-17:00")
	sydney := schedule(t, "Australia/Sydney", "Mon-Fri 09:00-17:00")
	tests := []struct {
		name     string
		s        *Schedule
		from, to int64
		want     int64
	}{
		{"plain weekday", officeVan, local(t, van, "2025-06-10 08:00"), local(t, van, "2025-06-10 12:30"), 3*hour + 1800},
		{"a whole week", officeVan, local(t, van, "2025-06-09 00:00"), local(t, van, "2025-06-16 00:00"), 40 * hour},
		{"across a weekend", officeVan, local(t, van, "2025-06-13 16:00"), local(t, van, "2025-06-16 10:00"), 2 * hour},
		{"across the spring-forward weekend", officeVan, local(t, van, "2025-03-07 16:00"), local(t, van, "2025-03-10 10:00"), 2 * hour},
		{"only closed hours", officeVan, local(t, van, "2025-06-14 10:00"), local(t, van, "2025-06-15 20:00"), 0},
		{"reversed span", officeVan, local(t, van, "2025-06-10 12:00"), local(t, van, "2025-06-10 10:00"), 0},
		{"empty span", officeVan, local(t, van, "2025-06-10 12:00"), local(t, van, "2025-06-10 12:00"), 0},
		{"a closed day", holiday, local(t, van, "2025-06-10 16:00"), local(t, van, "2025-06-12 10:00"), 2 * hour},
		{"the same span without the closed day", officeVan, local(t, van, "2025-06-10 16:00"), local(t, van, "2025-06-12 10:00"), 10 * hour},
		{"several intervals a day", split, local(t, van, "2025-06-10 10:00"), local(t, van, "2025-06-10 14:00"), 3 * hour},
		{"Friday evening into Saturday", split, local(t, van, "2025-06-13 17:00"), local(t, van, "2025-06-14 11:00"), hour + 1800},
		{"half-hour zone, opening", kolkata, utc(t, "2025-06-10 00:00"), utc(t, "2025-06-10 04:00"), 1800},
		{"half-hour zone, closing", kolkata, utc(t, "2025-06-10 11:00"), utc(t, "2025-06-10 12:00"), 1800},
		{"Sydney Monday after DST ends", sydney, utc(t, "2025-04-06 20:00"), utc(t, "2025-04-07 12:00"), 8 * hour},
		{"Sydney Monday before DST ends", sydney, utc(t, "2025-03-30 20:00"), utc(t, "2025-03-31 12:00"), 8 * hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Seconds(tc.from, tc.to); got != tc.want {
				t.Errorf("Seconds = %d, want %d", got, tc.want)
			}
			if got := slow(tc.s, tc.from, tc.to); got != tc.want {
				t.Errorf("direct computation = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestSecondsOnClockChangeDays checks days whose clocks change, with hours
// over the whole day, over the change, and starting or ending in the skipped
// or repeated hour. The window runs from Friday noon to Monday noon, so it
// holds the whole weekend whatever the schedule.
func TestSecondsOnClockChangeDays(t *testing.T) {
	tests := []struct {
		name, zone, weekend, spec string
		want                      int64
	}{
		{"Vancouver spring forward, whole day", "America/Vancouver", "2025-03-07", "Sun 00:00-24:00", 23 * hour},
		{"Vancouver fall back, whole day", "America/Vancouver", "2025-10-31", "Sun 00:00-24:00", 25 * hour},
		{"Dublin spring forward, whole day", "Europe/Dublin", "2025-03-28", "Sun 00:00-24:00", 23 * hour},
		{"Dublin fall back, whole day", "Europe/Dublin", "2025-10-24", "Sun 00:00-24:00", 25 * hour},
		{"Sydney DST ends, whole day", "Australia/Sydney", "2025-04-04", "Sun 00:00-24:00", 25 * hour},
		{"Sydney DST starts, whole day", "Australia/Sydney", "2025-10-03", "Sun 00:00-24:00", 23 * hour},
		{"Kolkata has no DST", "Asia/Kolkata", "2025-03-07", "Sun 00:00-24:00", 24 * hour},
		{"Santiago skips midnight, Saturday", "America/Santiago", "2025-09-05", "Sat 00:00-24:00", 24 * hour},
		{"Santiago skips midnight, Sunday", "America/Santiago", "2025-09-05", "Sun 00:00-24:00", 23 * hour},
		{"Santiago repeats Saturday 23:00", "America/Santiago", "2025-04-04", "Sat 00:00-24:00", 25 * hour},
		{"Santiago after the repeat, Sunday", "America/Santiago", "2025-04-04", "Sun 00:00-24:00", 24 * hour},
		{"Lord Howe moves half an hour", "Australia/Lord_Howe", "2025-10-03", "Sun 00:00-24:00", 23*hour + 1800},

		{"Vancouver spring forward, 00:00-04:00", "America/Vancouver", "2025-03-07", "Sun 00:00-04:00", 3 * hour},
		{"Vancouver fall back, 00:00-04:00", "America/Vancouver", "2025-10-31", "Sun 00:00-04:00", 5 * hour},
		{"Dublin spring forward, 00:00-04:00", "Europe/Dublin", "2025-03-28", "Sun 00:00-04:00", 3 * hour},
		{"Dublin fall back, 00:00-04:00", "Europe/Dublin", "2025-10-24", "Sun 00:00-04:00", 5 * hour},
		{"Sydney DST ends, 00:00-04:00", "Australia/Sydney", "2025-04-04", "Sun 00:00-04:00", 5 * hour},
		{"Sydney DST starts, 00:00-04:00", "Australia/Sydney", "2025-10-03", "Sun 00:00-04:00", 3 * hour},

		// Opening inside the skipped hour opens when the clock jumps.
		{"Vancouver opening in the skipped hour", "America/Vancouver", "2025-03-07", "Sun 02:30-05:00", 2 * hour},
		{"Dublin opening in the skipped hour", "Europe/Dublin", "2025-03-28", "Sun 01:30-03:00", hour},
		{"Sydney opening in the skipped hour", "Australia/Sydney", "2025-10-03", "Sun 02:30-05:00", 2 * hour},
		{"Vancouver hours wholly in the skipped hour", "America/Vancouver", "2025-03-07", "Sun 02:00-03:00", 0},
		{"Dublin hours wholly in the skipped hour", "Europe/Dublin", "2025-03-28", "Sun 01:00-02:00", 0},
		{"Vancouver closing in the skipped hour", "America/Vancouver", "2025-03-07", "Sun 01:00-02:30", hour},
		// Opening inside the repeated hour opens at its first occurrence.
		{"Vancouver opening in the repeated hour", "America/Vancouver", "2025-10-31", "Sun 01:30-03:00", 2*hour + 1800},
		{"Dublin opening in the repeated hour", "Europe/Dublin", "2025-10-24", "Sun 01:30-03:00", 2*hour + 1800},
		{"Sydney opening in the repeated hour", "Australia/Sydney", "2025-04-04", "Sun 02:30-04:00", 2*hour + 1800},
		{"Dublin closing in the repeated hour", "Europe/Dublin", "2025-10-24", "Sun 00:00-01:30", hour + 1800},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := schedule(t, tc.zone, tc.spec)
			friday, err := time.ParseInLocation("2006-01-02 15:04", tc.weekend+" 12:00", zone(t, tc.zone))
			if err != nil {
				t.Fatal(err)
			}
			monday := friday.AddDate(0, 0, 3)
			if friday.Weekday() != time.Friday {
				t.Fatalf("%s is not a Friday", tc.weekend)
			}
			if got := s.Seconds(friday.Unix(), monday.Unix()); got != tc.want {
				t.Errorf("Seconds = %d (%.2f h), want %d (%.2f h)", got, float64(got)/hour, tc.want, float64(tc.want)/hour)
			}
			if got := slow(s, friday.Unix(), monday.Unix()); got != tc.want {
				t.Errorf("direct computation = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestDayLengths(t *testing.T) {
	// A far closed day keeps the schedule off the all-hours shortcut, so
	// the table and the day-by-day computation are what is measured.
	tests := []struct {
		zone, day string
		want      int64
	}{
		{"America/Vancouver", "2025-03-09", 23 * hour},
		{"America/Vancouver", "2025-11-02", 25 * hour},
		{"Europe/Dublin", "2025-03-30", 23 * hour},
		{"Europe/Dublin", "2025-10-26", 25 * hour},
		{"Australia/Sydney", "2025-04-06", 25 * hour},
		{"Australia/Sydney", "2025-10-05", 23 * hour},
		{"Asia/Kolkata", "2025-03-09", 24 * hour},
		{"America/Vancouver", "2045-03-12", 23 * hour}, // past the table
		{"America/Vancouver", "1995-10-29", 25 * hour}, // before the table
		{"Pacific/Apia", "2011-12-30", 0},              // Samoa skipped this day
	}
	for _, tc := range tests {
		t.Run(tc.zone+" "+tc.day, func(t *testing.T) {
			s := schedule(t, tc.zone, "daily 00:00-24:00", "2150-01-01")
			e := s.engine()
			d, _ := ParseDate(tc.day)
			start, end := e.midnight(d.dayNumber()), e.midnight(d.dayNumber()+1)
			if end-start != tc.want {
				t.Errorf("midnight to midnight is %d s, want %d", end-start, tc.want)
			}
			wide := s.Seconds(start-6*hour, end+6*hour)
			if wide != tc.want+12*hour {
				t.Errorf("Seconds over the day ±6 h = %d, want %d", wide, tc.want+12*hour)
			}
		})
	}
}

// propertyCases are the schedules the random property tests run over.
func propertyCases(t testing.TB) map[string]*Schedule {
	return map[string]*Schedule{
		"Vancouver office":            schedule(t, "America/Vancouver", "Mon-Fri 09:00-17:00", "2025-12-25", "2026-01-01"),
		"Dublin split days":           schedule(t, "Europe/Dublin", "Mon-Fri 08:00-12:00, 13:00-17:30; Sat 10:00-14:00", "2025-03-17", "2030-12-25"),
		"Sydney around the changes":   schedule(t, "Australia/Sydney", "daily 00:00-04:00, 22:00-24:00; Sun 01:30-03:30"),
		"Kolkata half-hour zone":      schedule(t, "Asia/Kolkata", "Mon-Sat 09:30-18:30"),
		"Santiago midnight changes":   schedule(t, "America/Santiago", "daily 00:00-01:00, 23:00-24:00"),
		"Lord Howe half-hour DST":     schedule(t, "Australia/Lord_Howe", "weekends 01:00-03:00"),
		"UTC odd minutes":             schedule(t, "UTC", "Tue 00:01-00:02, 13:17-19:59; Thu 23:59-24:00"),
		"Vancouver 24/7 with holiday": schedule(t, "America/Vancouver", "24/7", "2150-06-01"),
		"all hours in Dublin":         AllHours(zone(t, "Europe/Dublin")),
	}
}

func TestSecondsProperties(t *testing.T) {
	windows := []struct {
		name    string
		lo, hi  int64 // where from falls
		maxSpan int64
	}{
		{"inside the table, up to 6 weeks", utc(t, "2000-01-01 00:00"), utc(t, "2040-11-01 00:00"), 6 * 7 * 24 * hour},
		{"across the table's edges", utc(t, "1998-06-01 00:00"), utc(t, "2042-06-01 00:00"), 3 * 365 * 24 * hour},
		{"far outside the table", utc(t, "1850-01-01 00:00"), utc(t, "2250-01-01 00:00"), 40 * 24 * hour},
	}
	i := uint64(0)
	for name, s := range propertyCases(t) {
		for _, w := range windows {
			i++
			t.Run(name+"/"+w.name, func(t *testing.T) {
				r := rand.New(rand.NewPCG(7, i))
				n := 3000
				if w.maxSpan > 100*24*hour {
					n = 300
				}
				for range n {
					a := w.lo + r.Int64N(w.hi-w.lo)
					b := a + r.Int64N(w.maxSpan)
					c := b + r.Int64N(w.maxSpan)
					checkProperties(t, s, a, b, c)
				}
			})
		}
	}
}

// checkProperties checks every property of Seconds on a <= b <= c.
func checkProperties(t testing.TB, s *Schedule, a, b, c int64) {
	t.Helper()
	ab, bc, ac := s.Seconds(a, b), s.Seconds(b, c), s.Seconds(a, c)
	if ab < 0 || ab > spanLength(a, b) {
		t.Fatalf("Seconds(%d, %d) = %d, outside [0, %d]", a, b, ab, spanLength(a, b))
	}
	if ac != ab+bc {
		t.Fatalf("Seconds(%d, %d) = %d, but the halves at %d add to %d + %d", a, c, ac, b, ab, bc)
	}
	if d := slow(s, a, b); !s.IsAllHours() && d != ab {
		t.Fatalf("Seconds(%d, %d) = %d, direct computation %d", a, b, ab, d)
	}
	if s.IsAllHours() && ab != spanLength(a, b) {
		t.Fatalf("all hours: Seconds(%d, %d) = %d, want %d", a, b, ab, b-a)
	}
	if s.Seconds(b, a) != 0 && a != b {
		t.Fatalf("Seconds(%d, %d) reversed is not 0", b, a)
	}
}

func TestAllWeekIsEverySecond(t *testing.T) {
	// Off the shortcut (a closed day far away) the table and the direct
	// computation must still give every second, across every clock change.
	for _, name := range []string{"America/Vancouver", "Europe/Dublin", "Australia/Sydney", "America/Santiago", "Australia/Lord_Howe", "Pacific/Apia"} {
		t.Run(name, func(t *testing.T) {
			s := schedule(t, name, "daily 00:00-24:00", "2180-01-01")
			r := rand.New(rand.NewPCG(11, uint64(len(name))))
			lo, hi := utc(t, "1990-01-01 00:00"), utc(t, "2050-01-01 00:00")
			for range 3000 {
				a := lo + r.Int64N(hi-lo)
				b := a + r.Int64N(400*24*hour)
				if got := s.Seconds(a, b); got != b-a {
					t.Fatalf("Seconds(%d, %d) = %d, want %d", a, b, got, b-a)
				}
			}
		})
	}
}

func TestAllHours(t *testing.T) {
	s := AllHours(zone(t, "America/Vancouver"))
	if !s.IsAllHours() || s.Spec() != "24/7" {
		t.Fatalf("AllHours: IsAllHours %v, Spec %q", s.IsAllHours(), s.Spec())
	}
	tests := []struct {
		name     string
		from, to int64
		want     int64
	}{
		{"across spring forward", local(t, "America/Vancouver", "2025-03-08 12:00"), local(t, "America/Vancouver", "2025-03-10 12:00"), 47 * hour},
		{"across fall back", local(t, "America/Vancouver", "2025-11-01 12:00"), local(t, "America/Vancouver", "2025-11-03 12:00"), 49 * hour},
		{"far future", 1 << 40, 1<<40 + 5, 5},
		{"whole int64 range saturates", math.MinInt64, math.MaxInt64, math.MaxInt64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Seconds(tc.from, tc.to); got != tc.want {
				t.Errorf("Seconds = %d, want %d", got, tc.want)
			}
		})
	}
	if AllHours(nil).Zone() != time.UTC {
		t.Error("AllHours(nil) is not in UTC")
	}
}

// TestSecondsMatchesWallClock compares with an independent count: minute by
// minute, is the local clock inside the hours on a day that is open? The two
// agree wherever no clock change is near, which is where the count is used.
func TestSecondsMatchesWallClock(t *testing.T) {
	for name, s := range propertyCases(t) {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, uint64(len(name))))
			lo, hi := utc(t, "1995-01-01 00:00"), utc(t, "2045-01-01 00:00")
			for checked := 0; checked < 150; {
				a := (lo + r.Int64N(hi-lo)) / 60 * 60
				b := a + r.Int64N(3*24*60)*60
				if !steadyOffset(s.Zone(), a-2*24*hour, b+2*24*hour) {
					continue
				}
				checked++
				if got, want := s.Seconds(a, b), wallClockCount(s, a, b); got != want {
					t.Fatalf("Seconds(%s, %s) = %d, counting minutes gives %d",
						time.Unix(a, 0).In(s.Zone()), time.Unix(b, 0).In(s.Zone()), got, want)
				}
			}
		})
	}
}

func steadyOffset(loc *time.Location, a, b int64) bool {
	_, x := time.Unix(a, 0).In(loc).Zone()
	_, y := time.Unix(b, 0).In(loc).Zone()
	return x == y
}

func wallClockCount(s *Schedule, a, b int64) int64 {
	var n int64
	for t := a; t < b; t += 60 {
		lt := time.Unix(t, 0).In(s.Zone())
		if slices.Contains(s.Closed(), Date{lt.Year(), lt.Month(), lt.Day()}) {
			continue
		}
		m := lt.Hour()*60 + lt.Minute()
		for _, iv := range s.Week()[lt.Weekday()] {
			if iv.Start <= m && m < iv.End {
				n += 60
			}
		}
	}
	return n
}

func TestZoneClockAgreesWithTimePackage(t *testing.T) {
	zones := []string{"UTC", "America/Vancouver", "America/New_York", "America/Santiago", "America/Sao_Paulo",
		"Europe/Dublin", "Europe/London", "Europe/Moscow", "Africa/Casablanca", "Asia/Kolkata", "Asia/Tehran",
		"Australia/Sydney", "Australia/Lord_Howe", "Pacific/Apia", "Pacific/Chatham", "Pacific/Kiritimati"}
	for _, name := range zones {
		t.Run(name, func(t *testing.T) {
			loc := zone(t, name)
			e := AllHours(loc).engine()
			r := rand.New(rand.NewPCG(5, uint64(len(name))))
			for range 20000 {
				at := e.lo + r.Int64N(e.hi-e.lo)
				tm := time.Unix(at, 0).In(loc)
				if _, off := tm.Zone(); int64(off) != e.clock.offsetAt(at) {
					t.Fatalf("offset at %s: time says %d, zoneClock %d", tm, off, e.clock.offsetAt(at))
				}
				// A wall time shown by the clock maps back to the first
				// instant showing it: this one, or an hour-ish earlier one
				// in a repeated stretch.
				wall := at + int64(mustOffset(tm))
				got := e.clock.instant(wall)
				if got > at || wallOf(loc, got) != wall {
					t.Fatalf("instant(wall clock of %s) = %s", tm, time.Unix(got, 0).In(loc))
				}
				if got < at && wallOf(loc, got-1) >= wall {
					t.Fatalf("instant(wall clock of %s) = %s is not the first", tm, time.Unix(got, 0).In(loc))
				}
				if got < at && at-got > 3*hour {
					t.Fatalf("instant(wall clock of %s) = %s is too far back", tm, time.Unix(got, 0).In(loc))
				}
			}
		})
	}
}

func mustOffset(tm time.Time) int {
	_, off := tm.Zone()
	return off
}

func wallOf(loc *time.Location, at int64) int64 {
	return at + int64(mustOffset(time.Unix(at, 0).In(loc)))
}

func TestTableEdges(t *testing.T) {
	for name, s := range propertyCases(t) {
		t.Run(name, func(t *testing.T) {
			e := s.engine()
			edges := []int64{e.lo, e.tabLo, e.tabHi, e.hi}
			for _, x := range edges {
				for _, dx := range []int64{-100000, -3601, -1, 0, 1, 3601, 100000} {
					for _, dy := range []int64{1, 3600, 86400 * 10} {
						a, b := x+dx, x+dx+dy
						if got, want := s.Seconds(a, b), slow(s, a, b); !s.IsAllHours() && got != want {
							t.Fatalf("Seconds(%d, %d) = %d, direct %d", a, b, got, want)
						}
					}
				}
			}
		})
	}
}

func TestExtremeInstants(t *testing.T) {
	extremes := []int64{math.MinInt64, math.MinInt64 + 1, -1 << 40, -1, 0, 1, 1 << 40, math.MaxInt64 - 1, math.MaxInt64}
	s := schedule(t, "Europe/Dublin", "Mon-Fri 09:00-17:00")
	for _, a := range extremes {
		for _, b := range extremes {
			got := s.Seconds(a, b)
			if b <= a && got != 0 || got < 0 || got > spanLength(a, b) {
				t.Errorf("Seconds(%d, %d) = %d", a, b, got)
			}
		}
	}
	// Clamped to 1900-2199 local: every weekday of those 300 years, 8 h each.
	var weekdays int64
	for day := daysFromCivil(1900, 1, 1); day < daysFromCivil(2200, 1, 1); day++ {
		if wd := weekdayOf(day); wd != time.Saturday && wd != time.Sunday {
			weekdays++
		}
	}
	if got, want := s.Seconds(math.MinInt64, math.MaxInt64), weekdays*8*hour; got != want {
		t.Errorf("Seconds over all of int64 = %d, want %d", got, want)
	}
}

func TestSecondsConcurrently(t *testing.T) {
	s := schedule(t, "Europe/Dublin", "Mon-Fri 09:00-17:00", "2025-12-25")
	from, to := local(t, "Europe/Dublin", "2025-12-22 08:00"), local(t, "Europe/Dublin", "2025-12-29 18:00")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				if got := s.Seconds(from, to); got != 40*hour {
					t.Errorf("Seconds = %d, want %d", got, 40*hour)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		week    Week
		closed  []Date
		wantErr string
	}{
		{"ends before it starts", Week{time.Monday: {{18 * 60, 9 * 60}}}, nil,
			`office hours: Monday's "18:00-09:00" ends before it starts; write overnight hours as two ranges`},
		{"empty interval", Week{time.Tuesday: {{600, 600}}}, nil,
			`office hours: Tuesday's "10:00-10:00" is empty; a range must end after it starts`},
		{"past midnight", Week{time.Sunday: {{600, 1500}}}, nil,
			`office hours: Sunday has hours from minute 600 to minute 1500, which is not within a day (00:00 to 24:00)`},
		{"negative minute", Week{time.Sunday: {{-30, 60}}}, nil,
			`office hours: Sunday has hours from minute -30 to minute 60, which is not within a day (00:00 to 24:00)`},
		{"not a real date", Week{}, []Date{{2025, time.February, 30}}, `office hours: the closed day 2025-02-30 is not a real date`},
		{"month zero", Week{}, []Date{{2025, 0, 1}}, `office hours: the closed day 2025-00-01 is not a real date`},
		{"year zero", Week{}, []Date{{0, 1, 1}}, `office hours: the closed day 0000-01-01 is not a real date`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(time.UTC, tc.week, tc.closed)
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("error = %v, want %s", err, tc.wantErr)
			}
		})
	}
}

func TestNewNormalises(t *testing.T) {
	week := Week{time.Monday: {{13 * 60, 17 * 60}, {9 * 60, 12 * 60}, {12 * 60, 12*60 + 30}, {16 * 60, 18 * 60}}}
	closed := []Date{{2025, 12, 26}, {2025, 12, 25}, {2025, 12, 26}}
	s, err := New(nil, week, closed)
	if err != nil {
		t.Fatal(err)
	}
	wantWeek := Week{time.Monday: {{9 * 60, 12*60 + 30}, {13 * 60, 18 * 60}}}
	if got := s.Week(); !weeksEqual(got, wantWeek) {
		t.Errorf("Week = %v, want %v", got, wantWeek)
	}
	if got, want := s.Closed(), []Date{{2025, 12, 25}, {2025, 12, 26}}; !slices.Equal(got, want) {
		t.Errorf("Closed = %v, want %v", got, want)
	}
	if s.Zone() != time.UTC {
		t.Errorf("Zone = %v, want UTC", s.Zone())
	}
	if want := "Mon 09:00-12:30, 13:00-18:00 in UTC, 2 days closed"; s.String() != want {
		t.Errorf("String = %q, want %q", s.String(), want)
	}
	// The copies are the caller's to change.
	s.Week()[time.Monday][0].Start = 0
	s.Closed()[0].Year = 1999
	if s.Week()[time.Monday][0].Start != 9*60 || s.Closed()[0].Year != 2025 {
		t.Error("changing a returned copy changed the schedule")
	}
	week[time.Monday][0].Start = 0
	if s.Week()[time.Monday][1].Start != 13*60 {
		t.Error("changing the week given to New changed the schedule")
	}
}

func weeksEqual(a, b Week) bool {
	for d := range a {
		if !slices.Equal(a[d], b[d]) {
			return false
		}
	}
	return true
}

func TestScheduleString(t *testing.T) {
	tests := []struct {
		name string
		s    *Schedule
		want string
	}{
		{"all hours", AllHours(zone(t, "Europe/Dublin")), "24/7 in Europe/Dublin"},
		{"one closed day", schedule(t, "America/Vancouver", "weekdays 09:00-17:00", "2025-12-25"), "Mon-Fri 09:00-17:00 in America/Vancouver, 1 day closed"},
		{"24/7 with closed days", schedule(t, "UTC", "24/7", "2025-12-25", "2025-12-26"), "24/7 in UTC, 2 days closed"},
		{"no hours", mustNew(t, time.UTC, Week{}), "closed in UTC"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.String(); got != tc.want {
				t.Errorf("String = %q, want %q", got, tc.want)
			}
		})
	}
}

func mustNew(t *testing.T, loc *time.Location, w Week) *Schedule {
	t.Helper()
	s, err := New(loc, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIsAllHours(t *testing.T) {
	tests := []struct {
		name string
		s    *Schedule
		want bool
	}{
		{"24/7", schedule(t, "UTC", "24/7"), true},
		{"daily 00:00-24:00", schedule(t, "UTC", "daily 00:00-24:00"), true},
		{"pieces that merge to whole days", schedule(t, "UTC", "daily 00:00-12:00; daily 12:00-24:00"), true},
		{"24/7 with a closed day", schedule(t, "UTC", "24/7", "2025-12-25"), false},
		{"one minute short", schedule(t, "UTC", "daily 00:00-23:59"), false},
		{"no hours", mustNew(t, time.UTC, Week{}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.IsAllHours(); got != tc.want {
				t.Errorf("IsAllHours = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEmptyWeekCountsNothing(t *testing.T) {
	s := mustNew(t, zone(t, "Europe/Dublin"), Week{})
	if got := s.Seconds(utc(t, "2025-01-01 00:00"), utc(t, "2026-01-01 00:00")); got != 0 {
		t.Errorf("Seconds = %d, want 0", got)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2025-12-25", want: Date{2025, time.December, 25}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "0001-01-01", want: Date{1, time.January, 1}},
		{in: "2025-02-29", wantErr: `"2025-02-29" is not a real date`},
		{in: "2025-13-01", wantErr: `"2025-13-01" is not a real date`},
		{in: "2025-12-00", wantErr: `"2025-12-00" is not a real date`},
		{in: "25-12-2025", wantErr: `"25-12-2025" is not a date like 2025-12-25`},
		{in: "2025-1-5", wantErr: `"2025-1-5" is not a date like 2025-12-25`},
		{in: "2025/12/25", wantErr: `"2025/12/25" is not a date like 2025-12-25`},
		{in: "+025-12-25", wantErr: `"+025-12-25" is not a date like 2025-12-25`},
		{in: "", wantErr: `"" is not a date like 2025-12-25`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseDate = %v, %v, want %v", got, err, tc.want)
			}
			if got.String() != tc.in {
				t.Errorf("String = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

func TestCivilDays(t *testing.T) {
	for day := daysFromCivil(1600, 1, 1); day < daysFromCivil(2400, 1, 1); day += 17 {
		y, m, d := civilFromDays(day)
		tm := time.Date(int(y), m, d, 0, 0, 0, 0, time.UTC)
		if tm.Unix() != day*secondsPerDay || tm.Weekday() != weekdayOf(day) {
			t.Fatalf("day %d: %d-%d-%d %s, time says %s", day, y, m, d, weekdayOf(day), tm.Format("2006-01-02 Monday"))
		}
		if back := daysFromCivil(y, m, d); back != day {
			t.Fatalf("day %d round-trips to %d", day, back)
		}
	}
}
