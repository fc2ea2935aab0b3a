package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/icrecon/icrecon/intercom"
)

// Fuzz targets for the output side: whatever an input holds, a CSV cell
// reads back as written and starts no formula, an xlsx text cell is text,
// a link is made only for an id of Intercom's shape, and a metrics line is
// JSON. Run one with, e.g.:
//
//	go test -run='^$' -fuzz=^FuzzCSVCell$ -fuzztime=5m -parallel=1 ./report/

var fuzzSeeds = []string{
	"", "21547", "-12", "-0.5", "=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''",
	`1","x")&HYPERLINK("http://evil.example/x`, `=cmd|' /C calc'!A0`, "21547\a", "\x00", "\x7f",
	"\xff\xfe", "\u2028", "a,b\"c\nd", "a\r\nb", "_x0041_", "Zoë 👍", " lead", "trail ",
}

func FuzzCSVCell(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var buf bytes.Buffer
		w := newCSVWriter(&buf)
		in := []string{a, b}
		if err := w.Write(in); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if in[0] != a || in[1] != b {
			t.Fatal("the writer changed the caller's cells")
		}
		rec, err := csv.NewReader(&buf).Read()
		if err != nil {
			t.Fatalf("%q does not read back: %v", buf.String(), err)
		}
		if len(rec) != 2 {
			t.Fatalf("%d cells read back from %q", len(rec), buf.String())
		}
		for i, cell := range rec {
			// encoding/csv reads \r\n inside a quoted cell as \n.
			want := strings.ReplaceAll(in[i], "\r\n", "\n")
			if got := csvUncell(cell); got != want {
				t.Errorf("cell %d: %q read back as %q", i, in[i], cell)
			}
			if cell == "" {
				continue
			}
			switch cell[0] {
			case '=', '+', '@', '\t', '\r':
				t.Errorf("cell %q starts a formula", cell)
			case '-':
				if !isPlainNumber(cell) {
					t.Errorf("cell %q starts a formula", cell)
				}
			}
		}
	})
}

func FuzzXLSXText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add(strings.Repeat("é", excelMaxChars))
	f.Fuzz(func(t *testing.T, text string) {
		want := xlsxText(text)
		if xmlClean(text) && utf16Len(text) <= excelMaxChars && !hasOOXMLEscape(text) && want != text {
			t.Fatalf("xlsxText changed a text XML can carry: %q → %q", text, want)
		}
		if utf16Len(want) > excelMaxChars {
			t.Fatalf("xlsxText gave %d characters, more than a cell holds", utf16Len(want))
		}
		w := newTestWorkbook(t, WorkbookInput{}, excelMaxRows)
		// Streamed sheets (inline strings), as the tables are written.
		s, err := w.newSheet("S", []string{"text", "cell"}, nil, "s.csv")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.add([]any{text, excelize.Cell{StyleID: w.note, Value: text}}); err != nil {
			t.Fatal(err)
		}
		if err := s.close(); err != nil {
			t.Fatal(err)
		}
		// The ordinary API (shared strings), as the Summary is written.
		if _, err := w.f.NewSheet("P"); err != nil {
			t.Fatal(err)
		}
		p := &pen{w: w, sheet: "P", row: 1}
		p.cells(text, excelize.Cell{StyleID: w.bold, Value: text})
		if p.err != nil {
			t.Fatal(p.err)
		}
		r := reopen(t, w)
		for _, at := range [][2]string{{"S", "A2"}, {"S", "B2"}, {"P", "A1"}, {"P", "B1"}} {
			sheet, cell := at[0], at[1]
			if formula, _ := r.GetCellFormula(sheet, cell); formula != "" {
				t.Errorf("%s!%s holds the formula %q", sheet, cell, formula)
			}
			got, err := r.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s!%s reads back %q, want %q", sheet, cell, got, want)
			}
			if want == "" {
				continue
			}
			if typ, _ := r.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s!%s is of type %v, not a string", sheet, cell, typ)
			}
		}
	})
}

func FuzzConversationLink(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("k7x2m9qa", s)
	}
	f.Add(`k7"x`, "21547")
	f.Add("", "21547")
	f.Fuzz(func(t *testing.T, appID, id string) {
		w := &workbook{in: WorkbookInput{AppID: appID}}
		url := ConversationURL(appID, id)
		switch got := w.conversationLink(id).(type) {
		case string:
			if got != id || url != "" {
				t.Fatalf("no link for %q (app %q), but the URL is %q", id, appID, url)
			}
		case excelize.Cell:
			if !ValidConversationID(id) || !validAppID(appID) {
				t.Fatalf("a link for id %q, app %q", id, appID)
			}
			if !formulaParses(got.Formula) {
				t.Fatalf("the formula does not parse: %s", got.Formula)
			}
			if want := hyperlinkFormula(url, id); got.Formula != want || got.Value != id {
				t.Fatalf("formula %s, value %v; want %s", got.Formula, got.Value, want)
			}
			if strings.ContainsAny(url, "\" \t\r\n") {
				t.Fatalf("the URL %q holds a quote or a space", url)
			}
		default:
			t.Fatalf("conversationLink gave a %T", got)
		}
		// Whatever the texts, the formula builder balances its quotes.
		if !formulaParses(hyperlinkFormula(appID, id)) {
			t.Fatalf("HYPERLINK(%q, %q) does not parse", appID, id)
		}
	})
}

func FuzzMetricsJSON(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, id, closedBy string) {
		st := intercom.Statistics{LastClosedByID: closedBy}
		st.Stated = intercom.AllFields()
		line := metricsLine(t, MetricsRow{ID: id, Reported: &st, Recomputed: &st, Differs: []string{closedBy}})
		if !json.Valid(line) {
			t.Fatalf("not valid JSON: %q", line)
		}
		var got struct {
			ID       string   `json:"id"`
			Differs  []string `json:"differs"`
			Reported struct {
				LastClosedByID *string `json:"last_closed_by_id"`
			} `json:"reported"`
		}
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatal(err)
		}
		if got.ID != jsonRoundTrip(id) || got.Differs[0] != jsonRoundTrip(closedBy) {
			t.Errorf("read back id %q, differs %q; want %q, %q", got.ID, got.Differs, jsonRoundTrip(id), jsonRoundTrip(closedBy))
		}
		if closedBy != "" && (got.Reported.LastClosedByID == nil || *got.Reported.LastClosedByID != jsonRoundTrip(closedBy)) {
			t.Errorf("last_closed_by_id reads back %v, want %q", got.Reported.LastClosedByID, closedBy)
		}
	})
}

func hasOOXMLEscape(s string) bool {
	for i := range len(s) {
		if isOOXMLEscape(s[i:]) {
			return true
		}
	}
	return false
}
