package fakeintercom

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options choose the token the server accepts and the faults it injects.
type Options struct {
	Token   string        // the bearer token the server accepts; "" means "test-token"
	Latency time.Duration // added before every response (honour request cancellation while waiting)

	// RateLimit is the number of requests allowed per one-second window aligned to Unix
	// seconds. Every response then carries X-RateLimit-Limit, X-RateLimit-Remaining
	// (what is left in the current window, never below 0) and X-RateLimit-Reset (Unix
	// seconds when the window ends = current second + 1). A request beyond the limit
	// gets 429 with an error.list body (code "rate_limit_exceeded", message
	// "Rate Limit Exceeded") and the same headers. 0: no limit and no rate-limit headers.
	RateLimit int

	// Every Nth request by arrival order (counting all requests, 1-based, n%N==0) gets the fault; 0 disables.
	ServerErrorEvery int // answers 500, 502 or 503 in turn; 500 with an error.list body (code "server_error"), 502/503 with a small HTML page (as a proxy would)
	SlowEvery        int // waits Slow before answering normally (honour request cancellation)
	Slow             time.Duration
	DropEvery        int // sends status 200, headers with the full Content-Length, half of the body, then kills the connection (panic(http.ErrAbortHandler) after flushing)

	// RepeatCursorOnce: the first time a search or list result has at least three pages,
	// the response for its second page gives as its next cursor the cursor that led to the
	// second page (so a client following it blindly loops). Only once per server.
	RepeatCursorOnce bool

	// UpdateMidPull: conversation id. Right after the first search (or list) page that
	// lists it has been served, the conversation is changed: updated_at + 3600, one admin
	// comment part appended to conversation_parts.conversation_parts (id "fake-update-1",
	// part_type "comment", created_at = the new updated_at, author {"type":"admin","id":"5001","name":"Fake Admin","email":"fake.admin@example.com"}, body "<p>Update</p>"),
	// conversation_parts.total_count + 1 and statistics.count_conversation_parts + 1 when present.
	UpdateMidPull string
	// UpdateAfterFetch: conversation id. Right after the first detail response for it has
	// been served, it is changed the same way (so a client that already fetched it holds a stale copy).
	UpdateAfterFetch string
	// DeleteMidPull: conversation id. Search and list still show it, but its detail
	// answers 404 (error.list, code "not_found", message "Resource Not Found").
	DeleteMidPull string

	// StrictBounds makes search's ">" and "<" exclude their bound. By default they
	// include it, as the API reference's table says ("Greater (or equal) than").
	StrictBounds bool
}

// Stats counts what the server was asked and which faults it served.
type Stats struct {
	Requests, Searches, Lists, Details       int            // every request; and per endpoint (counting faulted ones too)
	RateLimited, ServerErrors, Slow, Dropped int            // faults served
	Versions                                 map[string]int // Intercom-Version header values seen (missing header counted under "")
}

// Server is a running fake Intercom API.
type Server struct {
	URL string // base URL, e.g. http://127.0.0.1:port (no trailing slash)

	opts   Options
	ts     *httptest.Server
	cancel context.CancelFunc // ends every request's context, so Close never waits out a delay

	mu             sync.Mutex
	byID           map[string]*record
	order          []*record // by created_at, then id
	stats          Stats
	window         int64 // the Unix second the rate limit is counting
	used           int   // requests in that second
	updates        int   // update faults applied, numbering the parts they add
	repeated       bool  // RepeatCursorOnce has fired
	midPullDone    bool  // UpdateMidPull has fired
	afterFetchDone bool  // UpdateAfterFetch has fired
}

// New starts a server holding convs (each a JSON object of one conversation with its
// parts; ids as strings or numbers). It returns an error for a conversation that is not
// a JSON object with an id, created_at and updated_at, or for a repeated id.
func New(convs [][]byte, opts Options) (*Server, error) {
	opts.Token = cmp.Or(opts.Token, "test-token")
	s := &Server{opts: opts, byID: make(map[string]*record, len(convs)), stats: Stats{Versions: map[string]int{}}}
	for i, raw := range convs {
		rec, err := newRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("fakeintercom: convs[%d]: %v", i, err)
		}
		if _, dup := s.byID[rec.id]; dup {
			return nil, fmt.Errorf("fakeintercom: convs[%d]: id %s is repeated", i, rec.id)
		}
		s.byID[rec.id] = rec
		s.order = append(s.order, rec)
	}
	sortRecords(s.order)
	if err := s.checkTargets(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	s.ts.Start()
	s.URL = s.ts.URL
	return s, nil
}

// checkTargets refuses fault options naming a conversation the server does
// not hold, or one an update could not be applied to: either would make a
// test pass without the fault ever happening.
func (s *Server) checkTargets() error {
	targets := []struct{ name, id string }{
		{"UpdateMidPull", s.opts.UpdateMidPull},
		{"UpdateAfterFetch", s.opts.UpdateAfterFetch},
		{"DeleteMidPull", s.opts.DeleteMidPull},
	}
	for i, t := range targets {
		if t.id == "" {
			continue
		}
		rec, ok := s.byID[t.id]
		if !ok {
			return fmt.Errorf("fakeintercom: %s: no conversation %s", t.name, t.id)
		}
		if i < 2 {
			if _, err := rec.updated("check"); err != nil {
				return fmt.Errorf("fakeintercom: %s: conversation %s cannot be updated: %v", t.name, t.id, err)
			}
		}
	}
	return nil
}

// Close stops the server. Requests still waiting out a delay are cut off.
func (s *Server) Close() {
	s.cancel()
	s.ts.Close()
}

// Conversations returns each conversation's current detail JSON by id (after any
// update fault; a deleted one is absent). Bytes for an unchanged conversation are exactly
// those given to New.
func (s *Server) Conversations() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]byte, len(s.byID))
	for id, rec := range s.byID {
		if id != s.opts.DeleteMidPull {
			out[id] = bytes.Clone(rec.detail)
		}
	}
	return out
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Versions = maps.Clone(s.stats.Versions)
	return st
}

// endpoint is what a request addresses.
type endpoint int

const (
	unknown endpoint = iota
	list
	search
	detail
)

// classify finds the endpoint; anything else is answered 404, whatever the
// method, like the API's unknown routes.
func classify(r *http.Request) (endpoint, string) {
	p := r.URL.Path
	switch {
	case p == "/conversations" && r.Method == http.MethodGet:
		return list, ""
	case p == "/conversations/search" && r.Method == http.MethodPost:
		return search, ""
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/conversations/"):
		id := strings.TrimPrefix(p, "/conversations/")
		if id != "" && !strings.Contains(id, "/") {
			return detail, id
		}
	}
	return unknown, ""
}

// arrival is what was decided about a request when it came in.
type arrival struct {
	endpoint    endpoint
	id          string     // the conversation a detail request asks for
	rate        *rateState // nil without a rate limit
	serverError int        // 500, 502 or 503; 0 for none
	slow, drop  bool
}

type rateState struct {
	limit, remaining int
	reset            int64
	over             bool
}

// serverErrors are answered in turn by ServerErrorEvery.
var serverErrors = []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}

// arrive counts a request and decides its faults by its arrival number, all
// under the lock, so concurrent clients see the faults in a fixed rotation.
func (s *Server) arrive(r *http.Request) arrival {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests++
	n := s.stats.Requests
	s.stats.Versions[r.Header.Get("Intercom-Version")]++
	a := arrival{}
	a.endpoint, a.id = classify(r)
	switch a.endpoint {
	case list:
		s.stats.Lists++
	case search:
		s.stats.Searches++
	case detail:
		s.stats.Details++
	}
	if s.opts.RateLimit > 0 {
		a.rate = s.takeRate(time.Now().Unix())
	}
	if every(n, s.opts.ServerErrorEvery) {
		a.serverError = serverErrors[(n/s.opts.ServerErrorEvery-1)%len(serverErrors)]
	}
	a.slow = every(n, s.opts.SlowEvery)
	a.drop = every(n, s.opts.DropEvery)
	return a
}

func every(n, period int) bool { return period > 0 && n%period == 0 }

// takeRate spends one request of the current one-second window.
func (s *Server) takeRate(now int64) *rateState {
	if now != s.window {
		s.window, s.used = now, 0
	}
	s.used++
	limit := s.opts.RateLimit
	return &rateState{limit: limit, remaining: max(limit-s.used, 0), reset: now + 1, over: s.used > limit}
}

func (rs *rateState) setHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(rs.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rs.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(rs.reset, 10))
}

// serve answers one request: latency, then the first fault that applies,
// then the endpoint.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	a := s.arrive(r)
	if !sleep(r.Context(), s.opts.Latency) {
		panic(http.ErrAbortHandler) // nobody is waiting, or the server is closing
	}
	if a.rate != nil {
		a.rate.setHeaders(w.Header())
	}
	rep := s.answer(r, a)
	if a.drop && rep.status == http.StatusOK {
		s.count(&s.stats.Dropped)
		writeHalf(w, rep)
	}
	writeReply(w, rep)
}

// answer builds the reply: a refusal or fault, or the endpoint's answer.
func (s *Server) answer(r *http.Request, a arrival) reply {
	switch {
	case !s.authorized(r):
		return errorReply(http.StatusUnauthorized, "unauthorized", "", "Access Token Invalid")
	case a.rate != nil && a.rate.over:
		s.count(&s.stats.RateLimited)
		return errorReply(http.StatusTooManyRequests, "rate_limit_exceeded", "", "Rate Limit Exceeded")
	case a.serverError != 0:
		s.count(&s.stats.ServerErrors)
		return serverErrorReply(a.serverError)
	}
	if a.slow {
		s.count(&s.stats.Slow)
		if !sleep(r.Context(), s.opts.Slow) {
			panic(http.ErrAbortHandler)
		}
	}
	// A dropped answer never reaches the client whole, so it must not set
	// off the once-only faults that depend on a page having been seen.
	served := !a.drop
	switch a.endpoint {
	case list:
		return s.list(r.URL.Query(), served)
	case search:
		return s.search(r.Body, served)
	case detail:
		return s.detail(a.id, served)
	}
	return notFound()
}

func (s *Server) count(n *int) {
	s.mu.Lock()
	*n++
	s.mu.Unlock()
}

// authorized checks the bearer token; the scheme is case-insensitive (RFC 9110).
func (s *Server) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && token == s.opts.Token
}

// list answers GET /conversations.
func (s *Server) list(q url.Values, served bool) reply {
	pg := paging{cursor: q.Get("starting_after")}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return badRequest(invalid("per_page", "per_page must be an integer, got %q", v))
		}
		if pg.perPage, err = checkPerPage(n); err != nil {
			return badRequest(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.page(s.order, pg, served)
}

// maxBody bounds a search request; real ones are a few hundred bytes.
const maxBody = 1 << 20

// search answers POST /conversations/search, evaluating the query against
// the conversations as they are now, so updates show in later pages.
func (s *Server) search(body io.Reader, served bool) reply {
	raw, err := io.ReadAll(io.LimitReader(body, maxBody+1))
	if err != nil {
		return badRequest(fmt.Errorf("reading the request body: %v", err))
	}
	if len(raw) > maxBody {
		return badRequest(errors.New("the request body is too large"))
	}
	match, pg, err := parseSearch(raw, s.opts.StrictBounds)
	if err != nil {
		return badRequest(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var matches []*record
	for _, rec := range s.order {
		if match(rec) {
			matches = append(matches, rec)
		}
	}
	return s.page(matches, pg, served)
}

// page answers one page of matches; the lock is held.
func (s *Server) page(matches []*record, pg paging, served bool) reply {
	pos, err := decodeCursor(pg.cursor)
	if err != nil {
		return badRequest(err)
	}
	p := cut(matches, cmp.Or(pg.perPage, defaultPerPage), pos)
	if s.opts.RepeatCursorOnce && !s.repeated && pos.page == 2 && p.meta.TotalPages >= 3 && p.meta.Next != nil {
		p.meta.Next.StartingAfter = pg.cursor
		s.repeated = served
	}
	body := p.marshal()
	if served {
		s.afterListing(p.items)
	}
	return jsonReply(http.StatusOK, body)
}

// afterListing fires UpdateMidPull once a page listing it is on its way.
// The page was marshalled first, so it still shows the old conversation.
func (s *Server) afterListing(items []*record) {
	id := s.opts.UpdateMidPull
	if id == "" || s.midPullDone {
		return
	}
	for _, rec := range items {
		if rec.id == id {
			s.midPullDone = true
			s.update(rec)
			return
		}
	}
}

// detail answers GET /conversations/{id} with the stored bytes.
func (s *Server) detail(id string, served bool) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.byID[id]
	if !ok || id == s.opts.DeleteMidPull {
		return notFound()
	}
	rep := jsonReply(http.StatusOK, rec.detail)
	if served && id == s.opts.UpdateAfterFetch && !s.afterFetchDone {
		s.afterFetchDone = true
		s.update(rec) // replaces rec.detail; rep keeps the old bytes
	}
	return rep
}

// update applies an update fault to rec in place (the order does not change:
// created_at stays); the lock is held. New checked the conversation can be
// updated, so an error here cannot happen, and would leave it unchanged.
func (s *Server) update(rec *record) {
	next, err := rec.updated(fmt.Sprintf("fake-update-%d", s.updates+1))
	if err != nil {
		return
	}
	s.updates++
	*rec = *next
}
