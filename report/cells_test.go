package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/reconcile"
)

// emptyStats is a conversation's statistics with nothing stated.
var emptyStats intercom.Statistics

// Issue 13: an id, value or reason read from an input must never become a
// spreadsheet formula, in a CSV or in the workbook.

func TestCSVCell(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"formula", "=1+1", "'=1+1"},
		{"DDE payload", `=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{"plus", "+1+1", "'+1+1"},
		{"minus that is not a number", "-1+1", "'-1+1"},
		{"at sign", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"apostrophe, so the rule can be undone", "'quoted", "''quoted"},
		{"a lone minus", "-", "'-"},
		{"negative number", "-12", "-12"},
		{"negative decimal", "-0.5", "-0.5"},
		{"exponent is not a plain number", "-1e5", "'-1e5"},
		{"number", "21547", "21547"},
		{"empty", "", ""},
		{"equals later", "a=b", "a=b"},
		{"equals after a word", "a =b", "a =b"},
		// Spreadsheets skip leading white space and invisible characters
		// before they look for a formula, so the rule looks past them too.
		{"space first", " =1+1", "' =1+1"},
		{"spaces before a minus", "   -1+1", "'   -1+1"},
		{"space before a number", " -12", "' -12"},
		{"NUL and line separator first", "\x00\u2028=cmd|calc", "'\x00\u2028=cmd|calc"},
		{"no-break space first", "\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"},
		{"zero-width space first", "\u200b+1", "'\u200b+1"},
		{"byte-order mark first", "\ufeff=1", "'\ufeff=1"},
		{"paragraph separator first", "\u2029-1", "'\u2029-1"},
		{"line feed first", "\n=1", "'\n=1"},
		{"not UTF-8 first", "\xa0=1", "'\xa0=1"},
		{"tab before text", "\tplain", "'\tplain"},
		{"carriage return before text", "\rplain", "'\rplain"},
		{"space before text", " plain", " plain"},
		{"only white space", " \u00a0 ", " \u00a0 "},
		{"apostrophe after a space", " 'x", " 'x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := csvCell(tc.in); got != tc.want {
				t.Errorf("csvCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if back := csvUncell(csvCell(tc.in)); back != tc.in {
				t.Errorf("csvUncell(csvCell(%q)) = %q", tc.in, back)
			}
		})
	}
}

// TestCSVWriters_GuardEveryCell writes an injected id through each CSV
// writer of the package and reads the files back.
func TestCSVWriters_GuardEveryCell(t *testing.T) {
	const evil = `=HYPERLINK("http://evil.example/x","click")`
	writers := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"differences.csv", func(b *bytes.Buffer) error {
			d, err := NewDifferencesCSV(b)
			if err != nil {
				return err
			}
			if err := d.Write(reconcile.Difference{ConversationID: evil, Field: "count_reopens"}); err != nil {
				return err
			}
			return d.Close()
		}},
		{"rejected.csv", func(b *bytes.Buffer) error {
			// With personal data: without, ShownValue hides a value with
			// words in an id column.
			return WriteRejectedCSV(b, []Rejected{{File: "x.csv", Line: 2, Column: "Conversation ID", Value: evil, Reason: "@is not an id"}}, true)
		}},
		{"metrics csv", func(b *bytes.Buffer) error {
			m := NewMetricsCSV(b)
			if err := m.Write(MetricsRow{ID: evil, Reported: &emptyStats}); err != nil {
				return err
			}
			return m.Close()
		}},
	}
	for _, wr := range writers {
		t.Run(wr.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := wr.write(&b); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&b).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, row := range rows {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
						t.Errorf("cell %q starts a formula", cell)
					}
					found = found || cell == "'"+evil
				}
			}
			if !found {
				t.Errorf("the injected id is not written as '%s:\n%s", evil, b.String())
			}
		})
	}
}

func TestConversationURL(t *testing.T) {
	cases := []struct {
		name, appID, id string
		link            bool
	}{
		{"an Intercom id", "k7x2m9qa", "215470000000123", true},
		{"32 digits", "k7x2m9qa", strings.Repeat("9", 32), true},
		{"33 digits", "k7x2m9qa", strings.Repeat("9", 33), false},
		{"formula injection", "k7x2m9qa", `1","x")&HYPERLINK("http://evil.example/x`, false},
		{"letters", "k7x2m9qa", "abc", false},
		{"empty id", "k7x2m9qa", "", false},
		{"no app id", "", "215470000000123", false},
		{"app id with a quote", `k7"x`, "215470000000123", false},
		{"app id with a slash", "k7/../x", "215470000000123", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := ConversationURL(tc.appID, tc.id)
			if (url != "") != tc.link {
				t.Fatalf("ConversationURL(%q, %q) = %q; want a link: %v", tc.appID, tc.id, url, tc.link)
			}
			if tc.link && url != "https://app.intercom.com/a/apps/"+tc.appID+"/inbox/inbox/conversation/"+tc.id {
				t.Errorf("url %q", url)
			}
		})
	}
}

func TestHyperlinkFormula_DoublesQuotes(t *testing.T) {
	got := hyperlinkFormula(`http://x/"a`, `say "hi"`)
	want := `HYPERLINK("http://x/""a","say ""hi""")`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if !formulaParses(got) {
		t.Errorf("%s does not parse", got)
	}
}

// TestWorkbook_IdsAndTextsAreNeverFormulas streams rows as the sheets do
// and reads them back: a conversation id is a HYPERLINK only when it is
// digits; any other text, whatever it starts with, is a string cell holding
// exactly that text.
func TestWorkbook_IdsAndTextsAreNeverFormulas(t *testing.T) {
	texts := []string{
		`1","x")&HYPERLINK("http://evil.example/x`,
		"=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "'=1", `=cmd|' /C calc'!A0`,
	}
	w := newTestWorkbook(t, WorkbookInput{AppID: "k7x2m9qa"}, excelMaxRows)
	s, err := w.newSheet("T", []string{"id", "text"}, []float64{20, 20}, "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.add([]any{w.conversationLink("215470000000123"), "plain"}); err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		if err := s.add([]any{w.conversationLink(text), text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	f := reopen(t, w)
	if formula, _ := f.GetCellFormula("T", "A2"); formula != `HYPERLINK("https://app.intercom.com/a/apps/k7x2m9qa/inbox/inbox/conversation/215470000000123","215470000000123")` {
		t.Errorf("a digit id is not linked: %q", formula)
	}
	for i, text := range texts {
		for col := 1; col <= 2; col++ {
			checkTextCell(t, f, "T", cellName(col, i+3), text)
		}
	}
}

// checkTextCell asserts the cell holds text as a string, with no formula.
func checkTextCell(t *testing.T, f *excelize.File, sheet, cell, text string) {
	t.Helper()
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		t.Errorf("%s (%q) has the formula %q", cell, text, formula)
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("%s (%q) is of type %v, not a string", cell, text, typ)
	}
	if got, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); got != xlsxText(text) {
		t.Errorf("%s reads back %q, want %q", cell, got, xlsxText(text))
	}
}

func TestXLSXText(t *testing.T) {
	long := strings.Repeat("a", excelMaxChars+10)
	cases := []struct {
		name, in, want string
	}{
		{"plain", "export.csv", "export.csv"},
		{"formula-looking text is kept", "=1+1", "=1+1"},
		{"tab, line feed, carriage return kept", "a\tb\nc\rd", "a\tb\nc\rd"},
		{"control character", "21547\a", "21547\uFFFD"},
		{"NUL", "a\x00b", "a\uFFFDb"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"U+FFFE", "a\uFFFEb", "a\uFFFDb"},
		{"emoji", "ok 👍", "ok 👍"},
		{"OOXML's character escape", "_x0041_x0042_", "_\u200Bx0041_\u200Bx0042_"},
		{"underscore x without the escape", "a_xyz_", "a_xyz_"},
		{"too long", long, long[:excelMaxChars-utf16Len(cutMarker)] + cutMarker},
		{"exactly the limit", long[:excelMaxChars], long[:excelMaxChars]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := xlsxText(tc.in); got != tc.want {
				t.Errorf("xlsxText(%.40q) = %.60q, want %.60q", tc.in, got, tc.want)
			}
		})
	}
}

// newTestWorkbook is a workbook with its styles, for writing one sheet.
func newTestWorkbook(t testing.TB, in WorkbookInput, maxRows int) *workbook {
	t.Helper()
	f := excelize.NewFile()
	t.Cleanup(func() { f.Close() })
	w := &workbook{f: f, in: in, maxRows: maxRows}
	if err := w.styles(); err != nil {
		t.Fatal(err)
	}
	return w
}

// reopen saves the workbook and reads it back, as a user's program would.
func reopen(t testing.TB, w *workbook) *excelize.File {
	t.Helper()
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// formulaParses reports whether a HYPERLINK formula is HYPERLINK( then
// string literals separated by commas, then ): every quote balanced.
func formulaParses(formula string) bool {
	rest, ok := strings.CutPrefix(formula, "HYPERLINK(")
	if !ok {
		return false
	}
	args := 0
	for {
		if !strings.HasPrefix(rest, `"`) {
			return false
		}
		rest = rest[1:]
		for {
			i := strings.IndexByte(rest, '"')
			if i < 0 {
				return false
			}
			rest = rest[i+1:]
			if !strings.HasPrefix(rest, `"`) {
				break
			}
			rest = rest[1:] // a doubled quote
		}
		args++
		switch {
		case rest == ")":
			return args == 2
		case strings.HasPrefix(rest, ","):
			rest = rest[1:]
		default:
			return false
		}
	}
}
