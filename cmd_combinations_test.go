package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The sample's inputs, and settings an analyst might combine with them.
const (
	sampleExport        = "fixtures/sample/export.csv"
	sampleAPI           = "fixtures/sample/api"
	sampleDashboard     = "fixtures/sample/dashboard.csv"
	sampleWorkspaceYAML = "fixtures/sample/workspace.yaml"
)

var settingsCombinations = [][]string{
	nil,
	{"--workspace", sampleWorkspaceYAML},
	{"--timezone", "America/Vancouver"},
	{"--timezone", "America/Vancouver", "--office-hours", "Mon-Fri 09:00-17:00"},
	{"--variant", "time_to_assignment=last_before_reply", "--variant", "median_rounding=half_up"},
	{"--workspace", sampleWorkspaceYAML, "--timezone", "UTC"}, // refused: one or the other
	{"--office-hours", "Mon-Fri 09:00-17:00"},                 // refused: hours need a zone
	{"--timezone", "Mars/Olympus"},                            // refused: no such zone
}

// toggles are the other flags, spread over the combinations so that each
// appears with every input set.
var reconcileToggles = [][]string{
	nil,
	{"--period", "2025-10-01..2025-10-31"},
	{"--strict"},
	{"--include-pii"},
	{"--fail-on", "unexplained"},
	{"--export-taken-at", "2025-11-03T10:00:00"},
	{"--period", "2025-10-31..2025-10-01"}, // refused: backwards
}

// TestEveryCombination runs every command over every combination of its
// inputs and settings on the sample: nothing panics or shows a Go stack,
// exit codes are the documented ones, and every refusal is one located
// sentence naming the file or flag at fault.
func TestEveryCombination(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command about 150 times")
	}
	var runs [][]string
	inputs := [][]string{
		{"--export", sampleExport}, {"--api", sampleAPI}, {"--export", sampleExport, "--api", sampleAPI},
		{"--export", sampleAPI + "/conversations.jsonl"}, // the wrong kind
		{"--api", sampleExport},                          // the wrong kind
		{"--dashboard", sampleDashboard},                 // no export or pull
	}
	n := 0
	for _, in := range inputs {
		for _, dash := range [][]string{nil, {"--dashboard", sampleDashboard}} {
			for _, set := range settingsCombinations {
				args := append([]string{"reconcile"}, in...)
				args = append(append(args, dash...), set...)
				args = append(args, reconcileToggles[n%len(reconcileToggles)]...)
				n++
				runs = append(runs, args)
			}
		}
	}
	for i, set := range settingsCombinations {
		for _, format := range []string{"jsonl", "csv"} {
			args := append([]string{"metrics", "--api", sampleAPI, "--format", format}, set...)
			if i%2 == 0 {
				args = append(args, "--strict")
			}
			runs = append(runs, args)
		}
	}
	runs = append(runs, []string{"metrics", "--api", sampleExport}, []string{"metrics"}, []string{"metrics", "--api", sampleAPI, "--format", "xml"})
	for _, file := range []string{sampleExport, sampleAPI, sampleDashboard, sampleWorkspaceYAML, "fixtures/sample/README.md"} {
		for _, flags := range [][]string{nil, {"--json"}, {"--strict"}, {"--timezone", "Europe/Dublin"}, {"--timezone", "Nowhere/Else"}} {
			runs = append(runs, append([]string{"inspect", file}, flags...))
		}
	}
	runs = append(runs, []string{"inspect"}, []string{"demo"}, []string{"demo", "--strict"},
		[]string{"pull"}, []string{"pull", "--from", "2025-10-01", "--to", "2025-10-31"},
		[]string{"pull", "--from", "2025-10-31", "--to", "2025-10-01", "--out", "x"},
		[]string{"pull", "--from", "October", "--to", "2025-10-31", "--out", "x"},
		[]string{"nonsense"}, []string{"reconcile", "--dashbaord", sampleDashboard})
	for i, args := range runs {
		t.Run(fmt.Sprintf("%03d %s", i, strings.Join(args, " ")), func(t *testing.T) {
			dir := t.TempDir()
			args := withOut(args, dir)
			t.Setenv("INTERCOM_TOKEN", "")
			code, _, stderr := runCLI(t, args...)
			checkOutcome(t, args, code, stderr)
		})
	}
}

// withOut gives the commands that write an --out of their own.
func withOut(args []string, dir string) []string {
	switch args[0] {
	case "reconcile", "demo":
		return append(args, "--out", filepath.Join(dir, "out"))
	case "metrics":
		return append(args, "--out", filepath.Join(dir, "metrics.out"))
	}
	return args
}

// located: a refusal names a file, a flag, a command or a value in quotes.
var located = regexp.MustCompile(`(--[a-z-]+|\.(csv|json|jsonl|yaml|md)\b|/|"[^"]+"|no command|give |name at least one)`)

func checkOutcome(t *testing.T, args []string, code int, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "internal error") {
		t.Fatalf("a panic or Go stack reached the user:\n%s", stderr)
	}
	switch code {
	case exitOK, exitThreshold:
		return
	case exitFailure, exitUsage:
	default:
		t.Fatalf("exit status %d is not one of the documented ones\n%s", code, stderr)
	}
	var sentence string
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(line, "icrecon") {
			sentence = line
		}
	}
	if sentence == "" {
		t.Fatalf("exit %d without a sentence saying why:\n%s", code, stderr)
	}
	if !located.MatchString(sentence) {
		t.Errorf("the refusal does not say what is at fault: %q", sentence)
	}
}
