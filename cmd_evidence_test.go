package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidence_ZipIsTheBundle: evidence.zip, beside evidence/, opens with
// archive/zip, holds the same files with the same bytes, and is the same
// byte for byte from one run to the next.
func TestEvidence_ZipIsTheBundle(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1764547200")
	out := t.TempDir()
	var first []byte
	for run := range 2 {
		if code, _, stderr := runCLI(t, "demo", "--out", out); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "evidence.zip"))
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Error("evidence.zip differs between two runs")
		}
	}
	files := zipFiles(t, filepath.Join(out, "evidence.zip"))
	entries, err := os.ReadDir(filepath.Join(out, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(entries) || len(entries) < 2 {
		t.Errorf("evidence.zip holds %d files, evidence/ %d", len(files), len(entries))
	}
	for _, e := range entries {
		want, err := os.ReadFile(filepath.Join(out, "evidence", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := files["evidence/"+e.Name()]; !ok || !bytes.Equal(got, want) {
			t.Errorf("evidence.zip lacks evidence/%s or holds other bytes", e.Name())
		}
	}
}

// zipFiles reads every file of a zip, by name.
func zipFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s in %s: %v", f.Name, path, err)
		}
		out[f.Name] = b
	}
	return out
}

// zipText concatenates every file of a zip.
func zipText(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	for _, data := range zipFiles(t, path) {
		b.Write(data)
	}
	return b.String()
}
