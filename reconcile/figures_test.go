package reconcile

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMedianAgreesWithSorting checks the selection against a sort.
func TestMedianAgreesWithSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		xs := make([]int64, n)
		for i := range xs {
			xs[i] = rng.Int64N(int64(1 + rng.IntN(50))) // many ties
		}
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		want := 0.0
		if n > 0 {
			want = float64(sorted[n/2])
			if n%2 == 0 {
				want = float64((sorted[n/2-1] + sorted[n/2]) / 2) // rounded down
			}
		}
		got := definition{}.median(xs)
		if n == 0 && !math.IsNaN(got) || n > 0 && got != want {
			t.Fatalf("median of %v = %v, want %v", sorted, got, want)
		}
	}
}
