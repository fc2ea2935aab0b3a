package main

import (
	"encoding/json"
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
