package pull

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Tests of a server that tries to get the token, here by redirecting the
// request elsewhere. They are ordinary, quick tests, so CI runs them.

var hostileDay = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// TestClient_RedirectKeepsTheToken: a redirect to another origin is not
// followed, so the token goes nowhere but the base URL. Go's client sends
// Authorization on to another port of the same host (a 307 to
// 127.0.0.1:<other port> received it), and from https to http.
func TestClient_RedirectKeepsTheToken(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("another origin received Authorization")
		}
		answer(200, `{"ok":true}`)(w, r)
	}))
	t.Cleanup(other.Close)
	cases := []struct {
		name     string
		location func(self string) string
		wantErr  string // "" when the redirect is followed
	}{
		{"another port of the same host", func(string) string { return other.URL + "/conversations/1" },
			"GET /conversations/1: the server at http://127.0.0.1:"},
		{"another host on the same port", func(self string) string { return strings.Replace(self, "127.0.0.1", "localhost", 1) + "/elsewhere" },
			"redirected it to http://localhost:"},
		{"https on the same host and port", func(self string) string { return strings.Replace(self, "http:", "https:", 1) + "/elsewhere" },
			"redirected it to https://127.0.0.1:"},
		{"the same origin is followed", func(self string) string { return self + "/elsewhere" }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var first *httptest.Server
			var requests atomic.Int64
			first = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if r.Header.Get("Authorization") != "Bearer "+testToken {
					t.Errorf("%s arrived without the token", r.URL.Path)
				}
				if r.URL.Path == "/elsewhere" {
					answer(200, `{"ok":true}`)(w, r)
					return
				}
				http.Redirect(w, r, tc.location(first.URL), http.StatusTemporaryRedirect)
			}))
			t.Cleanup(first.Close)
			c := newClient(first.URL, testToken, "2.16", "icrecon-test", fastRetry)
			before := elsewhere.Load()
			b, err := c.get(context.Background(), "/conversations/1")
			switch {
			case tc.wantErr == "" && (err != nil || string(b) != `{"ok":true}`):
				t.Errorf("a same-origin redirect: %q, %v", b, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "check --base-url")):
				t.Errorf("error %v, want one saying %q", err, tc.wantErr)
			}
			if n := elsewhere.Load() - before; n != 0 {
				t.Errorf("%d requests reached the other origin", n)
			}
			want := int64(1) // a refused redirect is one request
			if tc.wantErr == "" {
				want = 2
			}
			if requests.Load() != want {
				t.Errorf("%d requests, want %d: a refused redirect is not retried", requests.Load(), want)
			}
		})
	}
}

// TestNew_RefusesWhatWouldLeakTheToken: the token is not sent in clear,
// not put in the address, and not sent at all when it cannot be a token.
func TestNew_RefusesWhatWouldLeakTheToken(t *testing.T) {
	cases := []struct {
		name     string
		base     string
		token    string
		insecure bool
		wantErr  string // "" for accepted
	}{
		{"https", "https://api.intercom.io", testToken, false, ""},
		{"plain http", "http://api.intercom.io", testToken, false, "the base URL http://api.intercom.io is plain http, which would send the API token unencrypted"},
		{"plain http, allowed for a test server", "http://127.0.0.1:8080", testToken, true, ""},
		{"no scheme", "api.intercom.io", testToken, false, "is not a web address like https://api.intercom.io"},
		{"another scheme", "ftp://api.intercom.io", testToken, true, "is not a web address"},
		{"the token in the address", "https://x:" + testToken + "@proxy.example", testToken, false, "the base URL holds the API token"},
		{"a token with a line break", "https://api.intercom.io", "tok\r\nX-Evil: 1", false, "the API token holds more than one line"},
		{"a token with a control character", "https://api.intercom.io", "tok\x00live", false, "the API token has the control character U+0000 at character 4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Dir: t.TempDir(), Token: tc.token, InsecureHTTP: tc.insecure,
				Query: Query{BaseURL: tc.base, By: "created_at", From: hostileDay, To: hostileDay.AddDate(0, 0, 1)}})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one saying %q", err, tc.wantErr)
			case err != nil && strings.Contains(err.Error(), testToken):
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}
