package parse

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInspect reads a folder holding one input of each kind, and a file of
// the wrong kind, the way `icrecon inspect` does.
func TestInspect(t *testing.T) {
	root := makeTree(t, map[string]string{
		"1-export.csv": "\ufeffConversation ID;Conversation started at (America/Vancouver);Started by;Conversation source\n" +
			"1001;2025-08-02 14:24:40;Customer;Inbound message\n" +
			"1002;2025-08-03 09:00:00;Reply to Workflow/Message;Bot auto message\n" +
			"1001;2025-08-02 14:24:40;Customer;Inbound message\n" +
			";;;\n" +
			"1004;not a date;Customer;Inbound message\n",
		"2-pull.jsonl": `{"type":"conversation","id":"1","created_at":1754169880,"source":{"delivered_as":"customer_initiated"},"conversation_parts":{"conversation_parts":[{"id":"a","part_type":"comment","created_at":1754169890},{"id":"b","part_type":"brand_new_event","created_at":1754169891}],"total_count":600}}` + "\n" +
			`{"type":"conversation","id":"2","created_at":1754256280,"source":{"delivered_as":"automated"}}` + "\n" +
			`{"type":"conversation","id":"3","created_at":"soon"}` + "\n",
		"3-dashboard.csv":  "metric,from,to,value,timezone\nnew_conversations,2025-10-01,2025-10-31,1204,America/Vancouver\nmedian_first_response_time,2025-10-01,2025-10-31,14m,\n",
		"4-workspace.yaml": "timezone: America/Vancouver\noffice_hours: Mon-Fri 09:00-17:00\napp_id: abcd1234\nbots: [\"274\"]\n",
		"5-report.xlsx":    "PK\x03\x04 a zip",
		// Excel's "Unicode Text" (issue 13: it was "a binary file").
		"6-unicode.txt": string(utf16LE([]byte("Conversation ID\tChannel\r\n1005\tChat\r\n"))),
	})
	ins, _, err := Expand([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		s := Inspect(in, InspectOptions{})
		line := fmt.Sprintf("%s kind=%s format=%q tally=%+v zone=%q", filepath.Base(s.Path), s.Kind, s.Format, s.Tally, s.Zone)
		if !s.First.IsZero() {
			line += fmt.Sprintf(" span=%s..%s", s.First.UTC().Format(time.RFC3339), s.Last.UTC().Format(time.RFC3339))
		}
		if len(s.Initiators) > 0 {
			line += fmt.Sprintf(" initiators=%v", map[string]int(s.Initiators))
		}
		for _, n := range s.Notes {
			line += "\n  note: " + n
		}
		for _, r := range s.Rejects {
			line += "\n  reject: " + strings.TrimPrefix(r.Error(), root+string(filepath.Separator))
		}
		if s.Err != nil {
			line += "\n  error: " + strings.TrimPrefix(s.Err.Error(), root+string(filepath.Separator))
		}
		got = append(got, line)
	}
	want := []string{
		`1-export.csv kind=export_csv format="CSV, \";\"-separated" tally={Read:4 Accepted:2 Rejected:1 Duplicates:1} zone="America/Vancouver" span=2025-08-02T21:24:40Z..2025-08-03T16:00:00Z initiators=map[automated|bot:1 customer:1]` +
			"\n  note: 1 empty rows skipped" +
			"\n  reject: 1-export.csv:6: column \"Conversation started at (America/Vancouver)\": \"not a date\" is not a date",
		`2-pull.jsonl kind=api_json format="JSON Lines" tally={Read:3 Accepted:2 Rejected:1 Duplicates:0} zone="UTC" span=2025-08-02T21:24:40Z..2025-08-03T21:24:40Z initiators=map[automated:1 customer:1]` +
			"\n  note: 1 conversation carrying their parts (2 parts in all)" +
			"\n  note: 1 conversation with fewer parts than Intercom counts (the API returns at most the 500 most recent): recomputed statistics not trusted" +
			"\n  note: part types read as events without message meaning: brand_new_event (1)" +
			"\n  reject: 2-pull.jsonl:3: field \"created_at\": \"soon\" is not a Unix time (whole seconds since 1970, as the API writes them)",
		`3-dashboard.csv kind=dashboard_csv format="CSV" tally={Read:2 Accepted:2 Rejected:0 Duplicates:0} zone="America/Vancouver, workspace's" span=2025-10-01T00:00:00Z..2025-11-01T06:59:59Z`,
		`4-workspace.yaml kind=workspace format="YAML" tally={Read:1 Accepted:1 Rejected:0 Duplicates:0} zone="America/Vancouver"` +
			"\n  note: office hours: Mon-Fri 09:00-17:00 in America/Vancouver" +
			"\n  note: app id: abcd1234" +
			"\n  note: treated as bots: admin 274",
		`5-report.xlsx kind= format="" tally={Read:0 Accepted:0 Rejected:0 Duplicates:0} zone=""` +
			"\n  error: 5-report.xlsx: this is an Excel workbook or another zip file, not a CSV; in Intercom Reports choose Export as CSV, or in Excel use Save As > CSV",
		`6-unicode.txt kind=export_csv format="CSV, tab-separated, from UTF-16LE" tally={Read:1 Accepted:1 Rejected:0 Duplicates:0} zone="" initiators=map[unknown:1]`,
	}
	if len(got) != len(want) {
		t.Fatalf("inspected %d files, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("file %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

// TestInspect_PartTypesThatMayBePersonal: inspect named every unknown part
// type as it came, so a name, an e-mail address or message text in
// part_type was printed; only what looks like a part type is named, the
// rest counted, unless personal data is asked for.
func TestInspect_PartTypesThatMayBePersonal(t *testing.T) {
	part := func(typ string) string {
		return `{"part_type":"` + typ + `","created_at":1754169890}`
	}
	path := writeTemp(t, "pull.jsonl", []byte(`{"type":"conversation","id":"1","created_at":1754169880,"conversation_parts":{"conversation_parts":[`+
		strings.Join([]string{part("comment"), part("brand_new_event"), part("Jane Doe <jane.doe@example.com> my card 4111"),
			part("Zelda Piiname"), part("Zelda Piiname")}, ",")+`]}}`+"\n"))
	for _, tc := range []struct {
		name      string
		pii       bool
		wantNotes []string
	}{
		{"without personal data", false, []string{
			"part types read as events without message meaning: brand_new_event (1)",
			"2 part types not shown (3 parts, read as events): they do not look like part types and may be personal data (--include-pii shows them)"}},
		{"with personal data", true, []string{
			"part types read as events without message meaning: Jane Doe <jane.doe@example.com> my card 4111 (1), Zelda Piiname (2), brand_new_event (1)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Inspect(Input{Path: path}, InspectOptions{IncludePII: tc.pii})
			if s.Err != nil || s.Tally != (Tally{Read: 1, Accepted: 1}) {
				t.Fatalf("%+v", s)
			}
			notes := s.Notes[1:] // after the parts count
			if strings.Join(notes, "\n") != strings.Join(tc.wantNotes, "\n") {
				t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(tc.wantNotes, "\n"))
			}
		})
	}
}

// TestInspect_ExportWithoutZone: --timezone reaches the export reader.
func TestInspect_ExportWithoutZone(t *testing.T) {
	path := writeTemp(t, "e.csv", []byte("Conversation ID,Conversation started at\n1,2025-08-02 14:24:40\n"))
	if s := Inspect(Input{Path: path}, InspectOptions{}); s.Err == nil {
		t.Error("no error without a zone")
	}
	s := Inspect(Input{Path: path}, InspectOptions{Zone: mustZone(t, "America/Vancouver")})
	if s.Err != nil || s.Tally.Accepted != 1 || s.Zone != "America/Vancouver" {
		t.Errorf("with a zone: %+v", s)
	}
}

func TestInspect_Missing(t *testing.T) {
	s := Inspect(Input{Path: filepath.Join(t.TempDir(), "gone.csv")}, InspectOptions{})
	if s.Err == nil || !strings.HasSuffix(s.Err.Error(), "gone.csv: no such file or folder") {
		t.Errorf("Err = %v", s.Err)
	}
}

// TestInspect_GzipTrailingData: what follows a gzip file's data that is not
// gzip is a warning about the file, not a reject: no record is made of it.
func TestInspect_GzipTrailingData(t *testing.T) {
	z := gzipBytes(t, []byte(`{"type":"conversation","id":"1","created_at":1754169880}`+"\n"))
	path := writeTemp(t, "trail.gz", append(z, "garbage\n"...))
	s := Inspect(Input{Path: path}, InspectOptions{})
	if s.Err != nil || s.Tally != (Tally{Read: 1, Accepted: 1}) || len(s.Rejects) != 0 {
		t.Fatalf("%+v", s)
	}
	want := fmt.Sprintf("trail.gz: the gzip data ends at byte %d of the file, and the 8 bytes after it are not gzip, so they were ignored", len(z))
	if len(s.Warnings) != 1 || withoutDir(s.Warnings[0].Error()) != want {
		t.Errorf("warnings %v\nwant %q", s.Warnings, want)
	}
	checkRejects(t, path, nil, s.Warnings)
}
