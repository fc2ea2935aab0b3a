package officehours

import (
	"math"
	"sync"
	"testing"
	"time"
)

func FuzzParseWeek(f *testing.F) {
	for _, seed := range []string{
		"Mon-Fri 09:00-17:00; Sat 10:00-14:00",
		"weekdays 09:00-12:00 13:00-17:30",
		"Mon,Wed 08:00-16:00; Tue 10:00-14:00, 15:00-18:00",
		"24/7", "daily 00:00-24:00", "Fri-Mon 22:00-24:00", "weekends 9:00 – 10:00",
		"Mon-Fri 9-17", "Mon-Fry 09:00-17:00", "Mon 18:00-09:00", "", ";", "Mon 24:00-24:00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		w, err := ParseWeek(spec)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for day, ivs := range w {
			for i, iv := range ivs {
				if iv.Start < 0 || iv.End > 1440 || iv.Start >= iv.End || i > 0 && ivs[i-1].End >= iv.Start {
					t.Fatalf("ParseWeek(%q): %s has bad or unmerged intervals %v", spec, time.Weekday(day), ivs)
				}
			}
		}
		canonical := FormatWeek(w)
		back, err := ParseWeek(canonical)
		if err != nil {
			t.Fatalf("ParseWeek(%q) = %v, whose canonical form %q does not parse: %v", spec, w, canonical, err)
		}
		if !weeksEqual(back, w) {
			t.Fatalf("ParseWeek(%q) = %v, but its canonical form %q reads back as %v", spec, w, canonical, back)
		}
		if again := FormatWeek(back); again != canonical {
			t.Fatalf("canonical form %q formats again as %q", canonical, again)
		}
	})
}

var fuzzZones = []string{"UTC", "America/Vancouver", "Europe/Dublin", "Australia/Sydney", "Asia/Kolkata", "America/Santiago", "Australia/Lord_Howe"}

// fuzzSchedules caches schedules, as building one's table takes about a millisecond.
var fuzzSchedules sync.Map

// fuzzSchedule turns fuzz bits into one of a bounded number of schedules:
// each weekday gets no hours, one range or two, in 30-minute steps.
func fuzzSchedule(t *testing.T, zoneBits uint8, weekBits uint32, closedBits uint8) *Schedule {
	key := [3]uint64{uint64(zoneBits) % uint64(len(fuzzZones)), uint64(weekBits % 4096), uint64(closedBits % 4)}
	if s, ok := fuzzSchedules.Load(key); ok {
		return s.(*Schedule)
	}
	var week Week
	bits := weekBits % 4096
	for day := range week {
		switch (bits >> (day % 6 * 2)) & 3 {
		case 1:
			week[day] = []Interval{{0, 1440}}
		case 2:
			start := int(bits>>day%48) * 30
			week[day] = []Interval{{start, start + 30 + int(bits%8)*30}}
			week[day][0].End = min(week[day][0].End, 1440)
		case 3:
			week[day] = []Interval{{60, 240}, {int(bits%40) * 30, 1440}}
		}
	}
	var closed []Date
	for i := range int(closedBits % 4) {
		closed = append(closed, Date{2025 - i*15, time.Month(3 + i*3), 9 + i*7})
	}
	loc, err := time.LoadLocation(fuzzZones[key[0]])
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(loc, week, closed)
	if err != nil {
		t.Fatal(err)
	}
	fuzzSchedules.Store(key, s)
	return s
}

func FuzzSeconds(f *testing.F) {
	f.Add(int64(1741500000), int64(1741600000), uint8(1), uint32(0x555), uint8(0), false)
	f.Add(int64(1761000000), int64(1762500000), uint8(2), uint32(0xfff), uint8(3), false)
	f.Add(int64(math.MinInt64), int64(math.MaxInt64), uint8(3), uint32(0xaaa), uint8(1), true)
	f.Add(int64(0), int64(1<<40), uint8(5), uint32(7), uint8(2), true)
	f.Fuzz(func(t *testing.T, from, to int64, zoneBits uint8, weekBits uint32, closedBits uint8, raw bool) {
		if !raw {
			// Mostly look at 1990-2050, where conversations are, without
			// making the fuzzer discover it.
			const lo, width = 631152000, 60 * 365 * 86400
			from = lo + int64(uint64(from)%width)
			to = from + int64(uint64(to)%(50*86400))
		}
		s := fuzzSchedule(t, zoneBits, weekBits, closedBits)
		a, c := min(from, to), max(from, to)
		b := a + int64((uint64(c)-uint64(a))/2) // midpoint, without overflow
		checkProperties(t, s, a, b, c)
		if got, want := AllHours(s.Zone()).Seconds(a, c), spanLength(a, c); got != want {
			t.Fatalf("all hours: Seconds(%d, %d) = %d, want %d", a, c, got, want)
		}
	})
}
