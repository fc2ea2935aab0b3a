package parse

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icrecon/icrecon/intercom"
)

// specPath is Intercom's official OpenAPI 2.16 description, kept beside the
// project (shared/reference); the test is skipped where it is absent.
var specPath = filepath.Join("..", "..", "shared", "reference", "api.intercom.io.yaml")

// conversationExamples walks the description and returns, as JSON, every
// example value that is a conversation or a page of conversations.
func conversationExamples(t *testing.T) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile(specPath)
	if os.IsNotExist(err) {
		t.Skipf("OpenAPI description not found at %s", specPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	found := map[string][]byte{}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if typ, _ := x["type"].(string); (typ == "conversation" || typ == "conversation.list") && x["id"] != nil || typ == "conversation.list" {
				b, err := json.Marshal(x)
				if err != nil {
					t.Fatalf("%s: %v", at, err)
				}
				found[at] = b
				return
			}
			for k, child := range x {
				walk(at+"/"+k, child)
			}
		case []any:
			for _, child := range x {
				walk(at+"[]", child)
			}
		}
	}
	walk("", doc)
	return found
}

func TestReadAPI_EveryOpenAPIConversationExample(t *testing.T) {
	examples := conversationExamples(t)
	if len(examples) < 10 {
		t.Fatalf("found only %d conversation examples in the description", len(examples))
	}
	total := 0
	for at, body := range examples {
		var got []*intercom.Conversation
		info, err := readAPIBytes(t, "example.json", body, func(c *intercom.Conversation, dup bool) error {
			got = append(got, c)
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v", at, err)
			continue
		}
		// The deleted-conversations list reuses type "conversation" for
		// entries that carry only an id and deleted_at.
		if strings.Contains(at, "/conversations/deleted/") {
			if info.Tally.Rejected != 1 || info.Rejects[0].Column != "deleted_at" {
				t.Errorf("%s: want the deleted entry rejected for deleted_at, got %+v", at, info.Rejects)
			}
			continue
		}
		if info.Tally.Rejected != 0 {
			t.Errorf("%s: rejected %v", at, info.Rejects)
		}
		for _, c := range got {
			if c.ID == "" || !c.CreatedAt.Valid {
				t.Errorf("%s: conversation without id or created_at: %+v", at, c)
			}
		}
		total += len(got)
	}
	t.Logf("%d examples, %d conversations read", len(examples), total)
}
