package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Tests of a server that tries to get the token: by echoing it back in any
// spelling, or by redirecting the request elsewhere. They are ordinary,
// quick tests, so CI runs them.

var hostileDay = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// listing is a search page listing one conversation of hostileDay.
func listing(id string) string {
	at := hostileDay.Unix() + 60
	return fmt.Sprintf(`{"type":"conversation.list","total_count":1,"conversations":[{"id":%q,"created_at":%d,"updated_at":%d}]}`, id, at, at)
}

// hostileServer answers searches with search and conversations with detail.
func hostileServer(t *testing.T, search, detail http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/conversations/search" {
			search(w, r)
			return
		}
		detail(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// hostilePull pulls hostileDay from srv with hostileToken, quickly, and
// returns everything the pull said: its error, the manifest it returned and
// the one it wrote.
func hostilePull(t *testing.T, srv *httptest.Server) (errText, returned, written string) {
	t.Helper()
	dir := t.TempDir()
	p, err := New(Options{
		Dir:          dir,
		Query:        Query{BaseURL: srv.URL, By: "created_at", From: hostileDay, To: hostileDay.AddDate(0, 0, 1), Timezone: "UTC"},
		Token:        hostileToken,
		Concurrency:  1,
		Retry:        Retry{Attempts: 2, RateLimited: 1, Base: time.Millisecond, Max: time.Millisecond, Timeout: time.Second},
		InsecureHTTP: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		errText = err.Error()
	}
	if res != nil && res.Manifest != nil {
		b, _ := json.Marshal(res.Manifest)
		returned = string(b)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	return errText, returned, string(b)
}

// TestPull_EchoedTokenNeverShows: whatever a server echoes of the token, in
// a 200, 401, 403, 404 or 500 answer, in whatever spelling, the pull's
// error and its manifest show "[token]" instead. Before, only the token
// spelled exactly was hidden, and not at all in a page icrecon could not read.
func TestPull_EchoedTokenNeverShows(t *testing.T) {
	tok := hostileToken
	list := answer(200, listing("1"))
	notFound := answer(404, errorBody("not_found", "Resource Not Found"))
	cases := []struct {
		name           string
		search, detail http.HandlerFunc
		wantErr        string // in the error
		wantManifest   string // in the manifest written
	}{
		{"a page whose list is the token", answer(200, `{"conversations":"Bearer `+tok+`"}`), notFound,
			"Intercom's answer is not a list of conversations: a string, not an array", ""},
		{"a page whose type is the token", answer(200, `{"type":"Bearer `+tok+`","conversations":[]}`), notFound,
			`Intercom's answer is a "Bearer [token]", not a page of conversations`, ""},
		{"a page whose total_count is the token", answer(200, `{"type":"conversation.list","total_count":"`+tok+`","conversations":[]}`), notFound,
			"total_count is not a count: a string, not a whole number", ""},
		{"401 echoing the token", answer(401, errorBody("unauthorized", "Bearer "+tok+" is not valid")), notFound,
			"Intercom refused the API token (401 unauthorized: Bearer [token] is not valid)", ""},
		{"401 echoing it in base64", answer(401, errorBody("unauthorized", "bad credentials "+b64("Bearer "+tok))), notFound,
			"(401 unauthorized: bad credentials [token])", ""},
		{"401 echoing it as basic auth", answer(401, errorBody("unauthorized", "Basic "+b64(":"+tok))), notFound,
			"(401 unauthorized: Basic [token])", ""},
		{"401 echoing a cut copy as its request id", answer(401, `{"type":"error.list","request_id":"`+tok[3:15]+`","errors":[{"code":"unauthorized"}]}`), notFound,
			"(request id [token], for Intercom's support)", ""},
		{"403 echoing half of it", answer(403, errorBody("forbidden", tok[:len(tok)/2])), notFound,
			"Intercom says this token may not search conversations (403 forbidden: [token])", ""},
		{"404 echoing it URL-escaped", answer(404, errorBody("not_found", "nothing at /x?token="+url.QueryEscape(tok))), notFound,
			"Intercom has nothing at POST /conversations/search (404 not_found: nothing at /x?token=[token])", ""},
		{"500s whose error code is the token", answer(500, errorBody(tok, "oops")), notFound,
			"failed 2 times; the last time it answered 500 Internal Server Error ([token])", ""},
		{"a conversation whose answer is the token", list, answer(200, `{"type":"Bearer `+tok+`"}`),
			"", `Intercom's answer is a \"Bearer [token]\", not a conversation`},
		{"a conversation whose id is the token", answer(200, listing(tok)), notFound,
			"", `"id": "[token]"`},
		{"a conversation that answers as another, the token", list, answer(200, `{"type":"conversation","id":"`+tok+`","conversation_parts":{}}`),
			"", "Intercom answered with conversation [token]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errText, returned, written := hostilePull(t, hostileServer(t, tc.search, tc.detail))
			for what, text := range map[string]string{"the error": errText, "the manifest returned": returned, "manifest.json": written} {
				if l := leak(tok, text); l != "" {
					t.Errorf("%s shows %q: %s", what, l, text)
				}
			}
			if !strings.Contains(errText, tc.wantErr) || (tc.wantErr == "") != (errText == "") {
				t.Errorf("error %q, want one saying %q", errText, tc.wantErr)
			}
			if !strings.Contains(written, tc.wantManifest) {
				t.Errorf("manifest.json lacks %s:\n%s", tc.wantManifest, written)
			}
		})
	}
}

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
