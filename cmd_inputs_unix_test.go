//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInputs_PipesNeverHang: a named pipe inside an input folder is
// skipped and listed, by every command that walks folders, not opened.
func TestInputs_PipesNeverHang(t *testing.T) {
	dir := t.TempDir()
	api := filepath.Join(dir, "api")
	os.Mkdir(api, 0o755)
	pull, err := os.ReadFile("fixtures/sample/api/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(api, "conversations.jsonl"), pull, 0o644)
	inFolder := mkfifoAt(t, filepath.Join(api, "z.fifo"))
	skippedLine := inFolder + ": skipped: it is a named pipe, not a file; inside a folder only files are read"
	reconcileWith := func(dashboard string) []string {
		return []string{"reconcile", "--export", "fixtures/sample/export.csv", "--api", api, "--dashboard", dashboard,
			"--workspace", "fixtures/sample/workspace.yaml", "--out", filepath.Join(t.TempDir(), "out")}
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "inspect a folder", args: []string{"inspect", api}, code: exitOK, stdout: skippedLine},
		{name: "inspect --json a folder", args: []string{"inspect", "--json", api}, code: exitOK,
			stdout: `"skipped": [` + "\n" + `    {` + "\n" + `      "path": "` + inFolder + `",` + "\n" + `      "reason": "it is a named pipe, not a file"`},
		{name: "metrics on a folder", args: []string{"metrics", "--api", api, "--out", filepath.Join(dir, "m.jsonl")}, code: exitOK, stderr: skippedLine},
		{name: "reconcile with a folder", args: reconcileWith("fixtures/sample/dashboard.csv"), code: exitOK, stderr: skippedLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d\nstdout %s\nstderr %s\nwant exit %d, stdout with %q, stderr with %q", code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func mkfifoAt(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
