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

// TestWrite_NamesThePathGiven: a --out in a folder that does not exist was
// refused naming the temporary file (.x.jsonl.NNN.tmp) and not saying why.
// Each refusal names the path given and what is wrong with its folder.
func TestWrite_NamesThePathGiven(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"a folder that does not exist", filepath.Join(dir, "missing", "x.jsonl"),
			filepath.Join(dir, "missing", "x.jsonl") + ": the folder " + filepath.Join(dir, "missing") + " does not exist; create it first, or give a name in a folder that exists"},
		{"folders that do not exist", filepath.Join(dir, "a", "b", "x.jsonl"),
			filepath.Join(dir, "a", "b", "x.jsonl") + ": the folder " + filepath.Join(dir, "a", "b") + " does not exist; create it first, or give a name in a folder that exists"},
		{"a file where the folder should be", filepath.Join(file, "x.jsonl"),
			filepath.Join(file, "x.jsonl") + ": " + file + " is not a folder, so no file can be made in it"},
		{"a file on the way to the folder", filepath.Join(file, "sub", "x.jsonl"),
			filepath.Join(file, "sub", "x.jsonl") + ": the folder " + filepath.Join(file, "sub") + " does not exist: a part of its path is a file, not a folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for name, err := range map[string]error{
				"CheckReplaceable": CheckReplaceable(tc.path),
				"Write":            Write(tc.path, func(io.Writer) error { return nil }),
			} {
				if err == nil || err.Error() != tc.want {
					t.Errorf("%s: %v, want %q", name, err, tc.want)
				}
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("left behind %v", left)
	}
}
