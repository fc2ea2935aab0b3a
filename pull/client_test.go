package pull

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "tok_live_0123456789"

// fastRetry keeps tests quick: real waits, but milliseconds.
var fastRetry = Retry{Attempts: 4, RateLimited: 5, Base: time.Millisecond, Max: 5 * time.Millisecond, Timeout: 200 * time.Millisecond}

// scripted answers the n-th request (0-based) with answers[n], the last
// one from then on.
func scripted(t *testing.T, answers ...http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken || r.Header.Get("Intercom-Version") != "2.16" {
			t.Errorf("request without the token or the version: %v", r.Header)
		}
		i := int(n.Add(1) - 1)
		answers[min(i, len(answers)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func errorBody(code, message string) string {
	return fmt.Sprintf(`{"type":"error.list","request_id":"req-42","errors":[{"code":%q,"message":%q}]}`, code, message)
}

var ok = answer(200, `{"ok":true}`)

func TestClient_Answers(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}
	drop := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		fmt.Fprint(w, `{"type":"conv`)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	limited := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "10")
		w.Header().Set("X-RateLimit-Remaining", "0")
		// A reset already begun: the wait itself is TestPacer's.
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Unix(), 10))
		answer(429, errorBody("rate_limit_exceeded", "Rate Limit Exceeded"))(w, r)
	}
	cases := []struct {
		name         string
		answers      []http.HandlerFunc
		wantErr      string // "" for success
		wantRequests int64
	}{
		{"success", []http.HandlerFunc{ok}, "", 1},
		{"a server error, then success", []http.HandlerFunc{answer(500, errorBody("server_error", "oops")), answer(503, "<html>busy</html>"), ok}, "", 3},
		{"a time-out, then success", []http.HandlerFunc{slow, ok}, "", 2},
		{"a dropped connection, then success", []http.HandlerFunc{drop, ok}, "", 2},
		{"429 waits for the reset, then success", []http.HandlerFunc{limited, ok}, "", 2},
		{"server errors until it gives up", []http.HandlerFunc{answer(502, "<html>bad gateway</html>")}, "GET /conversations/1 failed 4 times; the last time it answered 502 Bad Gateway", 4},
		{"time-outs until it gives up", []http.HandlerFunc{slow}, "failed 4 times; the last time it did not answer in time", 4},
		{"429 for ever", []http.HandlerFunc{limited}, "Intercom kept answering 429 (rate limit) 6 times in a row", 6},
		{"401 is one sentence, at once", []http.HandlerFunc{answer(401, errorBody("unauthorized", "Access Token Invalid"))},
			"Intercom refused the API token (401 unauthorized: Access Token Invalid) (request id req-42, for Intercom's support): check INTERCOM_TOKEN or the file given to --token-file", 1},
		{"403", []http.HandlerFunc{answer(403, errorBody("api_plan_restricted", "Active subscription needed."))},
			"Intercom says this token may not read conversations (403 api_plan_restricted: Active subscription needed.)", 1},
		{"404 without a body", []http.HandlerFunc{answer(404, "")}, "Intercom has nothing at GET /conversations/1 (404 Not Found): check --region or --base-url", 1},
		{"400", []http.HandlerFunc{answer(400, errorBody("parameter_invalid", "per_page too big"))}, "Intercom refused GET /conversations/1 (400 parameter_invalid: per_page too big)", 1},
		{"an echoed token never shows", []http.HandlerFunc{answer(401, errorBody("unauthorized", "token "+testToken+" is invalid"))}, "token [token] is invalid", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := scripted(t, tc.answers...)
			c := newClient(srv.URL, testToken, "2.16", "icrecon-test", fastRetry)
			b, err := c.get(context.Background(), "/conversations/1")
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr == "" && string(b) != `{"ok":true}`:
				t.Fatalf("body %q", b)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), testToken) {
				t.Errorf("the error shows the token: %v", err)
			}
			if got := n.Load(); got != tc.wantRequests {
				t.Errorf("%d requests, want %d", got, tc.wantRequests)
			}
		})
	}
}

func TestClient_UnknownHostFailsAtOnce(t *testing.T) {
	c := newClient("http://no-such-host.invalid", testToken, "2.16", "icrecon-test", fastRetry)
	_, err := c.get(context.Background(), "/conversations/1")
	if err == nil || !strings.Contains(err.Error(), "cannot reach http://no-such-host.invalid") || c.count.Retries.Load() != 0 {
		t.Errorf("error %v after %d retries", err, c.count.Retries.Load())
	}
}

func TestClient_StopsWhenCancelled(t *testing.T) {
	srv, _ := scripted(t, answer(500, ""))
	c := newClient(srv.URL, testToken, "2.16", "icrecon-test", Retry{Attempts: 100, RateLimited: 1, Base: time.Second, Max: time.Second, Timeout: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.get(ctx, "/x"); err != context.DeadlineExceeded {
		t.Errorf("error %v, want the context's", err)
	}
}

// TestClient_AnswerTooLarge: an answer longer than the bound stops the pull
// at once with a sentence, instead of being kept cut; one at the bound is
// whole.
func TestClient_AnswerTooLarge(t *testing.T) {
	defer func(n int) { maxAnswerBytes = n }(maxAnswerBytes)
	maxAnswerBytes = 1 << 20
	atBound := `{"ok":"` + strings.Repeat("x", maxAnswerBytes-9) + `"}`
	cases := []struct {
		name    string
		body    string
		wantErr string
	}{
		{"at the bound", atBound, ""},
		{"one byte over", atBound + " ", "GET /conversations/1: the answer is larger than 1 MB"},
		{"far over", strings.Repeat(" ", 3*maxAnswerBytes), "GET /conversations/1: the answer is larger than 1 MB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := scripted(t, answer(200, tc.body))
			c := newClient(srv.URL, testToken, "2.16", "icrecon-test", fastRetry)
			b, err := c.get(context.Background(), "/conversations/1")
			switch {
			case tc.wantErr == "" && (err != nil || len(b) != len(tc.body)):
				t.Fatalf("%d bytes, error %v", len(b), err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if got := n.Load(); got != 1 {
				t.Errorf("%d requests, want 1: asking again brings the same answer", got)
			}
		})
	}
}
