package reconcile

import (
	"math"
	"testing"

	"github.com/icrecon/icrecon/intercom"
)

// The compact figureValues must give back every value it was given,
// including the ones that only fit the wide form.
func TestFigureValues_KeepEveryValue(t *testing.T) {
	cases := []struct {
		name     string
		time     int64
		duration int64
		wide     bool
	}{
		{"ordinary", 1_700_000_000, 3_600, false},
		{"unset", noTime, noDuration, false},
		{"zero duration", 1_700_000_000, 0, false},
		{"last second of 2106", math.MaxUint32, math.MaxInt32, false},
		{"before 1970", -86_400, 60, true},
		{"the epoch itself", 0, 60, true},
		{"after 2106", math.MaxUint32 + 1, 60, true},
		{"a duration of 70 years", 1_700_000_000, math.MaxInt32 + 1, true},
		{"a negative duration", 1_700_000_000, -5, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var w wideValues
			for i := range w.times {
				w.times[i] = tc.time
			}
			for i := range w.dur {
				w.dur[i] = [2]int64{tc.duration, tc.duration}
			}
			w.firstReplyDurAny = [2]int64{tc.duration, tc.duration}
			v := compact(&w, intercom.Customer, 3)
			if (v.wide != nil) != tc.wide {
				t.Errorf("wide form kept = %v, want %v", v.wide != nil, tc.wide)
			}
			for i := range w.times {
				if got := v.time(i); got != tc.time {
					t.Errorf("time %d = %d, want %d", i, got, tc.time)
				}
			}
			for i := range w.dur {
				for h := range 2 {
					if got := v.duration(i, h); got != tc.duration {
						t.Errorf("duration %d/%d = %d, want %d", i, h, got, tc.duration)
					}
				}
			}
			if got := v.replyDurationAny(allHours); got != tc.duration {
				t.Errorf("reply duration by anyone = %d, want %d", got, tc.duration)
			}
			if v.reopens != 3 || v.initiator != intercom.Customer || !v.set {
				t.Errorf("reopens %d, initiator %v, set %v", v.reopens, v.initiator, v.set)
			}
		})
	}
}

func TestReportedKeys_KeepEveryValue(t *testing.T) {
	for _, at := range []int64{1_700_000_000, -1, math.MaxUint32 + 5} {
		st := intercom.Statistics{FirstAdminReplyAt: intercom.At(at), TimeToAdminReply: intercom.Secs(90)}
		got := reportedKeys(&st).keys()
		want := keyValues{firstReply: at, lastClose: noTime, firstResponse: 90, toClose: noDuration}
		if got != want {
			t.Errorf("at %d: keys %+v, want %+v", at, got, want)
		}
	}
}
