package officehours

import (
	"math/rand/v2"
	"testing"
)

// Run with:
//
//	go test -run='^$' -bench=BenchmarkSeconds -benchmem ./officehours/
func BenchmarkSeconds(b *testing.B) {
	s := schedule(b, "Europe/Dublin", "Mon-Fri 09:00-12:00, 13:00-17:30; Sat 10:00-14:00", "2025-03-17", "2025-12-25", "2025-12-26")
	lo, hi := utc(b, "2024-01-01 00:00"), utc(b, "2027-01-01 00:00")
	for _, span := range []struct {
		name   string
		length int64
	}{{"1h", hour}, {"3d", 3 * 24 * hour}, {"3w", 21 * 24 * hour}} {
		// Random starts defeat the branch predictor and caches the way a
		// real export would.
		r := rand.New(rand.NewPCG(1, 2))
		starts := make([]int64, 4096)
		for i := range starts {
			starts[i] = lo + r.Int64N(hi-lo)
		}
		s.Seconds(lo, hi) // build the table outside the timing
		b.Run(span.name, func(b *testing.B) {
			b.ReportAllocs()
			var sink int64
			i := 0
			for b.Loop() {
				a := starts[i&4095]
				sink += s.Seconds(a, a+span.length)
				i++
			}
			if sink < 0 {
				b.Fatal(sink)
			}
		})
	}
	b.Run("3w parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(3, 4))
			var sink int64
			for pb.Next() {
				a := lo + r.Int64N(hi-lo)
				sink += s.Seconds(a, a+21*24*hour)
			}
			if sink < 0 {
				b.Error(sink)
			}
		})
	})
}

// BenchmarkNew measures building a schedule and its table, paid once per run.
func BenchmarkNew(b *testing.B) {
	week, err := ParseWeek("Mon-Fri 09:00-12:00, 13:00-17:30")
	if err != nil {
		b.Fatal(err)
	}
	loc := zone(b, "Europe/Dublin")
	b.ReportAllocs()
	for b.Loop() {
		s, err := New(loc, week, nil)
		if err != nil {
			b.Fatal(err)
		}
		s.Seconds(0, 1)
	}
}
