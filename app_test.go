package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
