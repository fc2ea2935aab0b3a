package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInspect_Sample runs `icrecon inspect --json` on the committed sample as
// a user would, and checks every file's kind and accounting.
func TestInspect_Sample(t *testing.T) {
	code, stdout, stderr := runCLI(t, "inspect", "--json", "fixtures/sample")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out inspectJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, stdout)
	}
	want := map[string]struct {
		kind    string
		records int
	}{
		"fixtures/sample/api/conversations.jsonl": {"api_json", 267},
		"fixtures/sample/api/legacy-2.9.jsonl":    {"api_json", 30},
		"fixtures/sample/dashboard.csv":           {"dashboard_csv", 12},
		"fixtures/sample/export.csv":              {"export_csv", 214},
		"fixtures/sample/workspace.yaml":          {"workspace", 1},
	}
	if len(out.Inputs) != len(want) {
		t.Fatalf("%d inputs, want %d", len(out.Inputs), len(want))
	}
	for _, in := range out.Inputs {
		w, ok := want[in.Path]
		if !ok {
			t.Errorf("unexpected input %s", in.Path)
			continue
		}
		// The export has two rows planted twice (fixtures' plants.jsonl).
		dups := 0
		if in.Kind == "export_csv" {
			dups = 2
		}
		if in.Kind != w.kind || in.Records != w.records || in.Accepted != w.records-dups || in.Rejected != 0 || in.Duplicates != dups || in.Error != "" {
			t.Errorf("%s: %+v, want kind %s with %d records, %d duplicates, the rest accepted", in.Path, in, w.kind, w.records, dups)
		}
	}
	export := findInput(out, "fixtures/sample/export.csv")
	if export.Timezone != "America/Vancouver" || len(export.ColumnsMapped) != 36 || len(export.ColumnsUnmapped) != 57 {
		t.Errorf("export: zone %q, %d mapped, %d unmapped", export.Timezone, len(export.ColumnsMapped), len(export.ColumnsUnmapped))
	}
	// The export cannot tell a series from a custom bot, and says so.
	if export.Initiators["automated|bot"] == 0 || export.Initiators["customer"] == 0 {
		t.Errorf("export initiators %v", export.Initiators)
	}
	if export.FirstAt == "" || export.LastAt == "" || export.FirstAt > export.LastAt {
		t.Errorf("export span %s..%s", export.FirstAt, export.LastAt)
	}
}

func findInput(out inspectJSON, path string) inputJSON {
	for _, in := range out.Inputs {
		if in.Path == path {
			return in
		}
	}
	return inputJSON{}
}

// TestInspect_TableAccountsForEveryRecord checks the human table's totals line.
func TestInspect_TableAccountsForEveryRecord(t *testing.T) {
	code, stdout, stderr := runCLI(t, "inspect", "fixtures/sample")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var total string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "total") {
			total = strings.Join(strings.Fields(line), " ")
		}
	}
	if total != "total 524 522 0 2" {
		t.Errorf("totals line %q, want 524 read, 522 accepted, 0 rejected, 2 duplicates\n%s", total, stdout)
	}
}

// TestInspect_WarningWithoutValue: the warning for an export whose
// timestamp headers name two zones said its value was hidden as personal
// data; it names the zones in its sentence, and has no value to hide.
func TestInspect_WarningWithoutValue(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export.csv")
	csv := "Conversation ID,Conversation started at (America/Vancouver),Conversation created at (UTC)\n215470001,2025-10-01 08:00:00,2025-10-01 15:00:00\n"
	if err := os.WriteFile(export, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	const sentence = "the timestamp columns name different time zones (America/Vancouver, UTC); each column is read in its own"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"table", nil, export + ": " + sentence + "\n"},
		{"json", []string{"--json"}, `"value": "",` + "\n          " + `"reason": "` + sentence + `"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(append([]string{"inspect"}, tc.args...), export)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, tc.want) || strings.Contains(stdout, "personal data") {
				t.Errorf("output lacks %q, or speaks of personal data:\n%s", tc.want, stdout)
			}
		})
	}
}

// TestInspect_HidesPersonalPartTypes: an unknown part_type holding a name,
// an address and message text was printed as it came, in text and --json.
func TestInspect_HidesPersonalPartTypes(t *testing.T) {
	pull := filepath.Join(t.TempDir(), "pull.jsonl")
	line := `{"type":"conversation","id":"1","created_at":1754169880,"conversation_parts":{"conversation_parts":[` +
		`{"part_type":"Jane Doe <jane.doe@example.com> my card 4111","created_at":1754169890},{"part_type":"brand_new_event","created_at":1754169891}]}}` + "\n"
	if err := os.WriteFile(pull, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		shown bool
		want  string
	}{
		{"table", nil, false, "1 part type not shown (1 part, read as events): they do not look like part types and may be personal data (--include-pii shows them)"},
		{"json", []string{"--json"}, false, `"1 part type not shown (1 part, read as events): they do not look like part types and may be personal data (--include-pii shows them)"`},
		{"table with --include-pii", []string{"--include-pii"}, true, "part types read as events without message meaning: Jane Doe <jane.doe@example.com> my card 4111 (1), brand_new_event (1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(append([]string{"inspect"}, tc.args...), pull)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Contains(stdout+stderr, "Jane Doe"); got != tc.shown {
				t.Errorf("the name is on the output: %v, want %v\n%s", got, tc.shown, stdout)
			}
			if !strings.Contains(stdout, tc.want) || !strings.Contains(stdout, "brand_new_event (1)") {
				t.Errorf("output lacks %q and brand_new_event (1):\n%s", tc.want, stdout)
			}
		})
	}
}

// TestInspect_HidesPersonalValues: inspect printed a rejected value as read,
// so an e-mail address typed into "Conversation ID" showed on its output
// (text and --json). It now hides such values as rejected.csv does, and
// shows them with --include-pii; a value that is not personal (a bad date)
// is shown either way.
func TestInspect_HidesPersonalValues(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export.csv")
	// Personal data where an id or a time belongs: an e-mail address, and
	// (issue: these were shown, having no "@") a name, an id followed by
	// message text, message text as a time.
	csv := "Conversation ID,Conversation started at (America/Vancouver)\n" +
		"jane.doe@example.com,2025-10-01 08:00:00\n" +
		"215470001,2025-13-02 14:24\n" +
		"Zelda Piiname,2025-10-01 08:00:00\n" +
		"215470000001050 ZZSECRETMSG my card number leaked,2025-10-01 08:00:00\n" +
		"215470002,ZZSECRETMSG my card number leaked\n"
	if err := os.WriteFile(export, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	personal := []string{"jane.doe@example.com", "Zelda", "ZZSECRETMSG"}
	cases := []struct {
		name      string
		args      []string
		wantCode  int
		shown     bool     // the personal data is on the output
		wantLines []string // each must be on the output
	}{
		{"table", nil, exitOK, false, []string{
			export + `:2: column "Conversation ID" is not a conversation id (Intercom's ids are digits) (its value is not shown: it may be personal data; --include-pii shows it)`,
			export + `:3: column "Conversation started at (America/Vancouver)": "2025-13-02 14:24"`,
			export + `:4: column "Conversation ID" is not a conversation id (Intercom's ids are digits) (its value is not shown: it may be personal data; --include-pii shows it)`,
			export + `:5: column "Conversation ID" is not a conversation id (Intercom's ids are digits) (its value is not shown: it may be personal data; --include-pii shows it)`,
			export + `:6: column "Conversation started at (America/Vancouver)" is not a date`}},
		{"json", []string{"--json"}, exitOK, false, []string{
			`"value": "(hidden: personal data; --include-pii shows it)"`,
			`"value": "2025-13-02 14:24"`}},
		{"strict", []string{"--strict"}, exitFailure, false, []string{
			`cannot be read: ` + export + `:2: column "Conversation ID" is not a conversation id (Intercom's ids are digits) (its value is not shown: it may be personal data; --include-pii shows it) (stopped at the first bad record because of --strict)`}},
		{"strict json", []string{"--strict", "--json"}, exitFailure, false, []string{
			`"value": "(hidden: personal data; --include-pii shows it)"`,
			`(its value is not shown: it may be personal data; --include-pii shows it) (stopped at the first bad record because of --strict)"`}},
		{"table with --include-pii", []string{"--include-pii"}, exitOK, true, []string{
			export + `:2: column "Conversation ID": "jane.doe@example.com" is not a conversation id (Intercom's ids are digits)`}},
		{"json with --include-pii", []string{"--json", "--include-pii"}, exitOK, true, []string{
			`"value": "jane.doe@example.com"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(append([]string{"inspect"}, tc.args...), export)...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tc.wantCode, stderr)
			}
			out := stdout + stderr
			for _, p := range personal {
				if got := strings.Contains(out, p); got != tc.shown {
					t.Errorf("%q is on the output: %v, want %v\n%s", p, got, tc.shown, out)
				}
			}
			for _, want := range tc.wantLines {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
