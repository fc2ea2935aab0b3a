package pull

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	headers := func(limit, remaining int, reset time.Time) http.Header {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		return h
	}
	reset := now.Add(10 * time.Second)
	cases := []struct {
		name     string
		header   http.Header
		status   int
		wantWait []time.Duration // of the next three requests
	}{
		{"plenty left: no waiting", headers(1000, 900, reset), 200, []time.Duration{0, 0, 0}},
		{"no headers: no waiting", http.Header{}, 200, []time.Duration{0, 0, 0}},
		{"running low: what is left is spread to the reset", headers(1000, 100, reset), 200, []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}},
		{"none left: everything waits for the reset", headers(1000, 0, reset), 200, []time.Duration{10 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"429 with a reset: wait for it", headers(1000, 0, now.Add(3*time.Second)), 429, []time.Duration{3 * time.Second, 3 * time.Second, 3 * time.Second}},
		{"429 without headers: wait a second", http.Header{}, 429, []time.Duration{time.Second, time.Second, time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &pacer{now: func() time.Time { return now }}
			p.observe(tc.header, tc.status)
			for i, want := range tc.wantWait {
				if got := p.next(); got != want {
					t.Errorf("request %d waits %v, want %v", i+1, got, want)
				}
			}
		})
	}
}
