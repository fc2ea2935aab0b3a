package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	cases := []struct {
		name    string
		write   func(io.Writer) error
		want    string
		wantErr bool
	}{
		{"a new file", func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }, "one", false},
		{"replaced whole", func(w io.Writer) error { _, err := io.WriteString(w, "two"); return err }, "two", false},
		{"a failed write leaves the old content", func(w io.Writer) error {
			io.WriteString(w, "half")
			return errors.New("disk full")
		}, "two", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(path, tc.write)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v", err)
			}
			b, _ := os.ReadFile(path)
			info, _ := os.Stat(path)
			if string(b) != tc.want || info.Mode().Perm() != 0o644 {
				t.Errorf("file %q, mode %v", b, info.Mode().Perm())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
				t.Errorf("left behind %v", left)
			}
		})
	}
}
