package pull

import (
	"github.com/icrecon/icrecon/intercom"
	"strings"
	"testing"
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
