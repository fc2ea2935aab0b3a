package pull

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// pacer spaces requests by what Intercom says of its rate limit: the
// X-RateLimit-Remaining calls left until X-RateLimit-Reset. While plenty
// remain it does nothing; when the budget runs low it spreads what is left
// over the time to the reset; at zero, or on a 429, it holds every request
// until the reset. One pacer serves all of a client's workers.
type pacer struct {
	now       func() time.Time
	mu        sync.Mutex
	notBefore time.Time     // no request starts before this
	spacing   time.Duration // the least time between two request starts
	last      time.Time     // when the last request was let go
}

// lowBudget is the share of the limit below which requests are spread out.
const lowBudget = 0.2

// next reserves a start time and returns how long to wait for it.
func (p *pacer) next() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	start := now
	if p.notBefore.After(start) {
		start = p.notBefore
	}
	if at := p.last.Add(p.spacing); p.spacing > 0 && at.After(start) {
		start = at
	}
	p.last = start
	return start.Sub(now)
}

// observe reads the rate-limit headers of an answer.
func (p *pacer) observe(h http.Header, status int) {
	limit, okLimit := headerInt(h, "X-RateLimit-Limit")
	remaining, okRemaining := headerInt(h, "X-RateLimit-Remaining")
	reset, okReset := headerInt(h, "X-RateLimit-Reset")
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	resetAt := now.Add(time.Second) // "some requests do not return Rate Limit Headers"
	if okReset {
		resetAt = time.Unix(reset, 0)
	}
	switch {
	case status == http.StatusTooManyRequests || okRemaining && remaining <= 0:
		if resetAt.After(p.notBefore) {
			p.notBefore = resetAt
		}
	case okLimit && okRemaining && float64(remaining) < lowBudget*float64(limit):
		p.spacing = resetAt.Sub(now) / time.Duration(remaining)
	case okLimit && okRemaining:
		p.spacing = 0
	}
}

func headerInt(h http.Header, name string) (int64, bool) {
	n, err := strconv.ParseInt(h.Get(name), 10, 64)
	return n, err == nil
}
