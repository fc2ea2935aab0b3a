package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/reconcile"
)

// testFigure is a count figure of October 2025 in UTC whose bridge moves
// ids conversations in one step.
func testFigure(t *testing.T, metric string, dashboard, naive, recomputed float64, ids int) reconcile.FigureResult {
	t.Helper()
	from, err := intercom.ParseDate("2025-10-01")
	if err != nil {
		t.Fatal(err)
	}
	to, _ := intercom.ParseDate("2025-10-31")
	var moved []string
	for i := range ids {
		moved = append(moved, fmt.Sprint(215470000001000+i))
	}
	f := reconcile.FigureResult{
		Figure: intercom.Figure{Metric: metric, From: from, To: to, Value: dashboard, Raw: fmt.Sprint(dashboard)},
		Zone:   time.UTC, Count: true, Naive: naive, Recomputed: recomputed, Residual: dashboard - recomputed,
		Best:    reconcile.Candidate{Description: "scope=has a close basis=last_close_at zone=UTC", Value: recomputed},
		Applied: "zone UTC (the dashboard row); office hours: none (all hours)",
	}
	if ids > 0 {
		f.Bridge = []reconcile.Step{{Cause: "scope", Delta: recomputed - naive, Value: recomputed, IDs: moved}}
	}
	if f.Residual != 0 {
		f.Candidates = []reconcile.Candidate{f.Best, {Description: "scope=has a close basis=created_at zone=UTC", Value: recomputed - 1, Changes: 1}}
	}
	return f
}

// writeTestEvidence writes, as reconcile lays them out in its out folder,
// differences.csv (with differences as its rows), bridge.csv and the bundle
// of res in evidence/, and returns that folder and evidence.md.
func writeTestEvidence(t *testing.T, res *reconcile.Result, differences ...string) (dir, md string) {
	t.Helper()
	return writeTestEvidenceWith(t, res, false, differences...)
}

func writeTestEvidenceWith(t *testing.T, res *reconcile.Result, personal bool, differences ...string) (dir, md string) {
	t.Helper()
	tmp := t.TempDir()
	diffs := filepath.Join(tmp, "differences.csv")
	text := "conversation_id,field,left,left_value,right,right_value,cause,reading\n" + strings.Join(differences, "\n")
	if err := os.WriteFile(diffs, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var bridge bytes.Buffer
	if err := WriteBridgeCSV(&bridge, res); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "bridge.csv"), bridge.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSummary(res, RunInfo{Version: "test", GeneratedAt: time.Unix(1764547200, 0), Command: "icrecon reconcile --out out",
		Inputs: []Input{{Path: "export.csv", Kind: "export_csv", Records: 100}}})
	dir = filepath.Join(tmp, "evidence")
	if err := WriteEvidence(dir, EvidenceInput{Summary: s, Result: res, DifferencesCSV: diffs, AppID: "k7x2m9qa", IncludePersonalData: personal}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "evidence.md"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(b)
}

// Issue 11: the receiver reads what is asked first, only the figures that
// leave something unexplained are asked about, and a table cell never
// holds more than a few links however many conversations a step moved.
func TestEvidence_AsksOnlyWhatIsOpen(t *testing.T) {
	covered := testFigure(t, "new_conversations", 50, 60, 48, 12)
	covered.Coverage = []string{"export"}
	coveredExplained := testFigure(t, "new_conversations", 48, 60, 48, 12)
	coveredExplained.Coverage = []string{"export"}
	res := &reconcile.Result{Figures: []reconcile.FigureResult{
		testFigure(t, "new_conversations", 40, 60, 40, 20),
		testFigure(t, "closed_conversations", 155, 214, 152, 62),
		covered,
		coveredExplained,
		testFigure(t, "reopened_conversations", 21, 214, 21, 193),
	}}
	_, md := writeTestEvidence(t, res,
		"215470000001057,time_to_first_close_all_hours,export,43305,recomputed,38984,unexplained,",
		"215470000001058,last_close_at,export,1759300000,api,1759300060,stale,")

	lines := strings.Split(md, "\n")
	if !strings.HasPrefix(lines[2], "**What we ask.**") {
		t.Errorf("evidence.md does not start with what is asked:\n%s", md)
	}
	summary := md[:strings.Index(md, "**Where the ids are.**")] // what is asked, before where the ids are
	for _, want := range []string{"**closed_conversations**", "3 conversations more (§1)", "**1 value on 1 conversation** differs", "time_to_first_close_all_hours, export vs recomputed (1) (§2)", "3 figures explained in full; 1 figure with a residual these inputs cannot settle"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Contains(summary, "new_conversations") || strings.Contains(summary, "reopened_conversations") {
		t.Errorf("the summary asks about a figure that leaves nothing unexplained:\n%s", summary)
	}
	for _, want := range []string{
		"## 1. closed_conversations, 2025-10-01 to 2025-10-31 (UTC)",
		"| unexplained | +3 |",
		"152 as applied; 151 with basis=created_at",
		"## 2. Values no known cause explains",
		"[215470000001057](https://app.intercom.com/a/apps/k7x2m9qa/inbox/inbox/conversation/215470000001057): 12h 01m 45s, 10h 49m 44s",
		"+2 left, not asked about: the export does not cover the whole period. Steps: scope −12.",
		"Explained (though the export does not cover the whole period): scope −12.",
		"(not a count of reopens: the export states none)",
		"1 difference between the sources has a known cause: stale 1",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("evidence.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Why?") || strings.Contains(md, "export gives") {
		t.Errorf("evidence.md still asks why of every figure, or says what the export \"gives\":\n%s", md)
	}
	for _, l := range lines {
		if n := strings.Count(l, "](https://"); n > evidenceSample {
			t.Errorf("a line holds %d links: %.200s", n, l)
		}
	}
}

func TestEvidence_NothingOpen(t *testing.T) {
	res := &reconcile.Result{Figures: []reconcile.FigureResult{testFigure(t, "new_conversations", 40, 60, 40, 20)}}
	_, md := writeTestEvidence(t, res)
	if !strings.Contains(md, "**Nothing to ask.**") || strings.Contains(md, "## 1.") {
		t.Errorf("a bundle with nothing open asks something:\n%s", md)
	}
}

func TestEvidence_ResidualNotAskedAbout(t *testing.T) {
	notChecked := testFigure(t, "closed_conversations", 155, 214, 152, 62)
	notChecked.NotChecked = []string{"without an API pull: bot answers, truncated histories"}
	none := testFigure(t, "median_time_to_close", math.NaN(), math.NaN(), math.NaN(), 0)
	none.Count, none.Residual = false, math.NaN()
	_, md := writeTestEvidence(t, &reconcile.Result{Figures: []reconcile.FigureResult{notChecked, none}})
	for _, want := range []string{
		"**Nothing to ask.**",
		"+3 left, not asked about: not checked without an API pull. Steps: scope −62.",
		"Not checked without an API pull: bot answers, truncated histories.",
		"Nothing to compare: a median of no values",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("evidence.md lacks %q:\n%s", want, md)
		}
	}
}

// Issue 12: the bundle writes no list that another output holds. evidence/
// holds evidence.md alone, which says once how a step's and a difference's
// rows are found in bridge.csv and differences.csv, and the row numbers it
// gives a step are the rows bridge.csv holds its ids at.
func TestEvidence_RefersToTheListsOnce(t *testing.T) {
	open := testFigure(t, "closed_conversations", 155, 214, 152, 62)
	open.Bridge = append(open.Bridge, reconcile.Step{Cause: "api_only", Delta: 0, Value: 152, IDs: []string{"215470000009001"}})
	res := &reconcile.Result{Figures: []reconcile.FigureResult{testFigure(t, "new_conversations", 40, 60, 40, 20), open}}
	dir, md := writeTestEvidence(t, res, "215470000001057,time_to_first_close_all_hours,export,43305,recomputed,38984,unexplained,")

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "evidence.md" {
		t.Errorf("evidence/ holds %v, want evidence.md alone", entries)
	}
	for _, want := range []string{
		"[bridge.csv](../bridge.csv)",
		"A step's conversations are the rows with its figure's number and its step's number",
		"Figure 2 of the dashboard.",
		"[differences.csv](../differences.csv)",
		"The unexplained ones are the rows whose cause is `unexplained`",
		"| 1. scope | conversations without the metric's subject: no reply, close or reopen by anyone | −62 | 152 | 62 | 22–83 |",
		"| 2. api_only | conversations in the API pulls but not in the export | 0 | 152 | 1 | 84 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("evidence.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Count(md, "A step's conversations are the rows") != 1 {
		t.Error("evidence.md does not say exactly once how a step's rows are found")
	}
	for _, old := range []string{"cause-", "bridge-NN", "bridge-0"} {
		if strings.Contains(md, old) {
			t.Errorf("evidence.md still names the per-step or per-cause files (%q)", old)
		}
	}

	// The rows given are the step's ids in bridge.csv, under its figure's
	// and its step's numbers, metric, from, to and cause.
	f, err := os.Open(filepath.Join(filepath.Dir(dir), "bridge.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	e := &evidence{in: EvidenceInput{Result: res}}
	e.bridgeRows()
	for i, fig := range res.Figures {
		for j, st := range fig.Bridge {
			first, last := e.stepRows[i][j][0], e.stepRows[i][j][1]
			if last-first+1 != len(st.IDs) {
				t.Fatalf("figure %d step %s: rows %d–%d for %d ids", i, st.Cause, first, last, len(st.IDs))
			}
			for k, id := range st.IDs {
				want := []string{strconv.Itoa(i + 1), strconv.Itoa(j + 1), fig.Figure.Metric, fig.Figure.From.String(), fig.Figure.To.String(), st.Cause, id}
				if got := rows[first-1+k]; strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("row %d of bridge.csv is %v, want %v", first+k, got, want)
				}
			}
		}
	}
}

// Two figures of one metric and period (two zones, or all and office
// hours) share metric, from, to and causes: their rows in bridge.csv differ
// by the figure's number, and every (figure, step) names one step.
func TestBridgeCSV_FigureAndStepNameOneStep(t *testing.T) {
	utc := testFigure(t, "new_conversations", 40, 60, 40, 20)
	vancouver := testFigure(t, "new_conversations", 40, 60, 40, 20)
	vancouver.Zone, _ = time.LoadLocation("America/Vancouver")
	res := &reconcile.Result{Figures: []reconcile.FigureResult{utc, vancouver}}
	var buf strings.Builder
	if err := WriteBridgeCSV(&buf, res); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idsOf := map[[2]string][]string{}
	for _, row := range rows[1:] {
		key := [2]string{row[0], row[1]}
		idsOf[key] = append(idsOf[key], row[6])
	}
	for i, fig := range res.Figures {
		for j, st := range fig.Bridge {
			key := [2]string{strconv.Itoa(i + 1), strconv.Itoa(j + 1)}
			if got := idsOf[key]; !slices.Equal(got, st.IDs) {
				t.Errorf("figure %d step %d: bridge.csv names %d ids, want the step's %d", i+1, j+1, len(got), len(st.IDs))
			}
		}
	}
}

// With personal data asked for, customers.csv is the only file that holds
// it, with its own header; evidence.md says what it holds.
func TestEvidence_CustomersFile(t *testing.T) {
	res := &reconcile.Result{Figures: []reconcile.FigureResult{testFigure(t, "closed_conversations", 155, 214, 152, 62)}}
	dir, md := writeTestEvidenceWith(t, res, true)
	b, err := os.ReadFile(filepath.Join(dir, "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "conversation_id,name,email\n" {
		t.Errorf("customers.csv of a result with no personal data is %q", b)
	}
	if !strings.Contains(md, "customers.csv, beside this file: the customer's name and e-mail address") {
		t.Errorf("evidence.md does not say what customers.csv holds:\n%s", md)
	}
	if _, md := writeTestEvidence(t, res); strings.Contains(md, "customers.csv") {
		t.Error("evidence.md names customers.csv without personal data asked for")
	}
}

// The zip is the thing to attach: evidence.md and the lists it refers to,
// laid out as in the out folder (its links hold in both), in name order,
// the same bytes for the same files whatever their times on disk.
func TestWriteEvidenceZip(t *testing.T) {
	res := &reconcile.Result{Figures: []reconcile.FigureResult{testFigure(t, "closed_conversations", 155, 214, 152, 62)}}
	dir, _ := writeTestEvidence(t, res, "215470000001057,time_to_first_close_all_hours,export,43305,recomputed,38984,unexplained,")
	out := filepath.Dir(dir)
	at := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	first := filepath.Join(t.TempDir(), "evidence.zip")
	if err := WriteEvidenceZip(first, dir, at); err != nil {
		t.Fatal(err)
	}
	names := slices.Clone(bundleOutputs)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, "evidence/"+e.Name())
	}
	slices.Sort(names)
	for _, name := range names { // new times on disk must not show
		os.Chtimes(filepath.Join(out, name), time.Now(), time.Now().Add(time.Hour))
	}
	second := filepath.Join(t.TempDir(), "evidence.zip")
	if err := WriteEvidenceZip(second, dir, at); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if !bytes.Equal(a, b) {
		t.Error("two zips of the same files differ")
	}

	zr, err := zip.OpenReader(first)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != len(names) {
		t.Fatalf("%d entries in the zip, want %v", len(zr.File), names)
	}
	for i, f := range zr.File {
		if f.Name != names[i] {
			t.Errorf("entry %d is %s, want %s", i, f.Name, names[i])
		}
		if !f.Modified.Equal(at) {
			t.Errorf("%s is dated %v, want %v", f.Name, f.Modified, at)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if want, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(names[i]))); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the file written", f.Name)
		}
	}

	// Without the lists it refers to there is no bundle to pack.
	os.Remove(filepath.Join(out, "bridge.csv"))
	if err := WriteEvidenceZip(filepath.Join(t.TempDir(), "evidence.zip"), dir, at); err == nil {
		t.Error("a zip was written without bridge.csv")
	}
}
