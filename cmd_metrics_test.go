package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// metricsLine is one line of `icrecon metrics --format jsonl`.
type metricsLine struct {
	ID         string         `json:"id"`
	Truncated  bool           `json:"truncated"`
	Reported   map[string]any `json:"reported"`
	Recomputed map[string]any `json:"recomputed"`
	Differs    []string       `json:"differs"`
}

// TestMetrics_Sample runs the command on the committed sample: every
// conversation with a complete history agrees with Intercom on every field,
// except the ones whose API statistics were planted to count a bot's answer
// as the first reply (fixtures' plants.jsonl, cause bot_author).
func TestMetrics_Sample(t *testing.T) {
	botPlants := plantedIDs(t, "api", "recomputed", "bot_author")
	out := filepath.Join(t.TempDir(), "metrics.jsonl")
	code, _, stderr := runCLI(t, "metrics", "--api", "fixtures/sample/api", "--workspace", "fixtures/sample/workspace.yaml", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, truncated := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l metricsLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d does not parse: %v", lines+1, err)
		}
		lines++
		if l.Truncated {
			truncated++
			if len(l.Differs) == 0 {
				t.Errorf("%s: a truncated history agrees on everything; the sample's truncated conversation should not", l.ID)
			}
			continue
		}
		want := ""
		if botPlants[l.ID] {
			want = "first_admin_reply_at time_to_admin_reply"
		}
		if got := strings.Join(l.Differs, " "); got != want {
			t.Errorf("%s: complete history, %q differ, want %q", l.ID, got, want)
		}
		for _, field := range []string{"started_at", "first_response_time_all_hours", "reply_times", "time_to_last_close_by_human"} {
			if _, ok := l.Recomputed[field]; !ok {
				t.Errorf("%s: recomputed has no %s", l.ID, field)
			}
		}
		if _, ok := l.Reported["time_to_admin_reply_all_hours"]; ok {
			t.Errorf("%s: the API states no all-hours durations, yet reported has one", l.ID)
		}
	}
	if lines != 297 || truncated != 1 || len(botPlants) != 3 {
		t.Errorf("%d lines (%d truncated), %d planted; want 297 (1 truncated), 3 planted", lines, truncated, len(botPlants))
	}
	for _, want := range []string{"read 297 records from 2 files: 297 accepted, 0 rejected, 0 duplicates", "time_to_admin_reply", "DIFFER (TRUNCATED)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "warning: no office hours") {
		t.Error("warned about office hours although workspace.yaml gives them")
	}
}

func TestMetrics_CSVAndNoOfficeHours(t *testing.T) {
	out := filepath.Join(t.TempDir(), "metrics.csv")
	code, _, stderr := runCLI(t, "metrics", "--api", "fixtures/sample/api/legacy-2.9.jsonl", "--format", "csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: no office hours given") {
		t.Errorf("no warning that durations are over all hours:\n%s", stderr)
	}
	rows := readCSV(t, out)
	if len(rows) != 31 || rows[0][0] != "conversation_id" || rows[0][3] != "reported_first_contact_reply_at" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0][:4])
	}
	// Over all hours, the API's office-hours durations differ wherever a
	// conversation spans closed hours.
	differing := 0
	for _, r := range rows[1:] {
		if strings.Contains(r[2], "time_to_admin_reply") {
			differing++
		}
	}
	if differing == 0 {
		t.Error("no time_to_admin_reply differs without office hours; the comparison is not looking")
	}
}

func TestMetrics_UsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"metrics"}, "give at least one --api"},
		{"bad format", []string{"metrics", "--api", "x", "--format", "xlsx"}, "--format is jsonl or csv"},
		{"office hours without a zone", []string{"metrics", "--api", "x", "--office-hours", "Mon-Fri 09:00-17:00"}, "needs --timezone"},
		{"workspace and zone both", []string{"metrics", "--api", "x", "--workspace", "w.yaml", "--timezone", "UTC"}, "not both"},
		{"bad office hours", []string{"metrics", "--api", "x", "--timezone", "UTC", "--office-hours", "Mon-Fry 09:00-17:00"}, `"Fry" is not a day of the week`},
		{"unknown variant", []string{"metrics", "--api", "x", "--variant", "nope=1"}, `there is no variant family "nope"`},
		{"a positional file", []string{"metrics", "pull.jsonl"}, "give at least one --api"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

func TestMetrics_WrongKindOfInput(t *testing.T) {
	code, _, stderr := runCLI(t, "metrics", "--api", "fixtures/sample/export.csv")
	if code != exitFailure || !strings.Contains(stderr, "this is a Reports CSV export, but it was given as --api") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestMetrics_RejectedRecordsAreDescribed: issue 13 — metrics said
// "3 rejected" and nothing more unless --strict. It now gives the first
// reasons, with no value that may be personal.
func TestMetrics_RejectedRecordsAreDescribed(t *testing.T) {
	pull := filepath.Join(t.TempDir(), "pull.jsonl")
	var b strings.Builder
	b.WriteString(`{"type":"conversation","id":"1","created_at":1700000000,"conversation_parts":{"conversation_parts":["Hi, I am Ann Lee, card 98765431"]}}` + "\n")
	for i := 0; i < 11; i++ {
		b.WriteString(`{"type":"conversation","created_at":1700000000}` + "\n")
	}
	b.WriteString(`{"type":"conversation","id":"2","created_at":1700000000}` + "\n")
	if err := os.WriteFile(pull, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "metrics", "--api", pull, "--out", filepath.Join(t.TempDir(), "m.jsonl"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"read 13 records from 1 files: 1 accepted, 12 rejected, 0 duplicates",
		`  rejected ` + pull + `:1: field "conversation_parts.conversation_parts[0]" is not a conversation part (its value is not shown: it may be personal data)`,
		`  rejected ` + pull + `:2: field "id" is missing, so the conversation cannot be matched`,
		"  … 2 more rejected records (icrecon inspect --json FILE lists up to 100 of each input)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, "  rejected "); n != 10 {
		t.Errorf("%d rejected records described, want the first 10", n)
	}
	if strings.Contains(stderr, "98765431") {
		t.Errorf("stderr shows a message's text:\n%s", stderr)
	}
}

// TestMetrics_GzipTrailingDataIsNoted: bytes after a gzip pull's data that
// are not gzip are no record (they were a rejected one); standard error
// says they were ignored, with where.
func TestMetrics_GzipTrailingDataIsNoted(t *testing.T) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(`{"type":"conversation","id":"1","created_at":1700000000}` + "\n"))
	zw.Close()
	n := z.Len()
	z.WriteString("garbage\n")
	pull := filepath.Join(t.TempDir(), "trail.jsonl.gz")
	if err := os.WriteFile(pull, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "metrics", "--api", pull, "--out", filepath.Join(t.TempDir(), "m.jsonl"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"read 1 records from 1 files: 1 accepted, 0 rejected, 0 duplicates",
		fmt.Sprintf("  note: %s: the gzip data ends at byte %d of the file, and the 8 bytes after it are not gzip, so they were ignored\n", pull, n),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestMetrics_ControlCharacterInIDIsValidJSON: issue 13 — an id holding a
// control character ("21547\a") made metrics write a line that is not JSON.
// A conversation's id is digits now (intercom.ConversationID); an id of a
// teammate is still taken as written, and carries the characters.
func TestMetrics_ControlCharacterInIDIsValidJSON(t *testing.T) {
	dir := t.TempDir()
	pull := filepath.Join(dir, "pull.jsonl")
	if err := os.WriteFile(pull, []byte(`{"type":"conversation","id":"21547","created_at":1700000000,"statistics":{"last_closed_by_id":"5\u0007\u2028\u0000"}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.jsonl")
	if code, _, stderr := runCLI(t, "metrics", "--api", pull, "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var l metricsLine
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatalf("%q is not JSON: %v", data, err)
	}
	if l.ID != "21547" || l.Reported["last_closed_by_id"] != "5\a\u2028\x00" {
		t.Errorf("read back id %q, last_closed_by_id %q", l.ID, l.Reported["last_closed_by_id"])
	}
}

// TestMetrics_OutReplacesOnlyAnEarlierOutput: the attacker's report —
// metrics --out replaced the --api pull it read, the --workspace file, a
// user's file, and wrote into an --api folder (the next run read it). Each
// is refused before the pull is read, and the file is left as it was; an
// earlier metrics output, in either format, is still replaced.
func TestMetrics_OutReplacesOnlyAnEarlierOutput(t *testing.T) {
	pull, err := os.ReadFile("fixtures/sample/api/legacy-2.9.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	earlierCSV := filepath.Join(t.TempDir(), "earlier.csv")
	if code, _, stderr := runCLI(t, "metrics", "--api", "fixtures/sample/api/legacy-2.9.jsonl", "--format", "csv", "--out", earlierCSV); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	earlier, _ := os.ReadFile(earlierCSV)
	const workspace = "timezone: UTC\n"
	cases := []struct {
		name    string
		out     string // under the case's folder, which holds api/pull.jsonl, workspace.yaml, notes.txt, earlier.csv, empty.jsonl and link → api
		args    []string
		wantErr string // "" when the output is written
	}{
		{"the --api file", "api/pull.jsonl", []string{"--api", "api/pull.jsonl"}, "is one of the inputs; icrecon will not write over it: give another name"},
		{"the --api file through a link", "api/pull.jsonl", []string{"--api", "link/pull.jsonl"}, "is one of the inputs"},
		{"the --workspace file", "workspace.yaml", []string{"--api", "api/pull.jsonl", "--workspace", "workspace.yaml"}, "is one of the inputs"},
		{"a file the --api folder holds", "api/pull.jsonl", []string{"--api", "api"}, "is one of the inputs"},
		{"a new file in the --api folder", "api/metrics.jsonl", []string{"--api", "api"}, "a folder given as an input; icrecon will not write there"},
		{"a new file in the --api folder through a link", "link/metrics.jsonl", []string{"--api", "api"}, "a folder given as an input"},
		{"a user's file", "notes.txt", []string{"--api", "api/pull.jsonl"}, "already exists and is not an earlier icrecon metrics output; icrecon will not replace it: give a new name or remove the file first"},
		{"an earlier CSV output, now as JSONL", "earlier.csv", []string{"--api", "api/pull.jsonl"}, ""},
		{"an earlier JSONL output of no conversations", "empty.jsonl", []string{"--api", "api/pull.jsonl"}, ""},
		{"a new file", "metrics.jsonl", []string{"--api", "api/pull.jsonl"}, ""},
		// The error named the temporary file (.metrics.jsonl.NNN.tmp), after
		// every input had been read.
		{"a file in a folder that does not exist", "missing/metrics.jsonl", []string{"--api", "api/pull.jsonl"}, "missing/metrics.jsonl: the folder " + "%s/missing does not exist"},
		{"a file in a folder that is a file", "notes.txt/metrics.jsonl", []string{"--api", "api/pull.jsonl"}, "notes.txt/metrics.jsonl: " + "%s/notes.txt is not a folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			at := func(name string) string { return filepath.Join(dir, name) }
			os.Mkdir(at("api"), 0o755)
			os.Symlink(at("api"), at("link"))
			for name, content := range map[string][]byte{"api/pull.jsonl": pull, "workspace.yaml": []byte(workspace), "notes.txt": []byte("mine\n"), "earlier.csv": earlier, "empty.jsonl": nil} {
				if err := os.WriteFile(at(name), content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := os.ReadFile(at(tc.out))
			args := []string{"metrics", "--out", at(tc.out)}
			for i, a := range tc.args {
				if i%2 == 1 {
					a = at(a)
				}
				args = append(args, a)
			}
			code, _, stderr := runCLI(t, args...)
			after, _ := os.ReadFile(at(tc.out))
			if strings.Contains(tc.wantErr, "%s") {
				tc.wantErr = fmt.Sprintf(tc.wantErr, dir)
			}
			if tc.wantErr == "" {
				if code != exitOK || !strings.HasPrefix(string(after), `{"id":`) {
					t.Fatalf("exit %d, output starts %.40q: %s", code, after, stderr)
				}
				return
			}
			if code != exitFailure || !strings.Contains(stderr, tc.wantErr) || !strings.Contains(stderr, at(tc.out)) {
				t.Errorf("exit %d, %q; want 1 and %q naming %s", code, stderr, tc.wantErr, at(tc.out))
			}
			if strings.Contains(stderr, ".tmp") || strings.Contains(stderr, "records from") {
				t.Errorf("the refusal names a temporary file, or comes after the inputs were read: %q", stderr)
			}
			if string(after) != string(before) {
				t.Errorf("%s was changed", tc.out)
			}
			if strings.Contains(stderr, " records from ") {
				t.Errorf("the inputs were read before the refusal:\n%s", stderr)
			}
		})
	}
}
