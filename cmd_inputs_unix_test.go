//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icrecon/icrecon/parse"
)

// TestInputs_PipesNeverHang: a named pipe inside an input folder is
// skipped and listed, by every command that walks folders; a pipe named on
// its own is read when a program writes to it and refused in one sentence
// when none does, instead of the run waiting for ever.
func TestInputs_PipesNeverHang(t *testing.T) {
	defer func(wait time.Duration) { parse.PipeWait = wait }(parse.PipeWait)
	parse.PipeWait = 300 * time.Millisecond
	dir := t.TempDir()
	api := filepath.Join(dir, "api")
	os.Mkdir(api, 0o755)
	pull, err := os.ReadFile("fixtures/sample/api/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(api, "conversations.jsonl"), pull, 0o644)
	inFolder := mkfifoAt(t, filepath.Join(api, "z.fifo"))
	silent := mkfifoAt(t, filepath.Join(dir, "silent.csv"))
	t.Cleanup(func() { // lets the open that gave up finish
		if w, err := os.OpenFile(silent, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
	})
	figures, err := os.ReadFile("fixtures/sample/dashboard.csv")
	if err != nil {
		t.Fatal(err)
	}
	written := mkfifoAt(t, filepath.Join(dir, "written.csv"))
	go func() { // as `--dashboard <(cat dashboard.csv)` does
		if w, err := os.OpenFile(written, os.O_WRONLY, 0); err == nil {
			w.Write(figures)
			w.Close()
		}
	}()
	pipeOut := filepath.Join(dir, "pipe-out") // refused before it is made
	skippedLine := inFolder + ": skipped: it is a named pipe, not a file; inside a folder only files are read"
	nothingCame := silent + ": nothing came from it in 300ms; is it a named pipe that no program writes to?"
	reconcileWith := func(dashboard string) []string {
		return []string{"reconcile", "--export", "fixtures/sample/export.csv", "--api", api, "--dashboard", dashboard,
			"--workspace", "fixtures/sample/workspace.yaml", "--out", filepath.Join(t.TempDir(), "out")}
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		wantNone string // must not appear in stdout or stderr
	}{
		{name: "inspect a folder", args: []string{"inspect", api}, code: exitOK, stdout: skippedLine},
		{name: "inspect --json a folder", args: []string{"inspect", "--json", api}, code: exitOK,
			stdout: `"skipped": [` + "\n" + `    {` + "\n" + `      "path": "` + inFolder + `",` + "\n" + `      "reason": "it is a named pipe, not a file"`},
		{name: "metrics on a folder", args: []string{"metrics", "--api", api, "--out", filepath.Join(dir, "m.jsonl")}, code: exitOK, stderr: skippedLine},
		{name: "reconcile with a folder and a written pipe", args: reconcileWith(written), code: exitOK, stderr: skippedLine, wantNone: "nothing came"},
		{name: "reconcile with a pipe no program writes to", args: reconcileWith(silent), code: exitFailure, stderr: nothingCame},
		{name: "inspect a pipe no program writes to", args: []string{"inspect", silent}, code: exitFailure, stdout: nothingCame},
		// The pulls are read twice; a pipe's second read would find it
		// emptied ("the file is empty"). Refused before anything is read.
		{name: "reconcile with a pipe as --api", args: []string{"reconcile", "--export", "fixtures/sample/export.csv", "--api", silent, "--out", pipeOut},
			code: exitUsage, stderr: "--api " + silent + " is a pipe or a device, not a file: reconcile reads the pulls twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) ||
				tt.wantNone != "" && strings.Contains(stdout+stderr, tt.wantNone) {
				t.Errorf("exit %d\nstdout %s\nstderr %s\nwant exit %d, stdout with %q, stderr with %q", code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(pipeOut); err == nil {
		t.Errorf("%s was made by a run refused for its --api pipe", pipeOut)
	}
}

func mkfifoAt(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
