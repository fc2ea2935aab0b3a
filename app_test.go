package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// runCLI runs the app in-process as a user would from a shell.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"icrecon"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCLI_ExitCodesAndMessages(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "dashboard.csv")
	if err := os.WriteFile(good, []byte("metric,from,to,value\nnew_conversations,2025-10-01,2025-10-31,\"1,204\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "pull.json")
	if err := os.WriteFile(html, []byte("<!DOCTYPE html><html><body>Bad gateway</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"app help lists commands and exit codes", []string{"--help"}, exitOK, "inspect", ""},
		{"no arguments shows help", nil, exitOK, "EXIT STATUS", ""},
		{"command help reads like a manual", []string{"inspect", "--help"}, exitOK, "EXAMPLE", ""},
		{"unknown command is a usage error", []string{"inspekt"}, exitUsage, "", `there is no command "inspekt"`},
		{"unknown flag is a usage error", []string{"inspect", "--nope", good}, exitUsage, "", "nope"},
		{"inspect needs a file", []string{"inspect"}, exitUsage, "", "name at least one file"},
		{"bad time zone is a usage error", []string{"inspect", "--timezone", "Mars/Base", good}, exitUsage, "", "Mars/Base"},
		{"missing file is a failure naming it", []string{"inspect", filepath.Join(dir, "nope.csv")}, exitFailure, "", "no such file"},
		{"a web page saved as JSON is one sentence", []string{"inspect", html}, exitFailure, "web page (HTML)", "could not be read"},
		{"flags may follow the files", []string{"inspect", good, "--json"}, exitOK, `"kind": "dashboard_csv"`, ""},
		{"flag values may follow the files", []string{"inspect", good, "--timezone", "UTC", "--json"}, exitOK, `"records": 1`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, stdout, stderr)
			}
			if !strings.Contains(stdout, tc.wantStdout) {
				t.Errorf("stdout does not contain %q:\n%s", tc.wantStdout, stdout)
			}
			if !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.wantStderr, stderr)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("a Go stack reached the user:\n%s", stderr)
			}
		})
	}
}

func TestMoveFlagsFirst(t *testing.T) {
	app := newApp(nil, nil)
	cases := []struct {
		name string
		in   []string
		want []string
	}{
		{"flags already first", []string{"icrecon", "inspect", "--json", "a"}, []string{"icrecon", "inspect", "--json", "--", "a"}},
		{"bool flag after a file", []string{"icrecon", "inspect", "a", "--json"}, []string{"icrecon", "inspect", "--json", "--", "a"}},
		{"value flag keeps its value", []string{"icrecon", "inspect", "a", "--timezone", "UTC", "b"}, []string{"icrecon", "inspect", "--timezone", "UTC", "--", "a", "b"}},
		{"value given with =", []string{"icrecon", "inspect", "a", "--timezone=UTC"}, []string{"icrecon", "inspect", "--timezone=UTC", "--", "a"}},
		{"after -- everything is a file", []string{"icrecon", "inspect", "--", "--json"}, []string{"icrecon", "inspect", "--", "--json"}},
		{"unknown command untouched", []string{"icrecon", "nope", "a", "--json"}, []string{"icrecon", "nope", "a", "--json"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := moveFlagsFirst(app, tc.in)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestFlagsGivenOnce: every flag of one value, of every command, given
// twice is a usage error that names it; urfave/cli alone would keep the
// last in silence (a second --dashboard dropped the first one's figures).
// Lists and switches may repeat.
func TestFlagsGivenOnce(t *testing.T) {
	app := newApp(io.Discard, io.Discard)
	// Values that are paths in a folder of the test's: were the guard
	// broken, a command would write there, not in the checkout.
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	checked := 0
	for _, cmd := range app.Commands {
		for _, f := range cmd.Flags {
			_, isBool := f.(*cli.BoolFlag)
			list, isList := f.(interface{ IsSliceFlag() bool })
			if isBool || isList && list.IsSliceFlag() {
				continue
			}
			name := f.Names()[0]
			for _, args := range [][]string{
				{cmd.Name, "--" + name, a, "--" + name, b},
				{cmd.Name, "--" + name + "=" + a, "-" + name, b},
			} {
				code, _, stderr := runCLI(t, args...)
				if want := "--" + name + " is given twice"; code != exitUsage || !strings.Contains(stderr, want) {
					t.Errorf("%q: exit %d, %q; want 2 and %q", args, code, stderr, want)
				}
				checked++
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d flags checked: the walk over the commands is broken", checked)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a value that looks like the flag is a value", []string{"metrics", "--api", sampleAPI, "--timezone", "--timezone", "--out", "-"}, "--timezone"},
		{"one reading of a family, twice", []string{"metrics", "--api", sampleAPI, "--variant", "time_to_assignment=first", "--variant", "time_to_assignment=last_before_reply"},
			"--variant time_to_assignment is given twice, as first and as last_before_reply"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "given twice;") {
				t.Errorf("exit %d, %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
	for _, args := range [][]string{
		{"metrics", "--api", sampleAPI, "--api", sampleAPI, "--variant", "time_to_assignment=first", "--variant", "time_to_assignment=first", "--format", "csv", "--out", "-"},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Errorf("%q: exit %d, %q; lists and the same reading twice may repeat", args, code, stderr)
		}
	}
}

// TestStrict_HidesPersonalValues: the sentence a --strict run stops with
// quoted the rejected value as read, so reconcile and metrics printed an
// e-mail address or a message's text on standard error. It now follows the
// rule of rejected.csv: hidden, unless reconcile's --include-pii.
func TestStrict_HidesPersonalValues(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	pull := filepath.Join(dir, "pull.jsonl")
	if err := os.WriteFile(export, []byte("Conversation ID,Conversation started at (America/Vancouver)\njane.doe@example.com,2025-10-01 08:00:00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pull, []byte(`{"type":"conversation","id":"1","created_at":1700000000,"conversation_parts":{"conversation_parts":["Hi, I am Ann Lee"]}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		personal string // must be on standard error only when want is ""
		want     string
	}{
		{"reconcile", []string{"reconcile", "--strict", "--export", export, "--out", filepath.Join(dir, "out1")}, "jane.doe@example.com",
			`column "Conversation ID" is not a conversation id (Intercom's ids are digits) (its value is not shown: it may be personal data; --include-pii shows it) (stopped at the first bad record because of --strict)`},
		{"reconcile --include-pii", []string{"reconcile", "--strict", "--include-pii", "--export", export, "--out", filepath.Join(dir, "out2")}, "jane.doe@example.com", ""},
		{"metrics", []string{"metrics", "--strict", "--api", pull}, "Ann Lee",
			`field "conversation_parts.conversation_parts[0]" is not a conversation part (its value is not shown: it may be personal data) (stopped at the first bad record because of --strict)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitFailure {
				t.Fatalf("exit %d, want %d: %s", code, exitFailure, stderr)
			}
			if got := strings.Contains(stderr, tc.personal); got != (tc.want == "") {
				t.Errorf("%q on standard error: %v, want %v\n%s", tc.personal, got, tc.want == "", stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("standard error lacks %q:\n%s", tc.want, stderr)
			}
		})
	}
}

// TestCLI_EmptyPaths: an empty path given to a flag that names a file or
// folder was opened as a file named "" (": no such file or folder", naming
// nothing), or taken in silence as the flag not given (--dashboard "",
// --workspace "", --token-file ""). Each is now a usage error naming the
// flag.
func TestCLI_EmptyPaths(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	export, pull := "fixtures/sample/export.csv", "fixtures/sample/api"
	period := []string{"--from", "2025-10-01", "--to", "2025-10-02"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"reconcile --export", []string{"reconcile", "--export", "", "--out", out}, "--export is given an empty path"},
		{"reconcile --export, one of two", []string{"reconcile", "--export", export, "--export", "", "--out", out}, "--export is given an empty path"},
		{"reconcile --api", []string{"reconcile", "--api", "", "--out", out}, "--api is given an empty path"},
		{"reconcile --dashboard", []string{"reconcile", "--export", export, "--dashboard", "", "--out", out}, "--dashboard is given an empty path"},
		{"reconcile --workspace", []string{"reconcile", "--export", export, "--workspace", "", "--out", out}, "--workspace is given an empty path"},
		{"reconcile --out", []string{"reconcile", "--export", export, "--out", ""}, "--out is given an empty path"},
		{"metrics --api", []string{"metrics", "--api", ""}, "--api is given an empty path"},
		{"metrics --workspace", []string{"metrics", "--api", pull, "--workspace", ""}, "--workspace is given an empty path"},
		{"metrics --out", []string{"metrics", "--api", pull, "--out", ""}, "--out is given an empty path"},
		{"inspect", []string{"inspect", export, ""}, "an empty path is given as a file or folder to inspect"},
		{"pull --token-file", append([]string{"pull", "--token-file", "", "--out", out}, period...), "--token-file is given an empty path"},
		{"pull --workspace", append([]string{"pull", "--workspace", "", "--out", out}, period...), "--workspace is given an empty path"},
		{"pull --out", append([]string{"pull", "--out", ""}, period...), "--out is given an empty path"},
		{"demo --out", []string{"demo", "--out", ""}, "--out is given an empty path"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			first, _, _ := strings.Cut(stderr, "\n")
			if code != exitUsage || first != "icrecon "+tc.args[0]+": "+tc.want {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// TestCLI_LongValuesAreShortened: a value given to a flag was echoed whole
// in the error, so a 100,000-character --timezone made a 100,000-character
// message. Every echoed value is now cut to oneline.MaxValue, marked "...".
func TestCLI_LongValuesAreShortened(t *testing.T) {
	long := strings.Repeat("x", 100000)
	export, pull := "fixtures/sample/export.csv", "fixtures/sample/api"
	out := filepath.Join(t.TempDir(), "out")
	period := []string{"--from", "2025-10-01", "--to", "2025-10-02", "--out", out}
	cases := []struct {
		name string
		args []string
	}{
		{"--timezone", []string{"inspect", "--timezone", long, export}},
		{"--timezone of metrics", []string{"metrics", "--api", pull, "--timezone", long}},
		{"--format", []string{"metrics", "--api", pull, "--format", long}},
		{"a stray argument", []string{"metrics", "--api", pull, long}},
		{"--variant", []string{"metrics", "--api", pull, "--variant", long}},
		{"--variant family", []string{"metrics", "--api", pull, "--variant", long + "=x"}},
		{"--variant reading", []string{"metrics", "--api", pull, "--variant", "reply_pairing=" + long}},
		{"--office-hours", []string{"metrics", "--api", pull, "--timezone", "UTC", "--office-hours", long}},
		{"--office-hours day", []string{"metrics", "--api", pull, "--timezone", "UTC", "--office-hours", "Mon-Fri 09:00-17:00; " + long + " 09:00-10:00"}},
		{"--office-hours range", []string{"metrics", "--api", pull, "--timezone", "UTC", "--office-hours", "Mon 9:00-" + long}},
		{"--fail-on", []string{"reconcile", "--export", export, "--out", out, "--fail-on", long}},
		{"--export-taken-at", []string{"reconcile", "--export", export, "--out", out, "--export-taken-at", long}},
		{"--from", []string{"reconcile", "--export", export, "--out", out, "--from", long, "--to", "2025-10-01"}},
		{"--period", []string{"reconcile", "--export", export, "--out", out, "--period", long}},
		{"--by", append([]string{"pull", "--by", long}, period...)},
		{"--region", append([]string{"pull", "--region", long}, period...)},
		{"--concurrency", append([]string{"pull", "--concurrency", long}, period...)},
		{"an unknown flag", []string{"inspect", "--" + long, export}},
		{"an unknown command", []string{long}},
		{"a shell", []string{"completion", long}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitUsage || len(stderr) > 600 || !strings.Contains(stderr, "xxx...") {
				t.Errorf("exit %d, %d bytes on standard error: %.300q", code, len(stderr), stderr)
			}
		})
	}
}
