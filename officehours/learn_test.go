package officehours

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// samplesUnder draws spans over October 2025 — a few minutes (reply
// times), hours (first responses), days (closes) — and states for each the
// office seconds the schedule's engine gives: what a source computed under
// a schedule the learner must find.
func samplesUnder(t testing.TB, s *Schedule, n int, seed uint64, noise float64) []Sample {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	start := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC).Unix()
	var out []Sample
	for range n {
		from := start + r.Int64N(31*86400)
		var length int64
		switch u := r.Float64(); {
		case u < 0.4:
			length = 60 + r.Int64N(30*60)
		case u < 0.8:
			length = 1800 + r.Int64N(10*3600)
		default:
			length = 10*3600 + r.Int64N(4*86400)
		}
		x := Sample{From: from, To: from + length, Office: s.Seconds(from, from+length)}
		if r.Float64() < noise {
			x.Office = r.Int64N(length) // a stale or planted value
		}
		out = append(out, x)
	}
	return out
}

func mustSchedule(t testing.TB, zone, spec string) *Schedule {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	week, err := ParseWeek(spec)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(loc, week, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLearn(t *testing.T) {
	vancouver, _ := time.LoadLocation("America/Vancouver")
	cases := []struct {
		name, zone, spec string
		noise            float64
		wantZones        []string // the learned zone or one the data cannot tell from it
	}{
		{"real data: weekdays 9 to 5 in an eastern-Australian zone", "Australia/Sydney", "Mon-Fri 09:00-17:00", 0, []string{"Australia/Sydney", "Australia/Melbourne", "Australia/Hobart"}},
		{"real data: every day 00:00-23:59", "America/Vancouver", "daily 00:00-23:59", 0, []string{"America/Vancouver", "America/Los_Angeles"}},
		{"all hours", "America/Vancouver", "24/7", 0, nil},
		{"the sample workspace's week", "America/Vancouver", "Mon-Fri 09:00-17:00; Sat 10:00-14:00", 0, []string{"America/Vancouver", "America/Los_Angeles"}},
		{"two intervals a day, in Europe", "Europe/Berlin", "Mon-Thu 08:30-12:00, 13:00-18:00; Fri 08:30-15:00", 0, []string{"Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Amsterdam", "Europe/Stockholm"}},
		{"one sample in twenty stale or planted", "America/New_York", "Mon-Fri 09:00-17:00", 0.05, []string{"America/New_York", "America/Toronto"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			truth := mustSchedule(t, tc.zone, tc.spec)
			samples := samplesUnder(t, truth, 3000, 1, tc.noise)
			got := Learn(samples, []*time.Location{vancouver})
			if got == nil {
				t.Fatal("nothing learned")
			}
			if got.Schedule.Spec() != truth.Spec() {
				t.Errorf("learned %q in %s, want %q in %s (reproduces %d of %d)", got.Schedule.Spec(), got.Schedule.Zone(), truth.Spec(), tc.zone, got.Reproduced, got.Compared)
			}
			if tc.wantZones != nil && !slices.Contains(tc.wantZones, got.Schedule.Zone().String()) {
				t.Errorf("learned zone %s, want one of %v", got.Schedule.Zone(), tc.wantZones)
			}
			if want := Reproduces(truth, samples); got.Reproduced < want {
				t.Errorf("the learned schedule reproduces %d, the true one %d", got.Reproduced, want)
			}
		})
	}
}

func TestLearn_NothingUsable(t *testing.T) {
	if got := Learn([]Sample{{From: 10, To: 5, Office: 0}}, nil); got != nil {
		t.Errorf("learned %v from a backwards span", got.Schedule)
	}
}

func TestLearn_ClosedDays(t *testing.T) {
	week, _ := ParseWeek("Mon-Fri 09:00-17:00")
	loc, _ := time.LoadLocation("America/Vancouver")
	truth, err := New(loc, week, []Date{{2025, 10, 13}})
	if err != nil {
		t.Fatal(err)
	}
	got := Learn(samplesUnder(t, truth, 3000, 2, 0), nil)
	zone := got.Schedule.Zone().String()
	if got.Schedule.Spec() != truth.Spec() || !slices.Equal(got.Schedule.Closed(), truth.Closed()) || (zone != "America/Vancouver" && zone != "America/Los_Angeles") {
		t.Errorf("learned %s closed %v, want %s closed %v", got.Schedule, got.Schedule.Closed(), truth, truth.Closed())
	}
}
