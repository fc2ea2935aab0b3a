package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Issue 13, the output cells: an input's ids and values must not become
// formulas, personal data must stay out of the outputs, and every rejected
// record must be listed or counted.

// injectedIDs are conversation ids an API pull could carry (the API reader
// takes any string) that would be formulas in a spreadsheet.
var injectedIDs = []string{
	`1","x")&HYPERLINK("http://evil.example/x`,
	"=1+1",
	`@SUM(1)`,
	"-2+3",
}

// writeInjectedPull writes an API pull of the sample's first conversations
// with their ids replaced by injectedIDs and a statistic changed, so that
// each appears in the differences too.
func writeInjectedPull(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open("fixtures/sample/api/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	var out strings.Builder
	for i := 0; i < len(injectedIDs)+1 && sc.Scan(); i++ {
		var c map[string]any
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		if i < len(injectedIDs) {
			c["id"] = injectedIDs[i]
			c["statistics"].(map[string]any)["count_reopens"] = 7
		}
		line, _ := json.Marshal(c)
		out.Write(append(line, '\n'))
	}
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

var digitLink = regexp.MustCompile(`^HYPERLINK\("https://app\.intercom\.com/a/apps/k7x2m9qa/inbox/inbox/conversation/[0-9]+","[0-9]+"\)$`)

// TestReconcile_IdsCannotInjectFormulas: an id like
// 1","x")&HYPERLINK("http://evil.example/x became part of a HYPERLINK
// formula in report.xlsx, and ids starting with = or @ were formulas when a
// CSV was opened in a spreadsheet.
func TestReconcile_IdsCannotInjectFormulas(t *testing.T) {
	dir := t.TempDir()
	pull := filepath.Join(dir, "pull.jsonl")
	writeInjectedPull(t, pull)
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "reconcile", "--api", pull, "--workspace", "fixtures/sample/workspace.yaml", "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}

	// The workbook: the only formulas are links of digit ids; each injected
	// id is a string cell holding exactly the id.
	f, err := excelize.OpenFile(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]int{}
	links := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, value := range row {
				cell := cellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sheet, cell)
				switch {
				case formula != "" && !digitLink.MatchString(formula):
					t.Errorf("%s!%s holds the formula %s", sheet, cell, formula)
				case formula != "":
					links++
				}
				for _, id := range injectedIDs {
					if value == id {
						found[id]++
						if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
							t.Errorf("%s!%s holds %q as a %v, not a string", sheet, cell, id, typ)
						}
					}
				}
			}
		}
	}
	if links == 0 {
		t.Error("no conversation is linked: the test proves nothing")
	}
	for _, id := range injectedIDs {
		if found[id] < 2 { // the Differences and Conversations sheets at least
			t.Errorf("%q appears in %d cells of the workbook", id, found[id])
		}
	}

	// The CSVs: no cell starts a formula; each id reads back behind the
	// leading apostrophe that keeps it text.
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	evidence, _ := filepath.Glob(filepath.Join(out, "evidence", "*.csv"))
	inCSV := map[string]bool{}
	for _, path := range append(files, evidence...) {
		for _, row := range readCSV(t, path) {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) || strings.HasPrefix(cell, "-2+3") {
					t.Errorf("%s: cell %q starts a formula", filepath.Base(path), cell)
				}
				inCSV[strings.TrimPrefix(cell, "'")] = true
			}
		}
	}
	for _, id := range injectedIDs {
		if !inCSV[id] {
			t.Errorf("%q is in no CSV", id)
		}
	}

	// evidence.md: no link is made of an id that is not digits.
	md, err := os.ReadFile(filepath.Join(out, "evidence", "evidence.md"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(md), "evil.example") && strings.Contains(string(md), "](http://evil") {
		t.Errorf("evidence.md links to the injected address")
	}
}
