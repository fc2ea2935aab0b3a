package parse

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
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

// utf16LE is text as Windows saves "Unicode": UTF-16, little-endian, with
// its byte-order mark.
func utf16LE(data []byte) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(string(data))) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
