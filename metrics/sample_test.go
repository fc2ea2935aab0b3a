package metrics_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"

	"github.com/icrecon/icrecon/fixtures"
	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
	"github.com/icrecon/icrecon/parse"
)

// sampleWorkspace reads the committed sample's workspace settings.
func sampleWorkspace(t testing.TB) *parse.Workspace {
	t.Helper()
	in, _, err := parse.ExpandFS(fixtures.Sample, []string{"sample/workspace.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := in[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	ws, err := parse.ReadWorkspace(o)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// sampleConversations reads every conversation of the sample's API pulls.
func sampleConversations(t testing.TB) []*intercom.Conversation {
	t.Helper()
	inputs, _, err := parse.ExpandFS(fixtures.Sample, []string{"sample/api"})
	if err != nil {
		t.Fatal(err)
	}
	var convs []*intercom.Conversation
	for _, in := range inputs {
		o, err := in.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parse.ReadAPI(o, parse.APIOptions{}, func(c *intercom.Conversation, dup bool) error {
			convs = append(convs, c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		o.Close()
	}
	return convs
}

// sampleTruth reads what the generator computed, with its own code, from
// every part of every conversation.
func sampleTruth(t testing.TB) map[string]map[string]any {
	t.Helper()
	f, err := fixtures.Sample.Open(fixtures.SampleTruth)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth := map[string]map[string]any{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			ID         string         `json:"id"`
			Statistics map[string]any `json:"statistics"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		truth[line.ID] = line.Statistics
	}
	return truth
}

var _ fs.FS = fixtures.Sample

func options(ws *parse.Workspace) metrics.Options {
	bots := intercom.Bots{IDs: map[string]bool{}}
	for _, id := range ws.Bots {
		bots.IDs[id] = true
	}
	return metrics.Options{Schedule: ws.Schedule, Bots: bots}
}

// truthValue renders a truth JSON value as Value.String does.
func truthValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return fmt.Sprintf("%d", int64(x))
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// TestRecompute_SampleEqualsIndependentTruth: for every conversation whose
// history is complete, every field Recompute gives equals what the generator
// computed with its own implementation of docs/metrics.md.
func TestRecompute_SampleEqualsIndependentTruth(t *testing.T) {
	ws := sampleWorkspace(t)
	truth := sampleTruth(t)
	opts := options(ws)
	differs := map[string]int{}
	compared := 0
	for _, c := range sampleConversations(t) {
		if c.Truncated() {
			continue
		}
		want, ok := truth[c.ID]
		if !ok {
			t.Fatalf("%s: no truth", c.ID)
		}
		got := metrics.Recompute(c, opts)
		compared++
		for _, f := range intercom.StatFields {
			w, ok := want[f.Name]
			if !ok {
				t.Fatalf("truth has no %s", f.Name)
			}
			if g := f.Get(&got).String(); g != truthValue(w) {
				differs[f.Name]++
				if differs[f.Name] <= 3 {
					t.Errorf("%s: %s = %q, truth %q", c.ID, f.Name, g, truthValue(w))
				}
			}
		}
		for _, list := range []struct {
			name string
			got  []int64
		}{{"reply_times", got.ReplyTimes}, {"reply_times_all_hours", got.ReplyTimesAllHours}} {
			if g, w := fmt.Sprint(list.got), fmt.Sprint(truthList(want[list.name])); g != w {
				differs[list.name]++
				if differs[list.name] <= 3 {
					t.Errorf("%s: %s = %s, truth %s", c.ID, list.name, g, w)
				}
			}
		}
	}
	t.Logf("compared %d conversations; differing fields: %v", compared, differs)
}

func truthList(v any) []int64 {
	list, _ := v.([]any)
	out := []int64{}
	for _, x := range list {
		out = append(out, int64(x.(float64)))
	}
	return out
}
