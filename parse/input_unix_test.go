//go:build unix

package parse

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExpand_SkipsWhatIsNotAFile: a named pipe in a folder is not opened
// (nothing may ever write to it, and the walk would hang), nor is a socket,
// a device or a link to either or to a folder; each is listed with why.
func TestExpand_SkipsWhatIsNotAFile(t *testing.T) {
	root := makeTree(t, map[string]string{"in.jsonl": "{}\n", "sub/x.csv": "x"})
	mkfifo(t, filepath.Join(root, "z.fifo"))
	// A socket's path must be short; a relative one from the folder is.
	t.Chdir(root)
	ln, err := net.Listen("unix", "s.sock")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for link, target := range map[string]string{"link-to-fifo": "z.fifo", "link-to-folder": "sub", "link-to-file": "in.jsonl", "link-to-device": "/dev/null", "link-to-nothing": "gone"} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	ins, skipped, err := Expand([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	// A link to nothing is kept: opening it says it is missing.
	if got, want := strings.Join(inputPaths(ins, "."), " "), "in.jsonl link-to-file link-to-nothing sub/x.csv"; got != want {
		t.Errorf("read %s\nwant %s", got, want)
	}
	tests := []struct{ path, reason string }{
		{"link-to-device", "it is a device, not a file"},
		{"link-to-fifo", "it is a named pipe, not a file"},
		{"link-to-folder", "it is a link to a folder, and links to folders are not followed"},
		{"s.sock", "it is a socket, not a file"},
		{"z.fifo", "it is a named pipe, not a file"},
	}
	if len(skipped) != len(tests) {
		t.Fatalf("skipped %v, want %d", skipped, len(tests))
	}
	for i, tt := range tests {
		if got := skipped[i]; got.Path != tt.path || got.Reason != tt.reason {
			t.Errorf("skipped[%d] = %+v, want %+v", i, got, tt)
		}
	}
	if got, want := skipped[4].String(), "z.fifo: skipped: it is a named pipe, not a file; inside a folder only files are read"; got != want {
		t.Errorf("sentence %q\nwant     %q", got, want)
	}
}

// TestOpen_Pipe: a pipe named on its own is read however its writer comes,
// as long as its first bytes (or its end) come within PipeWait; one that no
// program writes to is refused in one sentence, not waited on for ever; a
// writer that pauses after its first bytes is waited for.
func TestOpen_Pipe(t *testing.T) {
	// The writers read wait, not PipeWait: one still sleeping when the
	// test puts PipeWait back would race with it.
	const wait = 300 * time.Millisecond
	defer func(was time.Duration) { PipeWait = was }(PipeWait)
	PipeWait = wait
	const data = "metric,from,to,value\nnew_conversations,2025-10-01,2025-10-31,1204\n"
	tests := []struct {
		name    string
		writer  func(w *os.File) // nil: no program opens the pipe
		want    string
		wantErr string
	}{
		{name: "written at once", writer: func(w *os.File) { w.WriteString(data) }, want: data},
		{name: "written a while after it is opened", writer: func(w *os.File) {
			time.Sleep(wait / 3)
			w.WriteString(data)
		}, want: data},
		{name: "paused longer than the wait after the first bytes", writer: func(w *os.File) {
			w.WriteString(data[:1])
			time.Sleep(2 * wait)
			w.WriteString(data[1:])
		}, want: data},
		{name: "opened and closed with nothing written", writer: func(*os.File) {}, want: ""},
		{name: "opened by no program", wantErr: ": nothing came from it in 300ms; is it a named pipe that no program writes to?"},
		{name: "opened and never written", writer: func(*os.File) { time.Sleep(3 * wait) }, wantErr: ": nothing came from it in 300ms; is it a named pipe that no program writes to?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fifo := mkfifo(t, filepath.Join(t.TempDir(), "figures.csv"))
			if tt.writer != nil {
				go func() {
					if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
						tt.writer(w)
						w.Close()
					}
				}()
			} else {
				// The open that gave up still waits; a writer that comes
				// and goes at the end lets it finish.
				t.Cleanup(func() {
					if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
						w.Close()
					}
				})
			}
			got, err := openWithin(t, fifo, 10*wait)
			if tt.wantErr != "" {
				if err == nil || err.Error() != fifo+tt.wantErr {
					t.Errorf("err = %v, want %q", err, fifo+tt.wantErr)
					return
				}
				checkOneSentence(t, err.Error(), fifo)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("read %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// openWithin opens and reads path through Input.Open, failing the test
// rather than hanging when that takes longer than limit.
func openWithin(t *testing.T, path string, limit time.Duration) (string, error) {
	t.Helper()
	type read struct {
		text string
		err  error
	}
	done := make(chan read, 1)
	go func() {
		o, err := Input{Path: path}.Open()
		if err != nil {
			done <- read{"", err}
			return
		}
		defer o.Close()
		b, err := io.ReadAll(o)
		done <- read{string(b), err}
	}()
	select {
	case r := <-done:
		return r.text, r.err
	case <-time.After(limit):
		t.Fatalf("Open(%s) still waits after %s", path, limit)
		return "", nil
	}
}
