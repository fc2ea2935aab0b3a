package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sampleArgs reconciles the whole committed sample into out.
func sampleArgs(out string, extra ...string) []string {
	return append([]string{"reconcile",
		"--export", "fixtures/sample/export.csv", "--api", "fixtures/sample/api",
		"--dashboard", "fixtures/sample/dashboard.csv", "--workspace", "fixtures/sample/workspace.yaml",
		"--out", out}, extra...)
}

type summaryJSON struct {
	Schema    string         `json:"schema"`
	Tool      map[string]any `json:"tool"`
	Workspace map[string]any `json:"workspace"`
	Inputs    []struct {
		Path, Kind, SHA256 string
		Records, Rejected  int
	} `json:"inputs"`
	Accounting map[string]int `json:"accounting"`
	Fields     []struct {
		Field, Left, Right string
		Compared, Equal    int
		Causes             map[string]int
		Unexplained        int
	} `json:"fields"`
	Figures []struct {
		Metric, From, To, Timezone, Hours string
		Dashboard, Export, Recomputed     *float64
		BestDefinition                    string `json:"best_definition"`
		Bridge                            []struct {
			Cause         string
			Delta         *float64
			Conversations int
		}
		Residual *float64
	} `json:"figures"`
}

func readSummary(t *testing.T, dir string) summaryJSON {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s summaryJSON
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary.json does not parse: %v", err)
	}
	return s
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestReconcile_OutputsAndAccounting checks every output's shape and that
// the accounting adds up, on the committed sample.
func TestReconcile_OutputsAndAccounting(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, sampleArgs(out)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	s := readSummary(t, out)
	if s.Schema != "icrecon.summary/v1" || s.Tool["name"] != "icrecon" || s.Workspace["timezone"] != "America/Vancouver" {
		t.Errorf("schema %q tool %v workspace %v", s.Schema, s.Tool, s.Workspace)
	}
	a := s.Accounting
	if a["matched"]+a["export_only"]+a["api_only"] != a["conversations"] || a["conversations"] == 0 {
		t.Errorf("accounting does not add up: %v", a)
	}
	if len(s.Inputs) != 4 || s.Inputs[0].SHA256 == "" || len(s.Inputs[0].SHA256) != 64 {
		t.Errorf("inputs %+v", s.Inputs)
	}
	headers := map[string]string{
		"conversations.csv": "conversation_id,status,initiator,created_at,started_at,truncated,causes",
		"differences.csv":   "conversation_id,field,left,left_value,right,right_value,cause,reading",
		"bridge.csv":        "figure,step,metric,from,to,cause,conversation_id",
	}
	for name, header := range headers {
		rows := readCSV(t, filepath.Join(out, name))
		if strings.Join(rows[0], ",") != header {
			t.Errorf("%s header %v", name, rows[0])
		}
		if name == "conversations.csv" && len(rows)-1 != a["conversations"] {
			t.Errorf("conversations.csv has %d rows for %d conversations", len(rows)-1, a["conversations"])
		}
	}
	// For counts, naive + Σ deltas + residual = dashboard, exactly.
	for _, f := range s.Figures {
		if f.Dashboard == nil || f.Residual == nil || f.BestDefinition == "" {
			t.Errorf("%s: incomplete figure %+v", f.Metric, f)
			continue
		}
		if !strings.HasPrefix(f.Metric, "median") && f.Export != nil {
			sum := *f.Export + *f.Residual
			for _, st := range f.Bridge {
				sum += *st.Delta
			}
			if sum != *f.Dashboard {
				t.Errorf("%s %s..%s: naive %v + steps + residual %v = %v, not the dashboard's %v", f.Metric, f.From, f.To, *f.Export, *f.Residual, sum, *f.Dashboard)
			}
		}
	}
	for _, want := range []string{"conversations ", "FIGURE", "wrote report.xlsx, summary.json"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("terminal summary lacks %q:\n%s", want, stdout)
		}
	}
}

// TestReconcile_Deterministic: the same inputs and options give the same
// files byte for byte when SOURCE_DATE_EPOCH pins the generation time, and
// the same workbook cell by cell (its bytes are not stable: excelize orders
// some package entries differently from one build of a chart to the next).
func TestReconcile_Deterministic(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1764547200")
	a := t.TempDir()
	first := map[string][]byte{}
	for run := range 2 {
		if code, _, stderr := runCLI(t, sampleArgs(a)...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, name := range outputFiles {
			b := readOutput(t, filepath.Join(a, name))
			if run == 0 {
				first[name] = b
			} else if len(b) == 0 || !bytes.Equal(b, first[name]) {
				t.Errorf("%s differs between two runs (or is empty)", name)
			}
		}
	}
	if s := readSummary(t, a); s.Tool["generated_at"] != "2025-12-01T00:00:00Z" {
		t.Errorf("generated_at %v, want the pinned time", s.Tool["generated_at"])
	}
}

// TestReconcile_SourceDateEpochChecked: a SOURCE_DATE_EPOCH that is no
// time a zip file can hold is refused before anything is written; it was
// ignored (abc: a run not reproducible, with nothing said) or recorded
// wrapped (-1: evidence dated 2106; 99999999999999: a generated_at that
// is not RFC 3339).
func TestReconcile_SourceDateEpochChecked(t *testing.T) {
	for _, value := range []string{"abc", "-1", "0", "99999999999999", "1.5e9"} {
		t.Run(value, func(t *testing.T) {
			t.Setenv("SOURCE_DATE_EPOCH", value)
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, sampleArgs(out)...)
			want := "SOURCE_DATE_EPOCH=" + value + " is not a time icrecon can record"
			if code != exitUsage || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, %q; want 2 and %q", code, stderr, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was made, though the run was refused", out)
			}
		})
	}
}

// readOutput is one output's content for comparison: a folder's files
// in name order, a workbook's cells, any other file's bytes.
func readOutput(t *testing.T, path string) []byte {
	t.Helper()
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for _, e := range entries {
			all = append(all, e.Name()+"\n"...)
			all = append(all, readOutput(t, filepath.Join(path, e.Name()))...)
		}
		return all
	}
	if strings.HasSuffix(path, ".xlsx") {
		return []byte(dumpWorkbook(t, path))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReconcile_EitherSourceAlone(t *testing.T) {
	cases := []struct {
		name                         string
		args                         []string
		matched, exportOnly, apiOnly bool
	}{
		{"export only", []string{"--export", "fixtures/sample/export.csv"}, false, true, false},
		{"API only", []string{"--api", "fixtures/sample/api"}, false, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string{"reconcile"}, tc.args...), "--dashboard", "fixtures/sample/dashboard.csv", "--workspace", "fixtures/sample/workspace.yaml", "--out", out)
			if code, _, stderr := runCLI(t, args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			a := readSummary(t, out).Accounting
			if (a["matched"] > 0) != tc.matched || (a["export_only"] > 0) != tc.exportOnly || (a["api_only"] > 0) != tc.apiOnly {
				t.Errorf("accounting %v", a)
			}
		})
	}
}

func TestReconcile_FailOnUnexplained(t *testing.T) {
	dir := t.TempDir()
	// A dashboard figure nothing can explain: one conversation more than
	// the sample has.
	figures := filepath.Join(dir, "dashboard.csv")
	os.WriteFile(figures, []byte("metric,from,to,value,timezone,hours\nnew_conversations,2025-10-01,2025-10-31,\"100,000\",America/Vancouver,\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "reconcile", "--export", "fixtures/sample/export.csv", "--api", "fixtures/sample/api", "--dashboard", figures,
		"--workspace", "fixtures/sample/workspace.yaml", "--out", out, "--fail-on", "unexplained")
	if code != exitThreshold || !strings.Contains(stderr, "figures with a residual") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	// With the pulls alone the rest is not checked (no export to show it),
	// so nothing is called unexplained.
	code, _, stderr = runCLI(t, "reconcile", "--api", "fixtures/sample/api", "--dashboard", figures,
		"--workspace", "fixtures/sample/workspace.yaml", "--out", filepath.Join(dir, "api-alone"), "--fail-on", "unexplained")
	if code != exitOK {
		t.Errorf("pulls alone: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.json")); err != nil {
		t.Errorf("a threshold failure must still write the results: %v", err)
	}
}

func TestReconcile_Period(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(out, "--period", "2025-10-01..2025-10-31")...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	a := readSummary(t, out).Accounting
	if a["outside_period"] == 0 || a["matched"]+a["export_only"]+a["api_only"]+a["outside_period"] != a["conversations"] {
		t.Errorf("accounting with --period %v", a)
	}
}

func TestReconcile_UsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no inputs", []string{"reconcile", "--out", "x"}, "give at least one --export or --api"},
		{"no out", []string{"reconcile", "--api", "x"}, "give --out"},
		{"bad fail-on", []string{"reconcile", "--api", "x", "--out", "y", "--fail-on", "anything"}, "--fail-on takes unexplained"},
		{"bad period", []string{"reconcile", "--api", "x", "--out", "y", "--period", "October"}, "should read FROM..TO"},
		{"period backwards", []string{"reconcile", "--api", "x", "--out", "y", "--period", "2025-10-31..2025-10-01"}, "--period 2025-10-31..2025-10-01 ends before it starts"},
		{"from and to backwards", []string{"reconcile", "--api", "x", "--out", "y", "--from", "2025-10-31", "--to", "2025-10-01"}, "--to 2025-10-01 is before --from 2025-10-31"},
		{"both ways at once", []string{"reconcile", "--api", "x", "--out", "y", "--from", "2025-10-01", "--period", "2025-10-01..2025-10-31"}, "either as --from and --to or as --period"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestReconcile_FailedRunLeavesNoPartialOutput: an unreadable input stops
// the run before any result lands in --out.
func TestReconcile_FailedRunLeavesNoPartialOutput(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, "reconcile", "--export", "fixtures/sample/api/legacy-2.9.jsonl", "--out", out)
	if code != exitFailure || !strings.Contains(stderr, "given as --export") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Errorf("a failed run left %d entries in --out", len(entries))
	}
}

// TestReconcile_ZoneFromExportHeadersOnly is the most natural call: no
// --timezone and no --workspace, the zone coming from the export's headers.
// It used to panic in the timezone detector (issue 13, defect 0).
func TestReconcile_ZoneFromExportHeadersOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, "reconcile", "--export", "fixtures/sample/export.csv", "--api", "fixtures/sample/api",
		"--dashboard", "fixtures/sample/dashboard.csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if s := readSummary(t, out); s.Workspace["timezone"] != "America/Vancouver" {
		t.Errorf("workspace zone %v, want the export's America/Vancouver", s.Workspace["timezone"])
	}
}

// TestOut_ReplacesItsOwnResultsWhole: a second run into the same folder
// replaces the results, keeps a file the user put beside them, and leaves
// one generation.
func TestOut_ReplacesItsOwnResultsWhole(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for i := 0; i < 2; i++ {
		if code, _, stderr := runCLI(t, sampleArgs(out)...); code != exitOK {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr)
		}
		if i == 0 {
			os.WriteFile(filepath.Join(out, "my-notes.txt"), []byte("mine"), 0o644)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "my-notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the user's file beside the results: %q, %v", b, err)
	}
	gens, _ := filepath.Glob(filepath.Join(out, ".icrecon", "gen-*"))
	if len(gens) != 1 {
		t.Errorf("%d generations kept, want 1", len(gens))
	}
	readSummary(t, out)
}

// Issue 10: a dashboard row that cannot be read stops the run with a located
// sentence, unless --skip-bad-figures, which lists it in rejected.csv and
// goes on with the others.
func TestReconcile_DashboardRowsNeverVanish(t *testing.T) {
	for _, bad := range []string{
		"1h 2x",
		// Past 10^12 s: read as a number, it overflowed on its way to the
		// report and crashed the run with a stack overflow.
		"1e308",
		"9223372036854775807",
	} {
		t.Run(bad, func(t *testing.T) { dashboardRowNeverVanishes(t, bad) })
	}
}

func dashboardRowNeverVanishes(t *testing.T, value string) {
	dir := t.TempDir()
	sample, err := os.ReadFile("fixtures/sample/dashboard.csv")
	if err != nil {
		t.Fatal(err)
	}
	dashboard := filepath.Join(dir, "dashboard.csv")
	bad := "median_first_response_time,2025-10-01,2025-10-31," + value + "\n"
	if err := os.WriteFile(dashboard, append(sample, bad...), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"reconcile", "--export", "fixtures/sample/export.csv", "--api", "fixtures/sample/api",
		"--workspace", "fixtures/sample/workspace.yaml", "--dashboard", dashboard}

	code, _, stderr := runCLI(t, append(base, "--out", filepath.Join(dir, "stopped"))...)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	line := strings.Count(string(sample), "\n") + 1
	want := fmt.Sprintf(`dashboard.csv:%d: column "value": %q`, line, value)
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "--skip-bad-figures") {
		t.Errorf("stderr %q does not say %q and how to go on", stderr, want)
	}

	out := filepath.Join(dir, "skipped")
	if code, _, stderr := runCLI(t, append(base, "--skip-bad-figures", "--out", out)...); code != exitOK {
		t.Fatalf("with --skip-bad-figures: exit %d: %s", code, stderr)
	}
	s := readSummary(t, out)
	good := 0
	for _, l := range strings.Split(string(sample), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "metric") {
			good++
		}
	}
	if len(s.Figures) != good {
		t.Errorf("%d figures reconciled, want the %d good rows", len(s.Figures), good)
	}
	rejected := readCSV(t, filepath.Join(out, "rejected.csv"))
	if len(rejected) != 2 || rejected[1][1] != strconv.Itoa(line) || rejected[1][3] != "value" || rejected[1][4] != value {
		t.Errorf("rejected.csv is %q, want the bad row at line %d", rejected, line)
	}
}

// TestReconcile_BadFigureHidesPersonalValue: the sentence a run stops with
// at a bad dashboard row showed its value whatever it was (a customer's
// name typed as the metric); it says it as rejected.csv does.
func TestReconcile_BadFigureHidesPersonalValue(t *testing.T) {
	dir := t.TempDir()
	sample, err := os.ReadFile("fixtures/sample/dashboard.csv")
	if err != nil {
		t.Fatal(err)
	}
	dashboard := filepath.Join(dir, "dashboard.csv")
	if err := os.WriteFile(dashboard, append(sample, "Zelda Piiname,2025-10-01,2025-10-31,12\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(sample), "\n") + 1
	for _, tc := range []struct {
		name  string
		args  []string
		shown bool
	}{
		{"without personal data", nil, false},
		{"with --include-pii", []string{"--include-pii"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"reconcile", "--export", "fixtures/sample/export.csv", "--dashboard", dashboard,
				"--workspace", "fixtures/sample/workspace.yaml", "--out", filepath.Join(t.TempDir(), "out")}, tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != exitFailure {
				t.Fatalf("exit %d, want %d: %s", code, exitFailure, stderr)
			}
			if got := strings.Contains(stdout+stderr, "Zelda"); got != tc.shown {
				t.Errorf("the name is on the output: %v, want %v\n%s", got, tc.shown, stderr)
			}
			want := fmt.Sprintf(`dashboard.csv:%d: column "metric" is not a metric icrecon knows`, line)
			if tc.shown {
				want = fmt.Sprintf(`dashboard.csv:%d: column "metric": "Zelda Piiname" is not a metric icrecon knows`, line)
			}
			if !strings.Contains(stderr, want) || !strings.Contains(stderr, "--skip-bad-figures") {
				t.Errorf("stderr %q does not say %q and how to go on", stderr, want)
			}
		})
	}
}

// Issue 10: an export duration typed with a fraction of a second that
// agrees once rounded is a rounding difference, shown as typed, not silence.
func TestReconcile_FractionsAreRoundingRows(t *testing.T) {
	f, err := os.Open("fixtures/sample/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "First response time (seconds)")
	dir := t.TempDir()
	base := t.TempDir()
	// Reconcile once as is, to pick a conversation whose value agrees.
	if code, _, stderr := runCLI(t, "reconcile", "--export", "fixtures/sample/export.csv", "--api", "fixtures/sample/api",
		"--workspace", "fixtures/sample/workspace.yaml", "--out", base); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	differs := map[string]bool{}
	for _, d := range readCSV(t, filepath.Join(base, "differences.csv"))[1:] {
		if d[1] == "time_to_admin_reply_all_hours" {
			differs[d[0]] = true
		}
	}
	id, typed := "", ""
	for _, row := range rows[1:] {
		if v := strings.TrimSuffix(row[col], ".0"); v != "" && !differs[row[0]] {
			id, typed = row[0], v+".4"
			row[col] = typed
			break
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	export := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(export, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "reconcile", "--export", export, "--api", "fixtures/sample/api",
		"--workspace", "fixtures/sample/workspace.yaml", "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	found := false
	for _, d := range readCSV(t, filepath.Join(out, "differences.csv"))[1:] {
		if d[0] == id && d[1] == "time_to_admin_reply_all_hours" {
			found = true
			if d[2] != "export" || d[3] != typed || d[6] != "rounding" {
				t.Errorf("differences.csv row %q, want export's %s as typed, cause rounding", d, typed)
			}
		}
	}
	if !found {
		t.Errorf("conversation %s's %s typed as %s has no row in differences.csv", id, rows[0][col], typed)
	}
}

// TestReconcile_SameInputTwice: an export or a pull given twice (a folder
// named again, a file already in a folder named) is read twice, and its
// second records are duplicates of the first: the conversations and their
// differences are those of one reading. Before, a pull given twice stopped the run with an internal
// error: its export rows were released once compared, and the second
// records found none.
func TestReconcile_SameInputTwice(t *testing.T) {
	once, twice := t.TempDir(), t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(once)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, _, stderr := runCLI(t, sampleArgs(twice, "--export", "fixtures/sample/export.csv", "--api", "fixtures/sample/api", "--api", "fixtures/sample/api/conversations.jsonl")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	a, b := readSummary(t, once).Accounting, readSummary(t, twice).Accounting
	if b["export_duplicates"] != 2*a["export_duplicates"]+a["export_rows"]-a["export_duplicates"] {
		t.Errorf("export duplicates %d given twice, %d once of %d rows", b["export_duplicates"], a["export_duplicates"], a["export_rows"])
	}
	if b["api_records"]-b["api_duplicates"] != a["api_records"]-a["api_duplicates"] || b["api_duplicates"] <= a["api_records"] {
		t.Errorf("API records %d with %d duplicates given twice, %d with %d once", b["api_records"], b["api_duplicates"], a["api_records"], a["api_duplicates"])
	}
	// (bridge.csv differs, rightly: the naive export count counts the
	// repeated rows, and its duplicate step explains them.)
	for _, name := range []string{"conversations.csv", "differences.csv"} {
		if !bytes.Equal(readOutput(t, filepath.Join(once, name)), readOutput(t, filepath.Join(twice, name))) {
			t.Errorf("%s differs when the inputs are given twice", name)
		}
	}
}
