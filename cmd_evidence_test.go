package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/internal/golden"
)

// update rewrites the golden files from the current output:
//
//	go test -run 'Golden' -update .
//
// Read the diff before committing: the golden evidence.md is what the
// person at Intercom receives.
var update = flag.Bool("update", false, "rewrite golden files")

// demoEvidenceGolden is evidence.md of the demo.
const demoEvidenceGolden = "testdata/demo-evidence.md.golden"

// TestEvidence_DemoGolden pins evidence.md of the demo (issue 11): what is
// asked first, under 120 lines, a few linked ids per step. The generation
// time is pinned by SOURCE_DATE_EPOCH, and the demo runs in a fresh folder
// with --out relative to it so that the command line it records is stable.
func TestEvidence_DemoGolden(t *testing.T) {
	golden, err := filepath.Abs(demoEvidenceGolden)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1764547200")
	t.Chdir(t.TempDir())
	if code, _, stderr := runCLI(t, "demo", "--out", "icrecon-demo"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join("icrecon-demo", "evidence", "evidence.md"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) >= 120 {
		t.Errorf("evidence.md has %d lines; the person receiving it should not have to read more than 120", len(lines))
	}
	if len(lines) < 3 || !strings.HasPrefix(lines[2], "**What we ask.**") {
		t.Errorf("evidence.md does not start with what is asked")
	}
	for i, l := range lines {
		if n := strings.Count(l, "](https://"); n > 3 {
			t.Errorf("line %d holds %d links", i+1, n)
		}
	}
	checkGolden(t, golden, got)
}

// TestEvidence_ZipIsTheBundle: evidence.zip, beside evidence/, opens with
// archive/zip, holds evidence.md and the lists it refers to, bridge.csv and
// differences.csv, laid out and with the bytes they have in the out folder,
// and is the same byte for byte from one run to the next. evidence/ itself
// holds evidence.md alone: no list another output holds (issue 12).
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
	entries, err := os.ReadDir(filepath.Join(out, "evidence"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "evidence.md" {
		t.Errorf("evidence/ holds %v, want evidence.md alone", entries)
	}
	files := zipFiles(t, filepath.Join(out, "evidence.zip"))
	want := []string{"bridge.csv", "differences.csv", "evidence/evidence.md"}
	if len(files) != len(want) {
		t.Errorf("evidence.zip holds %d files, want %v", len(files), want)
	}
	for _, name := range want {
		written, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := files[name]; !ok || !bytes.Equal(got, written) {
			t.Errorf("evidence.zip lacks %s or holds other bytes than the out folder's", name)
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

// checkGolden compares got with the golden file, or rewrites it under
// -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	golden.Check(t, path, got, *update)
}
