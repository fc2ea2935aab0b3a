package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLineDiff(t *testing.T) {
	for _, tc := range []struct{ name, a, b, want string }{
		{"same", "x\ny", "x\ny", ""},
		{"a line changed", "x\ny\nz", "x\nY\nz", "   2 - y\n   2 + Y\n"},
		{"a line added", "x\nz", "x\ny\nz", "   2 + y\n"},
		{"a line removed", "x\ny\nz", "x\nz", "   2 - y\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LineDiff(tc.a, tc.b); got != tc.want {
				t.Errorf("LineDiff = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheck_UpdateWritesThenMatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.golden")
	Check(t, path, "one\ntwo\n", true)
	if b, _ := os.ReadFile(path); string(b) != "one\ntwo\n" {
		t.Fatalf("-update wrote %q", b)
	}
	Check(t, path, "one\ntwo\n", false) // must not fail
}
