package main

import (
	"bufio"
	"encoding/json"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/fixtures"
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
	want := map[string]bool{}
	causes := map[string]bool{}
	for _, p := range readPlants(t) {
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
	b, err := fixtures.Sample.ReadFile(fixtures.SampleFigures)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &figures); err != nil {
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
		if w.BestHours != "" && w.BestHours != "-" && g.Hours != w.BestHours {
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
