//go:build unix

package parse

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
