//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icrecon/icrecon/internal/fakeintercom"
)

// TestOut_NeverTouchesWhatIsNotIcrecons reproduces issue 13's defects 1 and
// 2: a folder of the user's given as --out, and a device, pipe, link or
// folder given as a file --out, are refused and left exactly as they were.
func TestOut_NeverTouchesWhatIsNotIcrecons(t *testing.T) {
	dir := t.TempDir()
	userOut := filepath.Join(dir, "o")
	os.MkdirAll(filepath.Join(userOut, "evidence"), 0o755)
	os.MkdirAll(filepath.Join(userOut, "report.xlsx"), 0o755)
	os.WriteFile(filepath.Join(userOut, "evidence", "shot.png"), []byte("png"), 0o644)
	os.WriteFile(filepath.Join(userOut, "report.xlsx", "notes"), []byte("notes"), 0o644)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "precious.txt")
	os.WriteFile(target, []byte("precious"), 0o644)
	link := filepath.Join(dir, "link.jsonl")
	os.Symlink(target, link)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a user's folder given to reconcile", sampleArgs(userOut), "holds files icrecon did not write"},
		{"a pipe given to metrics", []string{"metrics", "--api", "fixtures/sample/api", "--out", fifo}, "is a named pipe"},
		{"a link given to metrics", []string{"metrics", "--api", "fixtures/sample/api", "--out", link}, "is a symbolic link"},
		{"a folder given to metrics", []string{"metrics", "--api", "fixtures/sample/api", "--out", userOut}, "is a folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitFailure || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, %q; want 1 and %q", code, stderr, tc.want)
			}
		})
	}
	for path, want := range map[string]string{
		filepath.Join(userOut, "evidence", "shot.png"): "png", filepath.Join(userOut, "report.xlsx", "notes"): "notes", link: "precious",
	} {
		if b, err := os.ReadFile(path); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", path, b, err)
		}
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe is gone: %v", err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is gone: %v", err)
	}
}

// TestPull_TokenFileNobodyWrites: a named pipe given as --token-file that
// no program writes to ends the run with a sentence instead of waiting for
// ever; one that a program writes to is read.
func TestPull_TokenFileNobodyWrites(t *testing.T) {
	defer func(wait time.Duration) { tokenFileWait = wait }(tokenFileWait)
	tokenFileWait = 200 * time.Millisecond
	dir := t.TempDir()
	fifo := func(name string) string {
		path := filepath.Join(dir, name)
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	silent := fifo("silent")
	// The read that timed out still waits in open; a writer that comes and
	// goes at the end lets it finish.
	t.Cleanup(func() {
		if w, err := os.OpenFile(silent, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
	})
	code, stdout, stderr := runCLI(t, shortPullArgs("https://api.intercom.io", t.TempDir(), "--token-file", silent)...)
	if want := "nothing came from it in 200ms; is it a named pipe that no program writes to?"; code != exitFailure || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, %q%q; want 1 and %q", code, stdout, stderr, want)
	}

	srv := startFakeIntercom(t, fakeintercom.Options{})
	tokenFileWait = 10 * time.Second
	written := fifo("written")
	go func() {
		if w, err := os.OpenFile(written, os.O_WRONLY, 0); err == nil {
			w.WriteString(fakeToken + "\n")
			w.Close()
		}
	}()
	if code, stdout, stderr := runCLI(t, shortPullArgs(srv.URL, t.TempDir(), "--token-file", written)...); code != exitOK {
		t.Errorf("a pipe a program writes the token to: exit %d, %s%s", code, stdout, stderr)
	}
}

// TestOut_NotAmongTheInputsNorInsideAnOutput: reconcile --out inside an
// --api (or --export) folder was accepted, and the next identical run read
// bridge.csv as an input and failed; --out inside an output's .icrecon
// folder was accepted, and the next run into that output deleted it with
// what the user had put there. Both are refused before anything is made,
// for reconcile and demo, at any depth and through links.
func TestOut_NotAmongTheInputsNorInsideAnOutput(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	line, _, _ := strings.Cut(readFile(t, "fixtures/sample/api/conversations.jsonl"), "\n")
	os.MkdirAll(at("api/sub"), 0o755)
	os.MkdirAll(at("export"), 0o755)
	os.WriteFile(at("api/pull.jsonl"), []byte(line+"\n"), 0o644)
	os.WriteFile(at("export/export.csv"), []byte("Conversation ID,Conversation started at (America/Vancouver)\n1,2025-10-01 10:00:00\n"), 0o644)
	os.Symlink(at("api"), at("api-link"))
	reconcileInto := func(out string) []string {
		return []string{"reconcile", "--export", at("export"), "--api", at("api"), "--out", out}
	}
	earlier := at("o9")
	if code, _, stderr := runCLI(t, reconcileInto(earlier)...); code != exitOK {
		t.Fatalf("the earlier output: exit %d: %s", code, stderr)
	}
	hidden := filepath.Join(earlier, ".icrecon")
	os.Symlink(hidden, at("hidden-link"))
	const (
		inInput  = ", a folder given as an input; icrecon will not write there, since the next run would read its results as inputs: give a folder outside that one"
		inHidden = ", the folder where an icrecon output keeps its own files; icrecon will not write there, since a run into that output would delete it: give --out a folder elsewhere"
	)
	cases := []struct {
		name string
		args []string
		out  string // the --out, which must not be made
		want string // the sentence on stderr
	}{
		{"reconcile into the api folder", reconcileInto(at("api")), "",
			"--out " + at("api") + " is one of the inputs; icrecon will not write its results into it: give another folder"},
		{"reconcile into a new folder in the api folder", reconcileInto(at("api/out")), at("api/out"),
			"--out " + at("api/out") + " is inside " + at("api") + inInput},
		{"reconcile deep in the api folder", reconcileInto(at("api/sub/a/b")), at("api/sub/a"),
			"--out " + at("api/sub/a/b") + " is inside " + at("api") + inInput},
		{"reconcile into the api folder through a link", reconcileInto(at("api-link/out")), at("api/out"),
			"--out " + at("api-link/out") + " is inside " + at("api") + inInput},
		{"reconcile into the export folder", reconcileInto(at("export/out")), at("export/out"),
			"--out " + at("export/out") + " is inside " + at("export") + inInput},
		{"reconcile into an output's generation", reconcileInto(filepath.Join(hidden, "gen-20250101T000000-abcdef")), filepath.Join(hidden, "gen-20250101T000000-abcdef"),
			filepath.Join(hidden, "gen-20250101T000000-abcdef") + ": this is inside " + hidden + inHidden},
		{"reconcile into an output's current results", reconcileInto(filepath.Join(earlier, "current", "x")), "",
			filepath.Join(earlier, "current", "x") + ": this is inside " + hidden + inHidden},
		{"demo deep in an output's hidden folder, through a link", []string{"demo", "--out", at("hidden-link/a/b")}, filepath.Join(hidden, "a"),
			at("hidden-link/a/b") + ": this is inside " + hidden + inHidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshotTree(t, dir)
			// Twice: the same refusal, not a success and then a failure.
			for run := 1; run <= 2; run++ {
				code, _, stderr := runCLI(t, tc.args...)
				if code != exitFailure || !strings.Contains(stderr, ": "+tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
					t.Fatalf("run %d: exit %d, %q\nwant exit 1 and %q", run, code, stderr, tc.want)
				}
			}
			if tc.out != "" {
				if _, err := os.Lstat(tc.out); err == nil {
					t.Errorf("%s was made", tc.out)
				}
			}
			if after := snapshotTree(t, dir); after != before {
				t.Errorf("a refused run changed the folders:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// Beside the inputs, the same run works twice.
	for run := 1; run <= 2; run++ {
		if code, _, stderr := runCLI(t, reconcileInto(at("out"))...); code != exitOK {
			t.Fatalf("run %d beside the inputs: exit %d: %s", run, code, stderr)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// snapshotTree lists every name under dir (links not followed) with its
// size, but for lock files, which a refused run may open.
func snapshotTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !strings.HasSuffix(path, "lock") {
			fmt.Fprintf(&b, "%s %v %d\n", path, info.Mode().Type(), info.Size())
		}
		return nil
	})
	return b.String()
}
