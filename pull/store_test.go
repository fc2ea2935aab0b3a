package pull

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	lineA = `{"type":"conversation","id":"1","updated_at":5,"conversation_parts":{"conversation_parts":[],"total_count":0}}`
	lineB = `{"type":"conversation","id":"2","updated_at":6,"conversation_parts":{"conversation_parts":[{"id":"p"}],"total_count":600}}`
)

func TestOpenStore_Recovers(t *testing.T) {
	cases := []struct {
		name      string
		file      string
		wantIDs   []string
		wantTorn  int64
		wantSize  int
		wantErr   string
		truncated int
	}{
		{"a new file", "", nil, 0, 0, "", 0},
		{"whole lines", lineA + "\n" + lineB + "\n", []string{"1", "2"}, 0, len(lineA) + len(lineB) + 2, "", 1},
		{"a torn last line is cut off", lineA + "\n" + lineB[:40], []string{"1"}, 40, len(lineA) + 1, "", 0},
		{"a last line cut just before its newline", lineA + "\n" + lineB, []string{"1"}, int64(len(lineB)), len(lineA) + 1, "", 0},
		{"a damaged line in the middle is refused", lineA[:30] + "\n" + lineB + "\n", nil, 0, 0, "conversations.jsonl:1: this line is not a whole conversation", 0},
		{"a conversation twice is refused", lineA + "\n" + lineA + "\n", nil, 0, 0, "conversations.jsonl:2: conversation 1 is in the file twice", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "conversations.jsonl")
			if tc.file != "" {
				os.WriteFile(path, []byte(tc.file), 0o644)
			}
			s, torn, err := openStore(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			if torn != tc.wantTorn || int(s.size) != tc.wantSize || len(s.held) != len(tc.wantIDs) || len(s.truncated) != tc.truncated {
				t.Errorf("torn %d, size %d, held %v, truncated %v", torn, s.size, s.held, s.truncated)
			}
			for _, id := range tc.wantIDs {
				if !s.has(id) {
					t.Errorf("does not hold %s", id)
				}
			}
			// What is added next starts on a line of its own.
			d, _ := readDetail([]byte(lineB))
			d.ID = "3"
			if err := s.add(d, []byte(strings.Replace(lineB, `"2"`, `"3"`, 1))); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(path)
			if want := tc.wantSize + len(lineB) + 1; len(b) != want || !strings.HasSuffix(string(b), "\n") {
				t.Errorf("file is %d bytes, want %d:\n%s", len(b), want, b)
			}
		})
	}
}

func TestStoreAdd_OneLinePerConversation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	s, _, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	pretty := "{\n  \"type\": \"conversation\",\n  \"id\": \"1\",\n  \"conversation_parts\": {\"conversation_parts\": []}\n}"
	d, err := readDetail([]byte(pretty))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.add(d, []byte(pretty)); err != nil {
		t.Fatal(err)
	}
	s.close()
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), "\n") != 1 {
		t.Errorf("a pretty-printed answer was not written as one line: %q", b)
	}
}
