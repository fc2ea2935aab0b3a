package fakeintercom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/fakeintercom"
	"github.com/icrecon/icrecon/parse"
)

// ---- helpers ----

// summary is what the tests need of a conversation.
type summary struct {
	ID        string `json:"id"`
	CreatedAt int64  `json:"created_at"`
	UpdatedAt int64  `json:"updated_at"`
}

func summarize(t testing.TB, raw []byte) summary {
	t.Helper()
	var s summary
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("conversation: %v", err)
	}
	return s
}

// sample returns the sample's conversations and their summaries, ordered as
// the server orders results (created_at, then id).
func sample(t testing.TB) ([][]byte, []summary) {
	t.Helper()
	convs, err := fakeintercom.Sample()
	if err != nil {
		t.Fatal(err)
	}
	sums := make([]summary, len(convs))
	for i, c := range convs {
		sums[i] = summarize(t, c)
	}
	slices.SortFunc(sums, func(a, b summary) int {
		if a.CreatedAt != b.CreatedAt {
			return int(a.CreatedAt - b.CreatedAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return convs, sums
}

func start(t testing.TB, convs [][]byte, opts fakeintercom.Options) *fakeintercom.Server {
	t.Helper()
	s, err := fakeintercom.New(convs, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// request is one call to the server; the token is "test-token" unless noAuth
// or auth say otherwise.
type request struct {
	method, path, body string
	auth               string // the whole Authorization header, if not the default
	noAuth             bool
	version            string // Intercom-Version header, if any
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, s *fakeintercom.Server, rq request) response {
	t.Helper()
	resp, err := send(context.Background(), http.DefaultClient, s, rq)
	if err != nil {
		t.Fatalf("%s %s: %v", rq.method, rq.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", rq.method, rq.path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func send(ctx context.Context, c *http.Client, s *fakeintercom.Server, rq request) (*http.Response, error) {
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, s.URL+rq.path, body)
	if err != nil {
		return nil, err
	}
	switch {
	case rq.auth != "":
		req.Header.Set("Authorization", rq.auth)
	case !rq.noAuth:
		req.Header.Set("Authorization", "Bearer test-token")
	}
	if rq.version != "" {
		req.Header.Set("Intercom-Version", rq.version)
	}
	if rq.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.Do(req)
}

func get(path string) request { return request{method: http.MethodGet, path: path} }

func searchRequest(query string, perPage int, cursor string) request {
	pagination := map[string]any{"per_page": perPage}
	if cursor != "" {
		pagination["starting_after"] = cursor
	}
	p, _ := json.Marshal(pagination)
	return request{method: http.MethodPost, path: "/conversations/search",
		body: `{"query":` + query + `,"pagination":` + string(p) + `}`}
}

// page is conversation_list as a client reads it.
type page struct {
	Type  string `json:"type"`
	Pages struct {
		Type       string `json:"type"`
		Page       int    `json:"page"`
		PerPage    int    `json:"per_page"`
		TotalPages int    `json:"total_pages"`
		Next       *struct {
			PerPage       int    `json:"per_page"`
			StartingAfter string `json:"starting_after"`
		} `json:"next"`
	} `json:"pages"`
	TotalCount    int                          `json:"total_count"`
	Conversations []map[string]json.RawMessage `json:"conversations"`
}

func (p page) ids(t testing.TB) []string {
	t.Helper()
	var ids []string
	for _, c := range p.Conversations {
		var id string
		if err := json.Unmarshal(c["id"], &id); err != nil {
			t.Fatalf("item id %s: %v", c["id"], err)
		}
		ids = append(ids, id)
	}
	return ids
}

func (p page) next() string {
	if p.Pages.Next == nil {
		return ""
	}
	return p.Pages.Next.StartingAfter
}

func decodePage(t testing.TB, r response) page {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var p page
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("page: %v", err)
	}
	return p
}

// pageAll follows next cursors from the first page; next builds the request
// for a cursor.
func pageAll(t testing.TB, s *fakeintercom.Server, next func(cursor string) request) []page {
	t.Helper()
	var pages []page
	cursor := ""
	for range 1000 {
		p := decodePage(t, do(t, s, next(cursor)))
		pages = append(pages, p)
		if cursor = p.next(); cursor == "" {
			return pages
		}
	}
	t.Fatal("more than 1000 pages")
	return nil
}

func listRequest(perPage int) func(string) request {
	return func(cursor string) request {
		path := "/conversations?per_page=" + strconv.Itoa(perPage)
		if cursor != "" {
			path += "&starting_after=" + cursor
		}
		return get(path)
	}
}

func searchPaging(query string, perPage int) func(string) request {
	return func(cursor string) request { return searchRequest(query, perPage, cursor) }
}

// errorBody is the reference's error schema.
type errorBody struct {
	Type      string `json:"type"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"errors"`
}

// checkError requires an error.list with one error of the code.
func checkError(t testing.TB, r response, status int, code string) errorBody {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var e errorBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	if e.Type != "error.list" || e.RequestID == "" || len(e.Errors) != 1 || e.Errors[0].Code != code {
		t.Fatalf("error body %s, want an error.list with request_id and code %q", r.body, code)
	}
	return e
}

// readAPI reads one response body as icrecon reads a pull and requires
// every conversation in it accepted.
func readAPI(t testing.TB, name string, body []byte) []*intercom.Conversation {
	t.Helper()
	o, err := parse.NewOpened(name, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []*intercom.Conversation
	info, err := parse.ReadAPI(o, parse.APIOptions{}, func(c *intercom.Conversation, dup bool) error {
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if info.Tally.Rejected != 0 {
		t.Fatalf("%s: %d rejected: %+v", name, info.Tally.Rejected, info.Rejects)
	}
	return got
}

// ---- sample and New ----

func TestSample(t *testing.T) {
	convs, sums := sample(t)
	if len(convs) != 297 {
		t.Fatalf("Sample() has %d conversations, want 297", len(convs))
	}
	ids := map[string]bool{}
	for _, s := range sums {
		if s.ID == "" || ids[s.ID] {
			t.Fatalf("id %q missing or repeated", s.ID)
		}
		ids[s.ID] = true
	}
}

func TestNew_RefusesBadConversations(t *testing.T) {
	ok := `{"id":"1","created_at":100,"updated_at":100}`
	tests := []struct {
		name  string
		convs []string
		opts  fakeintercom.Options
		want  string
	}{
		{"not JSON", []string{`{"id":`}, fakeintercom.Options{}, "convs[0]"},
		{"an array, not an object", []string{`[1]`}, fakeintercom.Options{}, "not a JSON object"},
		{"no id", []string{`{"created_at":1,"updated_at":1}`}, fakeintercom.Options{}, "no id"},
		{"id null", []string{`{"id":null,"created_at":1,"updated_at":1}`}, fakeintercom.Options{}, "id null"},
		{"no created_at", []string{`{"id":"1","updated_at":1}`}, fakeintercom.Options{}, "no created_at"},
		{"updated_at a string", []string{`{"id":"1","created_at":1,"updated_at":"soon"}`}, fakeintercom.Options{}, "updated_at"},
		{"created_at a fraction", []string{`{"id":"1","created_at":1.5,"updated_at":1}`}, fakeintercom.Options{}, "created_at"},
		{"data after the object", []string{ok + `{}`}, fakeintercom.Options{}, "after"},
		{"repeated id", []string{ok, `{"id":1,"created_at":5,"updated_at":5}`}, fakeintercom.Options{}, "repeated"},
		{"fault on an unknown conversation", []string{ok}, fakeintercom.Options{DeleteMidPull: "2"}, "DeleteMidPull"},
		{"update of unreadable parts", []string{`{"id":"1","created_at":1,"updated_at":1,"conversation_parts":"x"}`},
			fakeintercom.Options{UpdateAfterFetch: "1"}, "UpdateAfterFetch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var convs [][]byte
			for _, c := range tc.convs {
				convs = append(convs, []byte(c))
			}
			s, err := fakeintercom.New(convs, tc.opts)
			if err == nil {
				s.Close()
				t.Fatal("New accepted it")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestNew_NumericIDs(t *testing.T) {
	s := start(t, [][]byte{[]byte(`{"id":42,"created_at":1,"updated_at":2}`)}, fakeintercom.Options{})
	r := do(t, s, get("/conversations/42"))
	if r.status != http.StatusOK || string(r.body) != `{"id":42,"created_at":1,"updated_at":2}` {
		t.Fatalf("detail: %d %s", r.status, r.body)
	}
	p := decodePage(t, do(t, s, searchRequest(`{"field":"id","operator":"=","value":"42"}`, 5, "")))
	if p.TotalCount != 1 {
		t.Fatalf("search by id found %d", p.TotalCount)
	}
}

// ---- endpoints ----

// TestSearch_Window pages through a created_at window whose bounds are
// created_at values of sample conversations, so whether the bounds count
// shows in the result.
func TestSearch_Window(t *testing.T) {
	convs, sums := sample(t)
	lo, hi := 50, 150
	a, b := sums[lo].CreatedAt, sums[hi].CreatedAt
	query := fmt.Sprintf(`{"operator":"AND","value":[{"field":"created_at","operator":">","value":%d},{"field":"created_at","operator":"<","value":%d}]}`, a, b)
	ids := func(from, to int) []string {
		var out []string
		for _, s := range sums[from:to] {
			out = append(out, s.ID)
		}
		return out
	}
	tests := []struct {
		name    string
		strict  bool
		perPage int
		want    []string
	}{
		{"bounds included by default, 7 per page", false, 7, ids(lo, hi+1)},
		{"bounds included, one page of 150", false, 150, ids(lo, hi+1)},
		{"bounds included, 101 exactly fills one page of 101", false, 101, ids(lo, hi+1)},
		{"StrictBounds excludes them, 7 per page", true, 7, ids(lo+1, hi)},
		{"StrictBounds, 1 per page", true, 1, ids(lo+1, hi)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, convs, fakeintercom.Options{StrictBounds: tc.strict})
			pages := pageAll(t, s, searchPaging(query, tc.perPage))
			var got []string
			wantPages := (len(tc.want) + tc.perPage - 1) / tc.perPage
			for i, p := range pages {
				got = append(got, p.ids(t)...)
				if p.Type != "conversation.list" || p.Pages.Type != "pages" {
					t.Errorf("page %d: type %q, pages.type %q", i+1, p.Type, p.Pages.Type)
				}
				if p.TotalCount != len(tc.want) || p.Pages.TotalPages != wantPages || p.Pages.Page != i+1 || p.Pages.PerPage != tc.perPage {
					t.Errorf("page %d: total_count %d, total_pages %d, page %d, per_page %d; want %d, %d, %d, %d",
						i+1, p.TotalCount, p.Pages.TotalPages, p.Pages.Page, p.Pages.PerPage, len(tc.want), wantPages, i+1, tc.perPage)
				}
				if last := i == len(pages)-1; last != (p.Pages.Next == nil) {
					t.Errorf("page %d of %d: next %+v", i+1, len(pages), p.Pages.Next)
				}
			}
			if len(pages) != wantPages {
				t.Errorf("%d pages, want %d", len(pages), wantPages)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %d conversations %v\nwant %d %v", len(got), got, len(tc.want), tc.want)
			}
			if st := s.Stats(); st.Searches != len(pages) || st.Requests != len(pages) {
				t.Errorf("stats %+v, want %d searches", st, len(pages))
			}
		})
	}
}

// TestSearch_Filters checks each operator on a small set read by hand.
func TestSearch_Filters(t *testing.T) {
	var convs [][]byte
	for i := 1; i <= 6; i++ {
		convs = append(convs, fmt.Appendf(nil, `{"id":"c%d","created_at":%d,"updated_at":%d}`, i, 100*i, 1000-100*i))
	}
	s := start(t, convs, fakeintercom.Options{})
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"created_at =", `{"field":"created_at","operator":"=","value":300}`, []string{"c3"}},
		{"created_at != ", `{"field":"created_at","operator":"!=","value":300}`, []string{"c1", "c2", "c4", "c5", "c6"}},
		{"created_at > includes its bound", `{"field":"created_at","operator":">","value":500}`, []string{"c5", "c6"}},
		{"created_at < includes its bound", `{"field":"created_at","operator":"<","value":200}`, []string{"c1", "c2"}},
		{"created_at as a string of digits, as in the reference's example", `{"field":"created_at","operator":">","value":"550"}`, []string{"c6"}},
		{"updated_at >", `{"field":"updated_at","operator":">","value":700}`, []string{"c1", "c2", "c3"}},
		{"created_at IN", `{"field":"created_at","operator":"IN","value":[100,600,999]}`, []string{"c1", "c6"}},
		{"created_at NIN", `{"field":"created_at","operator":"NIN","value":[100,600]}`, []string{"c2", "c3", "c4", "c5"}},
		{"id =", `{"field":"id","operator":"=","value":"c4"}`, []string{"c4"}},
		{"id !=", `{"field":"id","operator":"!=","value":"c4"}`, []string{"c1", "c2", "c3", "c5", "c6"}},
		{"id IN", `{"field":"id","operator":"IN","value":["c2","c5","nope"]}`, []string{"c2", "c5"}},
		{"id NIN", `{"field":"id","operator":"NIN","value":["c2","c5"]}`, []string{"c1", "c3", "c4", "c6"}},
		{"OR", `{"operator":"OR","value":[{"field":"id","operator":"=","value":"c1"},{"field":"id","operator":"=","value":"c6"}]}`, []string{"c1", "c6"}},
		{"nested (1 OR 2) AND 3", `{"operator":"AND","value":[{"operator":"OR","value":[{"field":"id","operator":"=","value":"c1"},{"field":"id","operator":"=","value":"c6"}]},{"field":"created_at","operator":">","value":300}]}`, []string{"c6"}},
		{"nothing matches", `{"field":"created_at","operator":">","value":9999}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := decodePage(t, do(t, s, searchRequest(tc.query, 150, "")))
			if got := p.ids(t); !slices.Equal(got, tc.want) || p.TotalCount != len(tc.want) {
				t.Errorf("got %v (total_count %d), want %v", got, p.TotalCount, tc.want)
			}
			if p.Pages.Next != nil {
				t.Errorf("next on the only page: %+v", p.Pages.Next)
			}
		})
	}
}

func TestSearch_BadRequests(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{})
	single := func(field, op, value string) string {
		return fmt.Sprintf(`{"query":{"field":%q,"operator":%q,"value":%s}}`, field, op, value)
	}
	tests := []struct {
		name     string
		body     string
		code     string
		mentions string
	}{
		{"malformed JSON", `{"query":`, "bad_request", "not a valid search request"},
		{"no body", ``, "bad_request", "not a valid search request"},
		{"no query", `{"pagination":{"per_page":5}}`, "bad_request", "query is required"},
		{"query null", `{"query":null}`, "bad_request", "query is required"},
		{"query not an object", `{"query":[1]}`, "parameter_invalid", "must be a filter object"},
		{"unknown field", single("source.subject", "=", `"x"`), "parameter_invalid", `"source.subject"`},
		{"unknown operator", single("created_at", "=>", `1`), "parameter_invalid", `"=>"`},
		{"operator the fake does not implement", single("created_at", ">=", `1`), "parameter_invalid", `">="`},
		{"> on a string field", single("id", ">", `"1"`), "parameter_invalid", "field id"},
		{"no operator", `{"query":{"field":"id","value":"1"}}`, "parameter_invalid", "no operator"},
		{"created_at a word", single("created_at", ">", `"yesterday"`), "parameter_invalid", "must be an integer"},
		{"created_at a fraction", single("created_at", ">", `1.5`), "parameter_invalid", "must be an integer"},
		{"created_at missing value", `{"query":{"field":"created_at","operator":">"}}`, "parameter_invalid", "got nothing"},
		{"IN without an array", single("id", "IN", `"1"`), "parameter_invalid", "must be an array"},
		{"IN with a word for a date", single("updated_at", "IN", `[1,"x"]`), "parameter_invalid", "value[1]"},
		{"AND of nothing", `{"query":{"operator":"AND","value":[]}}`, "parameter_invalid", "non-empty array"},
		{"XOR", `{"query":{"operator":"XOR","value":[]}}`, "parameter_invalid", "AND or OR"},
		{"a bad filter deep inside", `{"query":{"operator":"AND","value":[{"operator":"OR","value":[{"field":"nope","operator":"=","value":1}]}]}}`, "parameter_invalid", "query.value[0].value[0]"},
		{"16 filters in a group", `{"query":{"operator":"OR","value":[` + strings.Repeat(`{"field":"id","operator":"=","value":"1"},`, 15) + `{"field":"id","operator":"=","value":"1"}]}}`, "parameter_invalid", "at most 15"},
		{"per_page 151", `{"query":{"field":"id","operator":"=","value":"1"},"pagination":{"per_page":151}}`, "parameter_invalid", "per_page"},
		{"per_page 0", `{"query":{"field":"id","operator":"=","value":"1"},"pagination":{"per_page":0}}`, "parameter_invalid", "per_page"},
		{"cursor not base64", `{"query":{"field":"id","operator":"=","value":"1"},"pagination":{"starting_after":"%%%"}}`, "parameter_invalid", "starting_after"},
		{"cursor of another kind", `{"query":{"field":"id","operator":"=","value":"1"},"pagination":{"starting_after":"WzE3MjY3NTIxNDUwMDAsNSwyXQ=="}}`, "parameter_invalid", "starting_after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, request{method: http.MethodPost, path: "/conversations/search", body: tc.body})
			e := checkError(t, r, http.StatusBadRequest, tc.code)
			if !strings.Contains(e.Errors[0].Message, tc.mentions) {
				t.Errorf("message %q does not mention %q", e.Errors[0].Message, tc.mentions)
			}
		})
	}
}

func TestList(t *testing.T) {
	convs, sums := sample(t)
	var want []string
	for _, s := range sums {
		want = append(want, s.ID)
	}
	for _, perPage := range []int{20, 150, 1} {
		t.Run(fmt.Sprintf("%d per page", perPage), func(t *testing.T) {
			s := start(t, convs, fakeintercom.Options{})
			pages := pageAll(t, s, listRequest(perPage))
			var got []string
			for i, p := range pages {
				got = append(got, p.ids(t)...)
				if p.TotalCount != len(convs) || p.Pages.Page != i+1 || p.Pages.TotalPages != len(pages) {
					t.Errorf("page %d: total_count %d, page %d, total_pages %d", i+1, p.TotalCount, p.Pages.Page, p.Pages.TotalPages)
				}
				for _, c := range p.Conversations {
					if _, has := c["conversation_parts"]; has {
						t.Fatalf("page %d: list item %s has conversation_parts", i+1, c["id"])
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("list gave %d conversations, want each of %d once", len(got), len(want))
			}
			if wantPages := (len(convs) + perPage - 1) / perPage; len(pages) != wantPages {
				t.Errorf("%d pages, want %d", len(pages), wantPages)
			}
		})
	}
}

func TestList_DefaultAndBadPerPage(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{})
	if p := decodePage(t, do(t, s, get("/conversations"))); p.Pages.PerPage != 20 || len(p.Conversations) != 20 {
		t.Errorf("default page: per_page %d, %d items; want 20", p.Pages.PerPage, len(p.Conversations))
	}
	for _, q := range []string{"per_page=151", "per_page=-1", "per_page=ten", "starting_after=bm90IGEgY3Vyc29y"} {
		t.Run(q, func(t *testing.T) {
			checkError(t, do(t, s, get("/conversations?"+q)), http.StatusBadRequest, "parameter_invalid")
		})
	}
}

// TestDetailsAndPagesParse: every detail is the input line byte for byte,
// and icrecon's own reader accepts every detail and a list and search page.
func TestDetailsAndPagesParse(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{})
	for _, c := range convs {
		id := summarize(t, c).ID
		r := do(t, s, get("/conversations/"+id))
		if r.status != http.StatusOK || !bytes.Equal(r.body, c) {
			t.Fatalf("detail %s: status %d, body differs from the input", id, r.status)
		}
		if got := readAPI(t, id+".json", r.body); len(got) != 1 || got[0].ID != id {
			t.Fatalf("detail %s read as %d conversations", id, len(got))
		}
	}
	pages := map[string]request{
		"list.json":   get("/conversations?per_page=50"),
		"search.json": searchRequest(`{"field":"created_at","operator":">","value":0}`, 50, ""),
	}
	for name, rq := range pages {
		if got := readAPI(t, name, do(t, s, rq).body); len(got) != 50 {
			t.Errorf("%s read as %d conversations, want 50", name, len(got))
		}
	}
	if got := s.Conversations(); len(got) != len(convs) {
		t.Errorf("Conversations() has %d, want %d", len(got), len(convs))
	}
	for _, c := range convs {
		if !bytes.Equal(s.Conversations()[summarize(t, c).ID], c) {
			t.Fatalf("Conversations() differs from the input for %s", summarize(t, c).ID)
		}
	}
}

func TestUnknownRoutes(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{})
	tests := []struct{ name, method, path string }{
		{"unknown conversation", http.MethodGet, "/conversations/999"},
		{"another resource", http.MethodGet, "/contacts"},
		{"trailing slash", http.MethodGet, "/conversations/"},
		{"a sub-resource", http.MethodGet, "/conversations/215470000001000/parts"},
		{"search by GET", http.MethodGet, "/conversations/search"},
		{"list by POST", http.MethodPost, "/conversations"},
		{"delete", http.MethodDelete, "/conversations/215470000001000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := checkError(t, do(t, s, request{method: tc.method, path: tc.path}), http.StatusNotFound, "not_found")
			if e.Errors[0].Message != "Resource Not Found" {
				t.Errorf("message %q", e.Errors[0].Message)
			}
		})
	}
}

// ---- faults ----

func TestUnauthorized(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{Token: "secret"})
	tests := []struct {
		name string
		rq   request
		want int
	}{
		{"no Authorization", request{noAuth: true}, http.StatusUnauthorized},
		{"the default token when another is set", request{auth: "Bearer test-token"}, http.StatusUnauthorized},
		{"the token without its scheme", request{auth: "secret"}, http.StatusUnauthorized},
		{"basic scheme", request{auth: "Basic secret"}, http.StatusUnauthorized},
		{"the token", request{auth: "Bearer secret"}, http.StatusOK},
		{"scheme in lower case", request{auth: "bearer secret"}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rq := tc.rq
			rq.method, rq.path = http.MethodGet, "/conversations?per_page=1"
			r := do(t, s, rq)
			if tc.want == http.StatusOK {
				decodePage(t, r)
				return
			}
			e := checkError(t, r, tc.want, "unauthorized")
			if e.Errors[0].Message != "Access Token Invalid" {
				t.Errorf("message %q", e.Errors[0].Message)
			}
		})
	}
}

// TestRateLimit fires RateLimit+5 requests within one second: the ones over
// the limit get 429, and the headers count down to 0, never below.
func TestRateLimit(t *testing.T) {
	convs, _ := sample(t)
	const limit = 3
	for attempt := range 5 {
		s := start(t, convs, fakeintercom.Options{RateLimit: limit})
		var rs []response
		for range limit + 5 {
			rs = append(rs, do(t, s, get("/conversations?per_page=1")))
		}
		resets := map[string]bool{}
		for _, r := range rs {
			resets[r.header.Get("X-RateLimit-Reset")] = true
		}
		if len(resets) > 1 {
			t.Logf("attempt %d crossed a second; again", attempt+1)
			continue
		}
		for i, r := range rs {
			remaining, err := strconv.Atoi(r.header.Get("X-RateLimit-Remaining"))
			if err != nil || remaining != max(limit-(i+1), 0) {
				t.Errorf("request %d: X-RateLimit-Remaining %q, want %d", i+1, r.header.Get("X-RateLimit-Remaining"), max(limit-(i+1), 0))
			}
			if l := r.header.Get("X-RateLimit-Limit"); l != strconv.Itoa(limit) {
				t.Errorf("request %d: X-RateLimit-Limit %q", i+1, l)
			}
			reset, _ := strconv.ParseInt(r.header.Get("X-RateLimit-Reset"), 10, 64)
			if now := time.Now().Unix(); reset < now-2 || reset > now+1 {
				t.Errorf("request %d: X-RateLimit-Reset %d is not the end of the current second (now %d)", i+1, reset, now)
			}
			if i < limit {
				decodePage(t, r)
				continue
			}
			e := checkError(t, r, http.StatusTooManyRequests, "rate_limit_exceeded")
			if e.Errors[0].Message != "Rate Limit Exceeded" {
				t.Errorf("message %q", e.Errors[0].Message)
			}
		}
		if st := s.Stats(); st.RateLimited != 5 || st.Lists != limit+5 {
			t.Errorf("stats %+v, want 5 rate limited of %d lists", st, limit+5)
		}
		return
	}
	t.Fatal("never managed to fit the requests in one second")
}

func TestRateLimit_Concurrent(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{RateLimit: 10})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 40 {
		wg.Go(func() {
			r := do(t, s, get("/conversations?per_page=1"))
			if n, err := strconv.Atoi(r.header.Get("X-RateLimit-Remaining")); err != nil || n < 0 {
				t.Errorf("X-RateLimit-Remaining %q", r.header.Get("X-RateLimit-Remaining"))
			}
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[http.StatusTooManyRequests] == 0 || statuses[http.StatusOK] == 0 {
		t.Errorf("statuses %v, want some 200 and some 429", statuses)
	}
	if st := s.Stats(); st.RateLimited != statuses[http.StatusTooManyRequests] {
		t.Errorf("Stats.RateLimited %d, %d seen", st.RateLimited, statuses[http.StatusTooManyRequests])
	}
}

func TestServerErrorEvery(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{ServerErrorEvery: 2})
	want := []struct {
		status      int
		contentType string
	}{
		{200, "application/json"}, {500, "application/json"},
		{200, "application/json"}, {502, "text/html"},
		{200, "application/json"}, {503, "text/html"},
		{200, "application/json"}, {500, "application/json"},
	}
	for i, w := range want {
		r := do(t, s, get("/conversations/215470000001000"))
		if r.status != w.status || r.header.Get("Content-Type") != w.contentType {
			t.Errorf("request %d: %d %s, want %d %s", i+1, r.status, r.header.Get("Content-Type"), w.status, w.contentType)
		}
		if r.status == 500 {
			checkError(t, r, 500, "server_error")
		}
		if r.status == 502 && !bytes.Contains(r.body, []byte("502 Bad Gateway")) {
			t.Errorf("502 page: %s", r.body)
		}
	}
	if st := s.Stats(); st.ServerErrors != 4 || st.Details != 8 {
		t.Errorf("stats %+v, want 4 server errors of 8 details", st)
	}
}

func TestSlowEvery(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{SlowEvery: 2, Slow: time.Minute})
	impatient := &http.Client{Timeout: 200 * time.Millisecond}
	for i, wantSlow := range []bool{false, true, false} {
		resp, err := send(context.Background(), impatient, s, get("/conversations/215470000001000"))
		if wantSlow {
			if err == nil {
				resp.Body.Close()
				t.Fatalf("request %d: answered %d, want a timeout", i+1, resp.StatusCode)
			}
			var ne interface{ Timeout() bool }
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Errorf("request %d: %v, want a timeout", i+1, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		resp.Body.Close()
	}
	if st := s.Stats(); st.Slow != 1 {
		t.Errorf("Stats.Slow %d, want 1", st.Slow)
	}
}

// TestClose_DoesNotWaitForSlowAnswers: a client still waiting for a slow
// answer gets an error, and Close returns at once.
func TestClose_DoesNotWaitForSlowAnswers(t *testing.T) {
	convs, _ := sample(t)
	for _, opts := range []fakeintercom.Options{
		{SlowEvery: 1, Slow: time.Hour},
		{Latency: time.Hour},
	} {
		s, err := fakeintercom.New(convs, opts)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			resp, err := send(context.Background(), http.DefaultClient, s, get("/conversations"))
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		for s.Stats().Requests == 0 {
			time.Sleep(time.Millisecond)
		}
		began := time.Now()
		s.Close()
		if took := time.Since(began); took > 5*time.Second {
			t.Errorf("%+v: Close took %v", opts, took)
		}
		if err := <-done; err == nil {
			t.Errorf("%+v: the waiting client got an answer, want an error", opts)
		}
	}
}

func TestLatency(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{Latency: 100 * time.Millisecond})
	began := time.Now()
	do(t, s, get("/conversations/215470000001000"))
	if took := time.Since(began); took < 100*time.Millisecond {
		t.Errorf("answered in %v, want at least the latency", took)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := send(ctx, http.DefaultClient, s, get("/conversations/215470000001000")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled request: %v", err)
	}
}

func TestDropEvery(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{DropEvery: 2})
	for i, wantDrop := range []bool{false, true, false, true} {
		resp, err := send(context.Background(), http.DefaultClient, s, get("/conversations?per_page=10"))
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, resp.StatusCode)
		}
		if wantDrop {
			if err == nil {
				t.Errorf("request %d: read the whole body, want an error", i+1)
			}
			if resp.ContentLength <= int64(len(body)) {
				t.Errorf("request %d: Content-Length %d, got %d bytes", i+1, resp.ContentLength, len(body))
			}
			continue
		}
		if err != nil {
			t.Errorf("request %d: %v", i+1, err)
		}
	}
	if st := s.Stats(); st.Dropped != 2 {
		t.Errorf("Stats.Dropped %d, want 2", st.Dropped)
	}
}

func TestRepeatCursorOnce(t *testing.T) {
	convs, _ := sample(t)
	tests := []struct {
		name string
		next func(cursor string) request
	}{
		{"search", searchPaging(`{"field":"created_at","operator":">","value":0}`, 100)},
		{"list", listRequest(100)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, convs, fakeintercom.Options{RepeatCursorOnce: true})
			first := decodePage(t, do(t, s, tc.next("")))
			c1 := first.next()
			second := decodePage(t, do(t, s, tc.next(c1)))
			if second.Pages.Page != 2 || second.next() != c1 {
				t.Fatalf("second page %d gives next %q, want the cursor that led to it, %q", second.Pages.Page, second.next(), c1)
			}
			again := decodePage(t, do(t, s, tc.next(c1)))
			if again.next() == c1 || again.next() == "" {
				t.Errorf("the repeat happened twice (next %q)", again.next())
			}
			if got := pageAll(t, s, tc.next); len(got) != 3 {
				t.Errorf("a second pass took %d pages, want 3", len(got))
			}
		})
	}
}

// TestRepeatCursorOnce_NeedsThreePages: a result of two pages has nothing to
// loop through, so the repeat waits for a longer one.
func TestRepeatCursorOnce_NeedsThreePages(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{RepeatCursorOnce: true})
	if got := pageAll(t, s, listRequest(150)); len(got) != 2 {
		t.Fatalf("%d pages of 150, want 2", len(got))
	}
	first := decodePage(t, do(t, s, listRequest(20)("")))
	if second := decodePage(t, do(t, s, listRequest(20)(first.next()))); second.next() != first.next() {
		t.Errorf("no repeat on the first result of three pages or more")
	}
}

// parts reads what an update fault changes.
type parts struct {
	UpdatedAt         int64 `json:"updated_at"`
	ConversationParts struct {
		ConversationParts []struct {
			ID        string `json:"id"`
			PartType  string `json:"part_type"`
			CreatedAt int64  `json:"created_at"`
			Body      string `json:"body"`
			Author    struct {
				Type, ID, Name, Email string
			} `json:"author"`
		} `json:"conversation_parts"`
		TotalCount int `json:"total_count"`
	} `json:"conversation_parts"`
	Statistics *struct {
		CountConversationParts int `json:"count_conversation_parts"`
	} `json:"statistics"`
}

func readParts(t testing.TB, raw []byte) parts {
	t.Helper()
	var p parts
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkUpdated requires after to be before with one admin comment an hour on.
func checkUpdated(t testing.TB, before, after []byte) {
	t.Helper()
	b, a := readParts(t, before), readParts(t, after)
	if a.UpdatedAt != b.UpdatedAt+3600 {
		t.Errorf("updated_at %d, want %d", a.UpdatedAt, b.UpdatedAt+3600)
	}
	bp, ap := b.ConversationParts.ConversationParts, a.ConversationParts.ConversationParts
	if len(ap) != len(bp)+1 || a.ConversationParts.TotalCount != b.ConversationParts.TotalCount+1 {
		t.Fatalf("%d parts (total_count %d), want %d (%d)", len(ap), a.ConversationParts.TotalCount, len(bp)+1, b.ConversationParts.TotalCount+1)
	}
	last := ap[len(ap)-1]
	if last.ID != "fake-update-1" || last.PartType != "comment" || last.CreatedAt != a.UpdatedAt || last.Body != "<p>Update</p>" ||
		last.Author.Type != "admin" || last.Author.ID != "5001" || last.Author.Name != "Fake Admin" || last.Author.Email != "fake.admin@example.com" {
		t.Errorf("added part %+v", last)
	}
	if b.Statistics != nil && a.Statistics.CountConversationParts != b.Statistics.CountConversationParts+1 {
		t.Errorf("count_conversation_parts %d, want %d", a.Statistics.CountConversationParts, b.Statistics.CountConversationParts+1)
	}
	if got := readAPI(t, "updated.json", after); len(got) != 1 {
		t.Errorf("the updated conversation read as %d", len(got))
	}
}

func TestUpdateMidPull(t *testing.T) {
	convs, sums := sample(t)
	for _, via := range []string{"search", "list"} {
		t.Run(via, func(t *testing.T) {
			target := sums[30] // on the second page of 20
			s := start(t, convs, fakeintercom.Options{UpdateMidPull: target.ID})
			before := s.Conversations()[target.ID]
			next := listRequest(20)
			if via == "search" {
				next = searchPaging(`{"field":"created_at","operator":">","value":0}`, 20)
			}
			first := decodePage(t, do(t, s, next("")))
			if !bytes.Equal(s.Conversations()[target.ID], before) {
				t.Fatal("changed before a page listed it")
			}
			second := decodePage(t, do(t, s, next(first.next())))
			if i := slices.Index(second.ids(t), target.ID); i < 0 || string(second.Conversations[i]["updated_at"]) != strconv.FormatInt(target.UpdatedAt, 10) {
				t.Fatalf("the page that listed it should show it unchanged")
			}
			after := do(t, s, get("/conversations/"+target.ID)).body
			checkUpdated(t, before, after)
			if !bytes.Equal(s.Conversations()[target.ID], after) {
				t.Error("Conversations() does not hold the update")
			}
			again := decodePage(t, do(t, s, next(first.next())))
			i := slices.Index(again.ids(t), target.ID)
			if string(again.Conversations[i]["updated_at"]) != strconv.FormatInt(target.UpdatedAt+3600, 10) {
				t.Error("a later page does not show the update")
			}
			if _, has := again.Conversations[i]["conversation_parts"]; has {
				t.Error("the updated list item has conversation_parts")
			}
			// Search is evaluated live, so a window past the old updated_at finds it now.
			q := fmt.Sprintf(`{"field":"updated_at","operator":">","value":%d}`, target.UpdatedAt+3600)
			if p := decodePage(t, do(t, s, searchRequest(q, 150, ""))); !slices.Contains(p.ids(t), target.ID) {
				t.Error("search does not see the new updated_at")
			}
		})
	}
}

func TestUpdateAfterFetch(t *testing.T) {
	convs, sums := sample(t)
	id := sums[0].ID
	s := start(t, convs, fakeintercom.Options{UpdateAfterFetch: id})
	before := s.Conversations()[id]
	first := do(t, s, get("/conversations/"+id)).body
	if !bytes.Equal(first, before) {
		t.Fatal("the first fetch is not the original")
	}
	second := do(t, s, get("/conversations/"+id)).body
	checkUpdated(t, before, second)
	if third := do(t, s, get("/conversations/"+id)).body; !bytes.Equal(third, second) {
		t.Error("updated more than once")
	}
	if !bytes.Equal(s.Conversations()[id], second) {
		t.Error("Conversations() does not hold the update")
	}
}

// TestUpdateAfterFetch_NotOnADroppedAnswer: an answer cut off on the way
// was not fetched, so the update waits for a whole one.
func TestUpdateAfterFetch_NotOnADroppedAnswer(t *testing.T) {
	convs, sums := sample(t)
	id := sums[0].ID
	s := start(t, convs, fakeintercom.Options{UpdateAfterFetch: id, DropEvery: 1})
	before := s.Conversations()[id]
	resp, err := send(context.Background(), http.DefaultClient, s, get("/conversations/"+id))
	if err == nil {
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if !bytes.Equal(s.Conversations()[id], before) {
		t.Error("updated after a dropped answer")
	}
}

func TestDeleteMidPull(t *testing.T) {
	convs, sums := sample(t)
	id := sums[10].ID
	s := start(t, convs, fakeintercom.Options{DeleteMidPull: id})
	e := checkError(t, do(t, s, get("/conversations/"+id)), http.StatusNotFound, "not_found")
	if e.Errors[0].Message != "Resource Not Found" {
		t.Errorf("message %q", e.Errors[0].Message)
	}
	if p := decodePage(t, do(t, s, searchRequest(`{"field":"id","operator":"=","value":"`+id+`"}`, 20, ""))); !slices.Equal(p.ids(t), []string{id}) {
		t.Errorf("search gives %v, want it still listed", p.ids(t))
	}
	if p := decodePage(t, do(t, s, get("/conversations?per_page=20"))); !slices.Contains(p.ids(t), id) {
		t.Error("list no longer shows it")
	}
	if _, has := s.Conversations()[id]; has || len(s.Conversations()) != len(convs)-1 {
		t.Error("Conversations() still holds it")
	}
}

func TestStats_Versions(t *testing.T) {
	convs, _ := sample(t)
	s := start(t, convs, fakeintercom.Options{})
	for _, v := range []string{"2.14", "2.14", "", "2.9", "Unstable"} {
		rq := get("/conversations/215470000001000")
		rq.version = v
		do(t, s, rq)
	}
	do(t, s, request{method: http.MethodGet, path: "/conversations", noAuth: true, version: "2.14"})
	want := map[string]int{"2.14": 3, "": 1, "2.9": 1, "Unstable": 1}
	st := s.Stats()
	if !maps.Equal(st.Versions, want) {
		t.Errorf("Versions %v, want %v", st.Versions, want)
	}
	if st.Requests != 6 || st.Details != 5 || st.Lists != 1 || st.Searches != 0 {
		t.Errorf("stats %+v", st)
	}
	st.Versions["2.14"] = 100
	if s.Stats().Versions["2.14"] != 3 {
		t.Error("Stats shares its map with the server")
	}
}

// TestConcurrentPulls runs several clients at once under faults, for the
// race detector, and checks the faults still come in their rotation.
func TestConcurrentPulls(t *testing.T) {
	convs, sums := sample(t)
	s := start(t, convs, fakeintercom.Options{ServerErrorEvery: 7, DropEvery: 11, UpdateMidPull: sums[100].ID, UpdateAfterFetch: sums[5].ID})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				rq := get("/conversations/" + sums[(w*20+i)%len(sums)].ID)
				if i%3 == 0 {
					rq = searchRequest(`{"field":"created_at","operator":">","value":0}`, 50, "")
				}
				resp, err := send(context.Background(), http.DefaultClient, s, rq)
				if err != nil {
					t.Errorf("%v", err)
					return
				}
				io.ReadAll(resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	st := s.Stats()
	if st.Requests != 160 || st.ServerErrors != 160/7 || st.Dropped == 0 {
		t.Errorf("stats %+v", st)
	}
}
