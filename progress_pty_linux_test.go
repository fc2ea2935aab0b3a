//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// openPTY opens a pseudo-terminal of the given width: what a user's
// terminal is to icrecon's standard error.
func openPTY(t *testing.T, cols uint16) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), req, uintptr(arg)); errno != 0 {
			t.Fatalf("ioctl %#x: %v", req, errno)
		}
	}
	var unlock int32
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	ws := struct{ rows, cols, x, y uint16 }{24, cols, 0, 0}
	ioctl(syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestProgress_NeverWrapsOnATerminal runs inspect, metrics and reconcile
// with standard error on an 80-column (and a 40-column) pseudo-terminal:
// the progress line appears for each, every redraw fits the width, and the
// line is cleared at the end.
func TestProgress_NeverWrapsOnATerminal(t *testing.T) {
	out := t.TempDir()
	commands := [][]string{
		{"inspect", sampleExport, sampleAPI},
		{"metrics", "--api", sampleAPI, "--workspace", sampleWorkspaceYAML, "--out", filepath.Join(out, "m.jsonl")},
		{"reconcile", "--export", sampleExport, "--api", sampleAPI, "--dashboard", sampleDashboard, "--workspace", sampleWorkspaceYAML, "--out", filepath.Join(out, "r")},
	}
	for _, cols := range []uint16{80, 40} {
		for _, args := range commands {
			t.Run(fmt.Sprintf("%s at %d columns", args[0], cols), func(t *testing.T) {
				screen := onTerminal(t, cols, args)
				redraws := strings.Split(screen, "\r\033[K")
				shown, last := 0, -1
				for i, r := range redraws[1:] {
					line := r
					if j := strings.IndexAny(r, "\r\n"); j >= 0 {
						line = r[:j] // what follows is the command's own output
					}
					if !isProgressText(line) {
						continue // the final clear, then the command's own output
					}
					shown, last = shown+1, i+1
					if n := utf8.RuneCountInString(line); n >= int(cols) {
						t.Errorf("a redraw of %d characters on a %d-column terminal wraps: %q", n, cols, line)
					}
				}
				if shown == 0 {
					t.Errorf("no progress line appeared on the terminal:\n%q", screen)
				}
				if last == len(redraws)-1 {
					t.Errorf("the progress line is not cleared at the end: %q", redraws[last])
				}
			})
		}
	}
}

// isProgressText: a redraw of the progress line, whole or cut.
func isProgressText(line string) bool {
	for _, p := range []string{"reading ", "learning ", "working out ", "writing "} {
		if strings.HasPrefix(line, p) || strings.HasPrefix(p, strings.TrimSuffix(line, "…")) && line != "" {
			return true
		}
	}
	return false
}

// onTerminal runs icrecon (this test binary, as a child) with standard
// error on a pseudo-terminal and returns what the terminal received.
func onTerminal(t *testing.T, cols uint16, args []string) string {
	t.Helper()
	master, slave := openPTY(t, cols)
	defer master.Close()
	encoded, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestProgressHelperProcess$")
	cmd.Env = append(os.Environ(), "ICRECON_PTY_ARGS="+string(encoded), "ICRECON_PROGRESS_EVERY=1ms", "COLUMNS=")
	cmd.Stderr, cmd.Stdout, cmd.Stdin = slave, nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var screen strings.Builder
	io.Copy(&screen, master) // ends with EIO when the child closes the terminal
	if err := cmd.Wait(); err != nil {
		t.Fatalf("icrecon %s: %v\n%s", strings.Join(args, " "), err, screen.String())
	}
	return screen.String()
}

// TestProgressHelperProcess is the child of onTerminal.
func TestProgressHelperProcess(t *testing.T) {
	var args []string
	if json.Unmarshal([]byte(os.Getenv("ICRECON_PTY_ARGS")), &args) != nil {
		t.Skip("run by TestProgress_NeverWrapsOnATerminal")
	}
	os.Exit(run(context.Background(), append([]string{"icrecon"}, args...), io.Discard, os.Stderr))
}
