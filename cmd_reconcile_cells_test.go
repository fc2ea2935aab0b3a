package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// Issue 13, the output cells: an input's ids and values must not become
// formulas, personal data must stay out of the outputs, and every rejected
// record must be listed or counted.

// injectedIDs are ids an API pull could carry that would be formulas in a
// spreadsheet. A conversation's id is digits (intercom.ConversationID), so
// they are carried as statistics.last_closed_by_id, a teammate's id the API
// reader takes as written.
var injectedIDs = []string{
	`1","x")&HYPERLINK("http://evil.example/x`,
	"=1+1",
	`@SUM(1)`,
	"-2+3",
	" =1+1",                          // spreadsheets skip the space
	"\u2028\u200b=cmd|' /C calc'!A0", // and invisible characters
}

// writeInjectedPull writes an API pull of the sample's first conversations
// with their last_closed_by_id replaced by injectedIDs and another
// statistic changed, so that each appears in the differences.
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
			c["statistics"].(map[string]any)["last_closed_by_id"] = injectedIDs[i]
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
	f := openReport(t, out)
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
					if value == strings.TrimSpace(id) { // as the reader keeps a teammate's id
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
		if found[id] < 1 { // the Differences sheet at least
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
				if startsFormula(cell) {
					t.Errorf("%s: cell %q starts a formula", filepath.Base(path), cell)
				}
				inCSV[strings.TrimPrefix(cell, "'")] = true
			}
		}
	}
	for _, id := range injectedIDs {
		if !inCSV[strings.TrimSpace(id)] {
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

// startsFormula reports whether a spreadsheet could read a CSV cell as a
// formula: it starts with a tab or a carriage return, or its first
// character past white space and invisible ones is = + - or @, unless it is
// a plain number (-12).
func startsFormula(cell string) bool {
	if cell == "" || cell[0] == '\'' {
		return false
	}
	rest := strings.TrimLeftFunc(cell, func(r rune) bool {
		return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp)
	})
	return strings.ContainsRune("\t\r", rune(cell[0])) || rest != "" && strings.ContainsRune("=+@", rune(rest[0])) ||
		strings.HasPrefix(rest, "-") && !plainNumber.MatchString(cell)
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// sampleExportWithBadRow writes three of the sample export's rows, with the
// columns that locate a row and the customer's name and e-mail address, the
// second row with a malformed start time; it returns that customer's name
// and e-mail address.
func sampleExportWithBadRow(t *testing.T, path string) (name, email string) {
	t.Helper()
	rows := readCSV(t, "fixtures/sample/export.csv")
	columns := []string{"Conversation ID", "Conversation started at (America/Vancouver)", "User name", "User email"}
	at := make([]int, len(columns))
	for i, c := range columns {
		at[i] = -1
		for j, h := range rows[0] {
			if strings.TrimPrefix(h, "\ufeff") == c {
				at[i] = j
			}
		}
		if at[i] < 0 {
			t.Fatalf("the sample export has no column %q", c)
		}
	}
	out := [][]string{columns}
	for _, r := range rows[1:] {
		if r[at[2]] == "" || r[at[3]] == "" {
			continue
		}
		row := make([]string, len(at))
		for i, j := range at {
			row[i] = r[j]
		}
		out = append(out, row)
		if len(out) == 4 {
			break
		}
	}
	out[2][1] = "2025-13-02 14:24"
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := csv.NewWriter(f).WriteAll(out); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out[2][2], out[2][3]
}

// TestReconcile_RejectedRowsHoldNoPersonalData: the Rejected rows sheet
// kept raw CSV rows, with customers' names and e-mail addresses, without
// --include-pii.
func TestReconcile_RejectedRowsHoldNoPersonalData(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	name, email := sampleExportWithBadRow(t, export)
	cases := []struct {
		name     string
		extra    []string
		personal bool
	}{
		{"by default", nil, false},
		{"with --include-pii", []string{"--include-pii"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			args := append([]string{"reconcile", "--export", export, "--workspace", "fixtures/sample/workspace.yaml", "--out", out}, tc.extra...)
			if code, _, stderr := runCLI(t, args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			workbook := dumpWorkbook(t, filepath.Join(out, "report.xlsx"))
			rejected := readCSV(t, filepath.Join(out, "rejected.csv"))
			if len(rejected) != 2 {
				t.Fatalf("rejected.csv has %d rows, want the header and 1: %q", len(rejected), rejected)
			}
			wantHeader := "file,line,record,column,value,reason"
			if tc.personal {
				wantHeader += ",raw"
			}
			if got := strings.Join(rejected[0], ","); got != wantHeader {
				t.Errorf("rejected.csv header %s, want %s", got, wantHeader)
			}
			if r := rejected[1]; r[1] != "3" || r[3] != "Conversation started at (America/Vancouver)" || r[4] != "2025-13-02 14:24" || r[5] != "is not a date" {
				t.Errorf("rejected.csv row %q", r)
			}
			for what, text := range map[string]string{"report.xlsx": workbook, "rejected.csv": fmt.Sprint(rejected)} {
				for _, pii := range []string{name, email} {
					if got := strings.Contains(text, pii); got != tc.personal {
						t.Errorf("%s holds %q: %v, want %v", what, pii, got, tc.personal)
					}
				}
			}
			if !strings.Contains(workbook, "2025-13-02 14:24|is not a date") {
				t.Errorf("the Rejected rows sheet does not show the rejected value and reason:\n%s", workbook)
			}
		})
	}
}

// TestReconcile_EveryRejectedRecordIsListed: rejected.csv lists every
// rejected record, past the 10,000 per input the readers keep in memory, for
// an export and for a pull; the workbook's sheet lists the first ones and
// says that rejected.csv has them all.
func TestReconcile_EveryRejectedRecordIsListed(t *testing.T) {
	const bad = 10_003
	dir := t.TempDir()
	var export, pull strings.Builder
	export.WriteString("Conversation ID,Conversation started at (America/Vancouver)\n")
	for i := 0; i < bad; i++ {
		fmt.Fprintf(&export, "x%d,2025-10-01 10:00:00\n", i)
		fmt.Fprintf(&pull, "{\"type\":\"conversation\",\"id\":\"y%d\",\"created_at\":\"not a time\"}\n", i)
	}
	export.WriteString("215470000001000,2025-10-01 10:00:00\n")
	exportPath, pullPath := filepath.Join(dir, "export.csv"), filepath.Join(dir, "pull.jsonl")
	for path, body := range map[string]string{exportPath: export.String(), pullPath: pull.String()} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "reconcile", "--export", exportPath, "--api", pullPath, "--out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	s := readSummary(t, out)
	listed := map[string]int{}
	lines := map[string]map[string]bool{}
	for _, row := range readCSV(t, filepath.Join(out, "rejected.csv"))[1:] {
		listed[row[0]]++
		if lines[row[0]] == nil {
			lines[row[0]] = map[string]bool{}
		}
		lines[row[0]][row[1]+"#"+row[2]] = true
	}
	for _, in := range s.Inputs {
		if in.Rejected != bad {
			t.Errorf("%s: summary.json counts %d rejected, want %d", in.Path, in.Rejected, bad)
		}
		if listed[in.Path] != in.Rejected || len(lines[in.Path]) != in.Rejected {
			t.Errorf("%s: rejected.csv lists %d records at %d places, want all %d", in.Path, listed[in.Path], len(lines[in.Path]), in.Rejected)
		}
	}
	f := openReport(t, out)
	rows, _ := f.GetRows("Rejected rows")
	text := ""
	for _, r := range rows {
		text += strings.Join(r, "|") + "\n"
	}
	for _, path := range []string{exportPath, pullPath} {
		want := fmt.Sprintf("%s: %d rejected records, the first 10000 listed here; rejected.csv lists all %d.", path, bad, bad)
		if !strings.Contains(text, want) {
			t.Errorf("the sheet does not say %q", want)
		}
	}
}
