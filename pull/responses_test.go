package pull

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icrecon/icrecon/intercom"
)

func TestReadPage(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		want    page
		wantErr string
	}{
		{"a middle page", `{"type":"conversation.list","pages":{"type":"pages","page":1,"per_page":2,"total_pages":3,"next":{"per_page":2,"starting_after":"WzE3MjY3NTIxNDUwMDAsNSwyXQ=="}},"total_count":5,"conversations":[{"type":"conversation","id":"1","created_at":10,"updated_at":20,"source":{"body":"<p>hi</p>"}},{"id":2,"created_at":11,"updated_at":21}]}`,
			page{TotalCount: 5, Next: "WzE3MjY3NTIxNDUwMDAsNSwyXQ==", Items: []listed{{"1", 10, 20}, {"2", 11, 21}}}, ""},
		{"the last page has no next", `{"type":"conversation.list","pages":{"type":"pages","page":3,"per_page":2,"total_pages":3},"total_count":5,"conversations":[{"id":"5","created_at":14,"updated_at":24}]}`,
			page{TotalCount: 5, Items: []listed{{"5", 14, 24}}}, ""},
		{"an empty search", `{"type":"conversation.list","pages":null,"total_count":0,"conversations":[]}`, page{}, ""},
		{"an error body", `{"type":"error.list","errors":[{"code":"unauthorized"}]}`, page{}, `"error.list", not a page`},
		{"no list", `{"type":"conversation.list","total_count":3}`, page{}, "no conversations list"},
		{"an item without id", `{"type":"conversation.list","total_count":1,"conversations":[{"created_at":1}]}`, page{}, "conversation 1 of the page: it has no id"},
		{"a time that is not a number", `{"type":"conversation.list","total_count":1,"conversations":[{"id":"1","created_at":"yesterday"}]}`, page{}, "created_at"},
		{"an HTML page", `<html>502</html>`, page{}, "not a page of conversations"},
		{"cut short", `{"type":"conversation.list","total_count":1,"conversations":[{"id":"1"`, page{}, "unexpected end of input"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readPage([]byte(tc.body))
			if errorAsWanted(t, err, tc.wantErr) {
				return
			}
			if got.TotalCount != tc.want.TotalCount || got.Next != tc.want.Next || len(got.Items) != len(tc.want.Items) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got.Items {
				if got.Items[i] != tc.want.Items[i] {
					t.Errorf("item %d: %+v, want %+v", i, got.Items[i], tc.want.Items[i])
				}
			}
		})
	}
}

func TestReadDetail(t *testing.T) {
	cases := []struct {
		name          string
		body          string
		want          detail
		wantTruncated bool
		wantErr       string
	}{
		{"complete history", `{"type":"conversation","id":"7","created_at":1,"updated_at":2,"statistics":{"count_conversation_parts":3},"conversation_parts":{"type":"conversation_part.list","conversation_parts":[{"id":"a","body":"<p>x</p>"},{"id":"b"}],"total_count":2}}`,
			detail{ID: "7", CreatedAt: 1, UpdatedAt: 2, Parts: 2, Total: intercom.CountOf(2), Counted: intercom.CountOf(3)}, false, ""},
		{"the 500-part cap", `{"type":"conversation","id":"8","conversation_parts":{"conversation_parts":[{"id":"a"}],"total_count":640}}`,
			detail{ID: "8", Parts: 1, Total: intercom.CountOf(640)}, true, ""},
		{"complete without total_count: the statistics count the opening message", `{"type":"conversation","id":"9","statistics":{"count_conversation_parts":2},"conversation_parts":{"conversation_parts":[{"id":"a"}]}}`,
			detail{ID: "9", Parts: 1, Counted: intercom.CountOf(2)}, false, ""},
		{"cut although total_count equals what was served", `{"type":"conversation","id":"12","statistics":{"count_conversation_parts":641},"conversation_parts":{"conversation_parts":[{"id":"a"}],"total_count":1}}`,
			detail{ID: "12", Parts: 1, Total: intercom.CountOf(1), Counted: intercom.CountOf(641)}, true, ""},
		{"no count at all", `{"id":"10","conversation_parts":{"conversation_parts":[]}}`, detail{ID: "10"}, false, ""},
		{"a list item, without parts", `{"type":"conversation","id":"11","created_at":1}`, detail{}, false, "no conversation_parts"},
		{"an error body", `{"type":"error.list","errors":[{"code":"not_found"}]}`, detail{}, false, `"error.list", not a conversation`},
		{"no id", `{"type":"conversation","conversation_parts":{"conversation_parts":[]}}`, detail{}, false, "no id"},
		{"trailing garbage", `{"id":"1","conversation_parts":{}} x`, detail{}, false, "not a conversation"},
		{"null", `null`, detail{}, false, "null, not a conversation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readDetail([]byte(tc.body))
			if errorAsWanted(t, err, tc.wantErr) {
				return
			}
			if got != tc.want || got.truncated() != tc.wantTruncated {
				t.Errorf("got %+v (truncated %v), want %+v (truncated %v)", got, got.truncated(), tc.want, tc.wantTruncated)
			}
		})
	}
}

// errorAsWanted fails the test unless err is what the case wants, and
// reports whether the case ends here (an error was wanted).
func errorAsWanted(t *testing.T, err error, want string) bool {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatal(err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want one saying %q", err, want)
	}
	return want != ""
}

// FuzzReadResponses: neither reader panics on any answer a server could
// send, and what one accepts is self-consistent.
func FuzzReadResponses(f *testing.F) {
	f.Add([]byte(`{"type":"conversation.list","pages":{"next":{"starting_after":"x"}},"total_count":1,"conversations":[{"id":"1","created_at":1,"updated_at":2}]}`))
	f.Add([]byte(`{"type":"conversation","id":"8","statistics":{"count_conversation_parts":3},"conversation_parts":{"conversation_parts":[{"id":"a"}],"total_count":640}}`))
	f.Add([]byte(`{"type":"error.list","request_id":"r","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`))
	f.Add([]byte(`<html><body>502 Bad Gateway</body></html>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := readPage(b); err == nil {
			for _, c := range p.Items {
				if c.ID == "" {
					t.Fatal("a page item without an id was accepted")
				}
			}
		}
		if d, err := readDetail(b); err == nil && (d.ID == "" || d.Parts < 0) {
			t.Fatalf("accepted %+v", d)
		}
		readErrorList(b)
	})
}

// FuzzTokenEchoes: a server's answer that echoes the token, in any of its
// spellings, cut anywhere, in any status, never makes the pull say the
// token or a piece of it minPiece characters long — in an error, as Run
// returns it, or in the manifest — and nothing panics. In the body, "@0" to
// "@9" stand for spellings of the token (see echoToken).
func FuzzTokenEchoes(f *testing.F) {
	for _, seed := range []struct {
		status uint8
		body   string
	}{
		{0, `{"conversations":"@1"}`},
		{0, `{"type":"@1","conversations":[]}`},
		{0, `{"type":"conversation.list","total_count":1,"conversations":[{"id":"@0","created_at":1,"updated_at":2}]}`},
		{0, `{"type":"conversation","id":"@8","conversation_parts":{"conversation_parts":[]}}`},
		{1, `{"type":"@6","id":"1","conversation_parts":{}}`},
		{2, `{"type":"error.list","request_id":"@6","errors":[{"code":"unauthorized","message":"@2"}]}`},
		{3, `{"type":"error.list","errors":[{"code":"@0","message":"@4 @3"}]}`},
		{4, `{"type":"error.list","errors":[{"code":"not_found","message":"/x?t=@5"}]}`},
		{8, `{"type":"error.list","errors":[{"code":"@7"}]}`},
		{9, `<html>@9 @1</html>`},
	} {
		f.Add(hostileToken, seed.status, []byte(seed.body), uint8(5))
	}
	f.Add("tok_live_0123456789", uint8(0), []byte(`{"conversations":"Bearer @0"}`), uint8(3))
	f.Fuzz(func(t *testing.T, token string, status uint8, body []byte, cut uint8) {
		if len(token) < minPiece || len(token) > 256 || checkToken(token) != nil {
			return
		}
		p, err := New(Options{Dir: "unused", Token: token, Retry: Retry{Attempts: 1, Timeout: time.Second},
			Query: Query{BaseURL: "https://api.intercom.io", By: "created_at", From: time.Unix(0, 0), To: time.Unix(86400, 0)}})
		if err != nil {
			return // the token is part of the base URL
		}
		answer := echoToken(body, token, int(cut))
		p.client.http.Transport = answering(fuzzStatuses[int(status)%len(fuzzStatuses)], answer)
		for _, text := range tokenEchoTexts(p) {
			if l := leak(token, text); l != "" {
				t.Fatalf("the pull says %q, which shows %q of the token %q\n(answer %q)", text, l, token, answer)
			}
		}
	})
}

var fuzzStatuses = []int{200, 200, 401, 403, 404, 400, 422, 429, 500, 503, 301}

// echoToken puts spellings of token where body has "@0" to "@9"; cut picks
// which piece of it "@6" is.
func echoToken(body []byte, token string, cut int) []byte {
	start := cut % len(token)
	var escaped strings.Builder
	for _, r := range token {
		fmt.Fprintf(&escaped, `\u%04x`, r)
	}
	spelled := []string{
		token,
		"Bearer " + token,
		b64("Bearer " + token),
		b64(token + ":"),
		b64(":" + token),
		url.QueryEscape(token),
		token[start:min(start+minPiece+cut%7, len(token))],
		base64.URLEncoding.EncodeToString([]byte("Bearer " + token)),
		escaped.String(),
		b64(token),
	}
	for i, s := range spelled {
		body = bytes.ReplaceAll(body, []byte{'@', byte('0' + i)}, []byte(s))
	}
	return body
}

// answering is a transport that answers every request with status and
// body. Its rate limit was reset long ago, so a 429 holds nothing up.
func answering(status int, body []byte) roundTripFunc {
	return func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Reset": {"0"}}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// tokenEchoTexts is everything the pull would say of the answer: a search
// page's error and a fetch's (as Run returns them), why a conversation is
// missing, and the manifest recording it.
func tokenEchoTexts(p *Puller) []string {
	ctx := context.Background()
	red := p.Redactor()
	var texts []string
	m := &Manifest{}
	pg, err := p.searchPage(ctx, filters("created_at", 0, 86400), "")
	if err != nil {
		texts = append(texts, red.Error(err).Error())
	}
	for _, id := range append([]string{"1", p.opts.Token}, idsOf(pg)...) {
		_, d, missing, err := p.get(ctx, id)
		if err != nil {
			texts = append(texts, red.Error(err).Error())
			m.Completeness.Problems = append(m.Completeness.Problems, err.Error())
		}
		m.Completeness.Missing = append(m.Completeness.Missing, Missing{ID: id, Reason: missing})
		m.Completeness.TruncatedHistories = append(m.Completeness.TruncatedHistories, Truncated{ID: d.ID})
	}
	b, _ := json.Marshal(red.manifest(m))
	var written Manifest
	json.Unmarshal(b, &written)
	for _, miss := range written.Completeness.Missing {
		texts = append(texts, miss.ID, miss.Reason)
	}
	for _, tr := range written.Completeness.TruncatedHistories {
		texts = append(texts, tr.ID)
	}
	return append(texts, written.Completeness.Problems...)
}

func idsOf(pg page) []string {
	var ids []string
	for _, c := range pg.Items {
		ids = append(ids, c.ID)
	}
	return ids
}
