package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mutatedPull copies the sample's API pull into a folder, rewriting every
// match of re in its lines with edit.
func mutatedPull(t *testing.T, re string, edit func(string) string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "api")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pattern := regexp.MustCompile(re)
	for _, name := range []string{"conversations.jsonl", "legacy-2.9.jsonl"} {
		b, err := os.ReadFile(filepath.Join("fixtures/sample/api", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(pattern.ReplaceAllStringFunc(string(b), edit)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type learningSummary struct {
	NotStated []struct{ Field, Source string } `json:"not_stated"`
	Fields    []struct {
		Field, Left, Right string
		StatedBy           []string `json:"stated_by"`
	} `json:"fields"`
	Findings []struct {
		Field, Left, Right, Pattern string
		Unexplained, Compared       int
	} `json:"findings"`
	Legacy int `json:"legacy_conversations"`
}

func reconcilePull(t *testing.T, pull string) (learningSummary, [][]string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, "reconcile", "--export", "fixtures/sample/export.csv", "--api", pull,
		"--workspace", "fixtures/sample/workspace.yaml", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s learningSummary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s, readCSV(t, filepath.Join(out, "differences.csv"))[1:]
}

// TestReconcile_AFieldThePullNeverStates is said once, not counted as a
// difference on every conversation.
func TestReconcile_AFieldThePullNeverStates(t *testing.T) {
	pull := mutatedPull(t, `"last_assignment_admin_reply_at":[0-9]+`, func(string) string { return `"last_assignment_admin_reply_at":null` })
	s, diffs := reconcilePull(t, pull)
	if len(s.NotStated) != 1 || s.NotStated[0].Field != "last_assignment_admin_reply_at" || s.NotStated[0].Source != "api" {
		t.Errorf("not stated: %+v", s.NotStated)
	}
	for _, d := range diffs {
		if d[1] == "last_assignment_admin_reply_at" && (d[2] == "api" || d[4] == "api") {
			t.Errorf("compared although the API never states it: %v", d)
		}
	}
	for _, f := range s.Fields {
		if f.Field == "last_assignment_admin_reply_at" && (f.Left == "api" || f.Right == "api" || slices.Contains(f.StatedBy, "api")) {
			t.Errorf("fields says the API states it: %+v", f)
		}
	}
}

// TestReconcile_ASystematicDifferenceIsOneFinding: a field the pull states
// one higher everywhere is one finding with its pattern.
func TestReconcile_ASystematicDifferenceIsOneFinding(t *testing.T) {
	pull := mutatedPull(t, `"count_reopens":[0-9]+`, func(m string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(m, `"count_reopens":`))
		return `"count_reopens":` + strconv.Itoa(n+1)
	})
	s, _ := reconcilePull(t, pull)
	if len(s.Findings) == 0 {
		t.Fatal("no finding")
	}
	f := s.Findings[0]
	if f.Field != "count_reopens" || f.Left != "api" || f.Right != "recomputed" || !strings.Contains(f.Pattern, "off by one") || f.Unexplained < f.Compared*9/10 {
		t.Errorf("finding %+v", f)
	}
}

// TestReconcile_OldAPIVersion: a pull whose manifest names API 2.5 is not
// trusted for assignment and reply fields, and says so.
func TestReconcile_OldAPIVersion(t *testing.T) {
	pull := mutatedPull(t, `^$`, func(m string) string { return m })
	manifest := `{"schema":"icrecon.pull/v1","query":{"api_version":"2.5"}}`
	if err := os.WriteFile(filepath.Join(pull, "manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	s, diffs := reconcilePull(t, pull)
	if s.Legacy != 297 {
		t.Errorf("%d conversations taken as API 2.5, want the pull's 297", s.Legacy)
	}
	for _, d := range diffs {
		if d[4] == "recomputed" && (strings.Contains(d[1], "assignment") || strings.Contains(d[1], "admin_reply")) {
			t.Errorf("an assignment or reply field recomputed from API 2.5 parts was compared: %v", d)
		}
	}
}

// TestReconcile_APeriodTheExportDoesNotCover is flagged coverage, not
// unexplained: --fail-on unexplained does not fail on it.
func TestReconcile_APeriodTheExportDoesNotCover(t *testing.T) {
	dir := t.TempDir()
	figures := filepath.Join(dir, "dashboard.csv")
	os.WriteFile(figures, []byte("metric,from,to,value\nnew_conversations,2025-08-01,2025-08-31,512\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCLI(t, "reconcile", "--export", sampleExport, "--dashboard", figures,
		"--workspace", sampleWorkspaceYAML, "--out", out, "--fail-on", "unexplained")
	if code != exitOK {
		t.Fatalf("exit %d (a period the export does not cover is no unexplained residual): %s", code, stderr)
	}
	if !strings.Contains(stdout, "the export does not cover this period") {
		t.Errorf("no coverage warning:\n%s", stdout)
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	var s struct {
		Figures []struct {
			Coverage []string
			Verdict  string
		}
	}
	json.Unmarshal(b, &s)
	if len(s.Figures) != 1 || !slices.Contains(s.Figures[0].Coverage, "export") || !strings.Contains(s.Figures[0].Verdict, "not covered") {
		t.Errorf("figures %+v", s.Figures)
	}
}
