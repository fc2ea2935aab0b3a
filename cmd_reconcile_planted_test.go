package main

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/icrecon/icrecon/fixtures"
	"github.com/icrecon/icrecon/officehours"
)

// plant is one expected difference, as the sample's generator planted it
// and verified with its own implementation of docs/reconcile.md.
type plant struct {
	ConversationID string `json:"conversation_id"`
	Left, Right    string
	Field, Cause   string
	Plant          string
}

func (p plant) key() string {
	return strings.Join([]string{p.ConversationID, p.Left, p.Right, p.Field, p.Cause}, " ")
}

func readPlants(t *testing.T) []plant {
	t.Helper()
	f, err := fixtures.Sample.Open(fixtures.SamplePlants)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readPlantsFrom(t, f)
}

func readPlantsFrom(t *testing.T, f io.Reader) []plant {
	t.Helper()
	var out []plant
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p plant
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// plantedIDs lists the conversations planted with a cause on a pair.
func plantedIDs(t *testing.T, left, right, cause string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, p := range readPlants(t) {
		if p.Left == left && p.Right == right && p.Cause == cause {
			ids[p.ConversationID] = true
		}
	}
	return ids
}

// TestReconcile_FindsEveryPlantAndNothingElse is the end-to-end test: the
// CLI on the committed sample reports exactly the differences the
// generator planted (and the natural ones it listed: stale rows, the
// truncated history), each with its cause, and each figure's naive,
// recomputed and residual values as the generator computed them.
func TestReconcile_FindsEveryPlantAndNothingElse(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(out)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := fixtures.Sample.ReadFile(fixtures.SampleFigures)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTruth(t, out, readPlants(t), b)
}

// checkAgainstTruth compares a reconcile --out folder with a generator's
// truth: every planted or listed difference found with its cause, nothing
// else, and each figure's values.
func checkAgainstTruth(t *testing.T, out string, plants []plant, figuresJSON []byte) {
	t.Helper()
	want := map[string]bool{}
	causes := map[string]bool{}
	for _, p := range plants {
		want[p.key()] = true
		causes[p.Cause] = true
	}
	if len(causes) != 10 {
		t.Errorf("the sample plants %d causes, want all 10: %v", len(causes), causes)
	}
	got := map[string]bool{}
	for _, row := range readCSV(t, filepath.Join(out, "differences.csv"))[1:] {
		got[strings.Join([]string{row[0], row[2], row[4], row[1], row[6]}, " ")] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("planted, not found: %s", k)
		}
	}
	var extra []string
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		t.Errorf("found, never planted: %s", k)
	}

	var figures []struct {
		Metric, From, To, Timezone, Hours string
		Dashboard, Naive, Recomputed      float64
		Residual                          float64
		BestHours                         string `json:"best_hours"`
	}
	if err := json.Unmarshal(figuresJSON, &figures); err != nil {
		t.Fatal(err)
	}
	s := readSummary(t, out)
	if len(s.Figures) != len(figures) {
		t.Fatalf("%d figures, the truth has %d", len(s.Figures), len(figures))
	}
	steps := map[string]bool{}
	for i, w := range figures {
		g := s.Figures[i]
		name := w.Metric + " " + w.From + ".." + w.To + " " + w.Timezone
		if *g.Dashboard != w.Dashboard || *g.Export != w.Naive || *g.Recomputed != w.Recomputed || math.Abs(*g.Residual-w.Residual) > 0 {
			t.Errorf("%s: dashboard %v naive %v recomputed %v residual %v; truth %v %v %v %v",
				name, *g.Dashboard, *g.Export, *g.Recomputed, *g.Residual, w.Dashboard, w.Naive, w.Recomputed, w.Residual)
		}
		if w.BestHours != "" && w.BestHours != "-" && !slices.Contains(strings.Split(w.BestHours, ","), g.Hours) {
			t.Errorf("%s: hours %q, the truth says %q", name, g.Hours, w.BestHours)
		}
		for _, st := range g.Bridge {
			steps[st.Cause] = true
		}
	}
	// The sample exercises every cohort step and the median value steps.
	for _, step := range []string{"duplicate", "timezone", "export_only", "message_type", "no_contact_reply", "scope", "bot_author", "time_basis", "api_only", "office_hours", "aggregation"} {
		if !steps[step] {
			t.Errorf("no figure's bridge has a %s step", step)
		}
	}
}

// TestReconcile_LearnsForeignWorkspaces: on workspaces whose statistics an
// independent generator computed under other readings and office hours
// that workspace.yaml does not state, reconcile learns both and reports
// exactly the generator's truth: no unexplained difference beyond the
// planted ones.
func TestReconcile_LearnsForeignWorkspaces(t *testing.T) {
	for _, name := range []string{"A", "B"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg, err := fixtures.GenerateForeign(dir, name)
			if err != nil {
				t.Fatal(err)
			}
			ws := filepath.Join(dir, fixtures.ForeignWorkspace)
			out := filepath.Join(dir, "out")
			code, stdout, stderr := runCLI(t, "reconcile", "--export", filepath.Join(ws, "export.csv"), "--api", filepath.Join(ws, "api"),
				"--dashboard", filepath.Join(ws, "dashboard.csv"), "--workspace", filepath.Join(ws, "workspace.yaml"), "--out", out)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			s := readSummaryFull(t, out)
			if oh := s.OfficeHours; oh.Source != "learned" || oh.Schedule != normalizedSpec(t, cfg.OfficeHours) || !sameClocks(oh.Timezone, cfg.OfficeHoursZone) {
				t.Errorf("office hours %+v; the workspace's are %q in %s", oh, cfg.OfficeHours, cfg.OfficeHoursZone)
			}
			for _, d := range s.Definitions {
				if d.Telling > 0 && d.Reading != cfg.Reading(d.Family) {
					t.Errorf("%s %s: learned %s (%s, %d of %d), the workspace's is %s", d.Source, d.Family, d.Reading, d.How, d.Matched, d.Compared, cfg.Reading(d.Family))
				}
			}
			for family, reading := range cfg.Readings {
				if !learnedFor(s.Definitions, "api", family, reading) {
					t.Errorf("the API's %s=%s was not learned", family, reading)
				}
			}
			truth := filepath.Dir(filepath.Join(dir, fixtures.ForeignTruth))
			f, err := os.Open(filepath.Join(truth, fixtures.TruthPlants))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			figures, err := os.ReadFile(filepath.Join(truth, fixtures.TruthFigures))
			if err != nil {
				t.Fatal(err)
			}
			checkAgainstTruth(t, out, readPlantsFrom(t, f), figures)
			if t.Failed() {
				t.Logf("terminal:\n%s", stdout)
			}
		})
	}
}

func learnedFor(ds []definitionJSON, source, family, reading string) bool {
	for _, d := range ds {
		if d.Source == source && d.Family == family {
			return d.Reading == reading && (d.How == "learned" || d.How == "confirmed")
		}
	}
	return false
}

type definitionJSON struct {
	Source, Family, Reading, How string
	Matched, Compared, Telling   int
}

type summaryLearning struct {
	OfficeHours struct {
		Source, Schedule, Timezone string
	} `json:"office_hours"`
	Definitions []definitionJSON `json:"definitions"`
}

func readSummaryFull(t *testing.T, dir string) summaryLearning {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s summaryLearning
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// normalizedSpec is a weekly spec as icrecon writes it back.
func normalizedSpec(t *testing.T, spec string) string {
	t.Helper()
	w, err := officehours.ParseWeek(spec)
	if err != nil {
		t.Fatal(err)
	}
	return officehours.FormatWeek(w)
}

// sameClocks: two zones whose clocks agree over the sample's months (the
// data cannot tell them apart).
func sameClocks(a, b string) bool {
	za, err1 := time.LoadLocation(a)
	zb, err2 := time.LoadLocation(b)
	if err1 != nil || err2 != nil {
		return false
	}
	for t := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC); t.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)); t = t.Add(6 * time.Hour) {
		_, oa := t.In(za).Zone()
		_, ob := t.In(zb).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

// TestReconcile_EachSourceAlone: with the export alone, and with the pulls
// alone, each figure's values are the generator's for that run, and its
// coverage flags are the truth's.
func TestReconcile_EachSourceAlone(t *testing.T) {
	b, err := fixtures.Sample.ReadFile(fixtures.SampleFigures)
	if err != nil {
		t.Fatal(err)
	}
	type alone struct {
		Naive      *float64
		Recomputed float64
		Residual   float64
	}
	var truth []struct {
		Metric, From, To, Timezone string
		Naive                      float64
		ExportAlone                alone    `json:"export_alone"`
		APIAlone                   alone    `json:"api_alone"`
		Coverage                   []string `json:"coverage"`
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	for _, run := range []struct {
		name  string
		input []string
		want  func(i int) (naive float64, w alone)

		column string // the terminal's heading of the naive value
		// reopenNote: the terminal says why reopened_conversations leaves
		// the export's conversations out (the export states no reopens).
		reopenNote bool
	}{
		{"export", []string{"--export", sampleExport}, func(i int) (float64, alone) { return truth[i].Naive, truth[i].ExportAlone }, " EXPORT ", true},
		{"api", []string{"--api", sampleAPI}, func(i int) (float64, alone) { return *truth[i].APIAlone.Naive, truth[i].APIAlone }, " PULLS ", false},
	} {
		t.Run(run.name+" alone", func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string{"reconcile"}, run.input...), "--dashboard", sampleDashboard, "--workspace", sampleWorkspaceYAML, "--out", out)
			code, stdout, stderr := runCLI(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, run.column) {
				t.Errorf("the figures table does not head the naive value %q:\n%s", run.column, stdout)
			}
			noted := strings.Contains(stdout, "note: reopened_conversations") && strings.Contains(stdout, "the export states no reopens")
			if noted != run.reopenNote {
				t.Errorf("the terminal's note on reopened_conversations: shown %v, want %v:\n%s", noted, run.reopenNote, stdout)
			}
			s := readSummary(t, out)
			if len(s.Figures) != len(truth) {
				t.Fatalf("%d figures, the truth has %d", len(s.Figures), len(truth))
			}
			for i, g := range s.Figures {
				naive, w := run.want(i)
				name := truth[i].Metric + " " + truth[i].From + ".." + truth[i].To + " " + truth[i].Timezone
				if *g.Export != naive || *g.Recomputed != w.Recomputed || *g.Residual != w.Residual {
					t.Errorf("%s: naive %v recomputed %v residual %v; truth %v %v %v", name, *g.Export, *g.Recomputed, *g.Residual, naive, w.Recomputed, w.Residual)
				}
			}
		})
	}
	out := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(out)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s struct{ Figures []struct{ Coverage []string } }
	b, _ = os.ReadFile(filepath.Join(out, "summary.json"))
	json.Unmarshal(b, &s)
	for i, f := range s.Figures {
		if strings.Join(f.Coverage, ",") != strings.Join(truth[i].Coverage, ",") {
			t.Errorf("figure %d (%s %s..%s): coverage %v, truth %v", i, truth[i].Metric, truth[i].From, truth[i].To, f.Coverage, truth[i].Coverage)
		}
	}
}
