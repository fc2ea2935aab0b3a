package parse

import (
	"os"
	"path/filepath"
	"testing"
)

// writeTemp writes data to a file in a fresh temporary folder.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openTemp(t *testing.T, name string, data []byte) *Opened {
	t.Helper()
	o, err := Input{Path: writeTemp(t, name, data)}.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func readAPIBytes(t *testing.T, name string, data []byte, emit Emit) (*APIInfo, error) {
	t.Helper()
	return ReadAPI(openTemp(t, name, data), APIOptions{}, emit)
}
