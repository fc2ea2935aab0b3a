package reconcile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/icrecon/icrecon/intercom"
	. "github.com/icrecon/icrecon/internal/convtest"
)

// randomWorkspace builds n conversations around October 2025 with random
// starts, replies (by teammates and bots), closes and reopens, and feeds
// them to a reconciler: most in both sources, some in one, some export rows
// twice, some export values off.
func randomWorkspace(t *testing.T, rng *rand.Rand, n int) *Reconciler {
	return randomSources(t, rng, n, true, true)
}

// randomSources is randomWorkspace with either source left out.
func randomSources(t *testing.T, rng *rand.Rand, n int, withExport, withPulls bool) *Reconciler {
	t.Helper()
	r := New(Options{Metrics: testMetrics, Zone: Vancouver})
	type pulled struct {
		c   *intercom.Conversation
		dup bool
	}
	var pulls []pulled
	base := At("2025-09-25 00:00")
	for i := range n {
		created := base + rng.Int64N(40*86400)
		c := randomConversation(rng, fmt.Sprintf("9%06d", i), created)
		export, pull := sides(c)
		if rng.IntN(10) == 0 { // a value off, as a stale or wrong export would be
			export.Reported.TimeToAdminReplyAllHours.N += rng.Int64N(7200)
			export.Reported.FirstAdminReplyAt.Unix += rng.Int64N(3600)
		}
		inExport, inAPI := rng.IntN(10) > 0, rng.IntN(10) > 0
		if !inExport && !inAPI {
			inExport = true
		}
		inExport, inAPI = inExport && withExport, inAPI && withPulls
		if !inExport && !inAPI {
			continue
		}
		if inExport {
			if err := r.AddExport(export, false); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(25) == 0 {
				if err := r.AddExport(export, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		if inAPI {
			pulls = append(pulls, pulled{pull, rng.IntN(30) == 0})
		}
	}
	for _, p := range pulls {
		out := r.PrepareAPI(p.c)
		if err := r.AddAPI(p.c, out, false); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func randomConversation(rng *rand.Rand, id string, created int64) *intercom.Conversation {
	wall := func(t int64) string { return time.Unix(t, 0).In(Vancouver).Format("2006-01-02 15:04:05") }
	src := Customer
	if rng.IntN(4) == 0 {
		src = Sam
	}
	t := created
	next := func() string { t += 60 + rng.Int64N(3*86400/int64(1+rng.IntN(20))); return wall(t) }
	var parts []intercom.Part
	for range rng.IntN(9) {
		switch k := rng.IntN(10); {
		case k < 3:
			parts = append(parts, Comment(Customer, next()))
		case k < 5:
			parts = append(parts, Comment(Sam, next()))
		case k < 6:
			parts = append(parts, Comment(Fin, next()))
		case k < 7:
			parts = append(parts, Assign(Operator, next()))
		case k < 9:
			parts = append(parts, Close([]intercom.Author{Sam, Fin}[rng.IntN(2)], next()))
		default:
			parts = append(parts, Note(Kim, next()))
		}
	}
	c := Conv(src, wall(created), parts...)
	c.ID = id
	c.UpdatedAt = intercom.At(t)
	return c
}

// randomFigures are one of every metric, over random periods and zones,
// with random dashboard values.
func randomFigures(rng *rand.Rand) []intercom.Figure {
	var out []intercom.Figure
	for _, m := range intercom.Metrics {
		from := intercom.Date{Year: 2025, Month: time.October, Day: 1 + rng.IntN(20)}
		to := intercom.Date{Year: 2025, Month: time.October, Day: from.Day + rng.IntN(31-from.Day+1)}
		f := intercom.Figure{Metric: m.ID, From: from, To: to, Value: float64(rng.IntN(300)), Raw: "x"}
		if m.Kind == intercom.MetricDuration {
			f.Value, f.Raw = float64(rng.IntN(20000)), []string{"14m", "840", "1h 2m 3s"}[rng.IntN(3)]
			f.Hours = []intercom.Hours{intercom.HoursAll, intercom.HoursOffice, intercom.HoursUnknown}[rng.IntN(3)]
		}
		if rng.IntN(3) == 0 {
			f.Zone = "UTC"
		}
		out = append(out, f)
	}
	return out
}

// TestBridgesCloseExactly: over random workspaces, every count bridge
// satisfies naive + Σ deltas + residual = dashboard exactly, every step's
// value is the one before plus its delta, and the internal checks (the
// cohort and the values reach the recomputed ones) hold.
func TestBridgesCloseExactly(t *testing.T) {
	for seed := range uint64(90) {
		rng := rand.New(rand.NewPCG(seed, 7))
		// Both sources, then the export alone, then the pulls alone.
		r := randomSources(t, rng, 20+rng.IntN(200), seed%3 != 2, seed%3 != 1)
		res, err := r.Finish(randomFigures(rng))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, f := range res.Figures {
			value := f.Naive
			for _, st := range f.Bridge {
				if st.Cause == "export_only" && st.Delta != 0 {
					t.Errorf("seed %d %s: export_only moved the figure by %v; it names conversations, it moves none", seed, f.Figure.Metric, st.Delta)
				}
				if !math.IsNaN(st.Delta) && value+st.Delta != st.Value {
					t.Errorf("seed %d %s: step %s from %v by %v gives %v", seed, f.Figure.Metric, st.Cause, value, st.Delta, st.Value)
				}
				value = st.Value
			}
			if f.Count {
				sum := f.Naive + f.Residual
				for _, st := range f.Bridge {
					sum += st.Delta
				}
				if sum != f.Figure.Value {
					t.Errorf("seed %d %s: naive %v + steps + residual %v = %v, dashboard %v", seed, f.Figure.Metric, f.Naive, f.Residual, sum, f.Figure.Value)
				}
			} else if !math.IsNaN(value) && value+f.Residual != f.Figure.Value {
				t.Errorf("seed %d %s: last value %v + residual %v != dashboard %v", seed, f.Figure.Metric, value, f.Residual, f.Figure.Value)
			}
		}
		a := res.Accounting
		if a.Matched+a.ExportOnly+a.APIOnly != a.Conversations {
			t.Errorf("seed %d: accounting %+v", seed, a)
		}
	}
}

func TestTypedPrecision(t *testing.T) {
	cases := map[string]float64{"14m": 60, "1h 12m": 60, "1h": 3600, "2d 4h": 3600, "00:14:00": 1, "840": 1, "1h 2m 3s": 1, "14 minutes": 60, "3 days": 86400}
	for raw, want := range cases {
		if got := typedPrecision(raw); got != want {
			t.Errorf("typedPrecision(%q) = %v, want %v", raw, got, want)
		}
	}
}
