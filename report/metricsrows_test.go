package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/intercom"
)

// oddStrings are the strings a JSON writer most often gets wrong: every
// control character, DEL, invalid UTF-8, the JavaScript line separators,
// quotes and backslashes.
func oddStrings() map[string]string {
	m := map[string]string{
		"bell (issue 13)":            "21547\a",
		"DEL":                        "21547\x7f",
		"invalid UTF-8":              "21547\xff\xfe",
		"truncated UTF-8 sequence":   "21547\xe2\x82",
		"U+2028 line separator":      "21547\u2028",
		"U+2029 paragraph separator": "21547\u2029",
		"quote and backslash":        `21"547\`,
		"HTML":                       "<b>&</b>",
		"non-ASCII":                  "Zoë 👍",
		"empty":                      "",
	}
	for c := 0; c < 0x20; c++ {
		m["control 0x"+string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&0xF])] = "215" + string(rune(c)) + "47"
	}
	return m
}

// TestMetricsJSONL_AnyIDIsValidJSON: issue 13 — an id holding a control
// character made `metrics` write a line no JSON parser reads.
func TestMetricsJSONL_AnyIDIsValidJSON(t *testing.T) {
	for name, id := range oddStrings() {
		t.Run(name, func(t *testing.T) {
			line := metricsLine(t, MetricsRow{ID: id, Reported: &emptyStats, Differs: []string{id}})
			if !json.Valid(line) {
				t.Fatalf("not valid JSON: %q", line)
			}
			var got struct {
				ID      string   `json:"id"`
				Differs []string `json:"differs"`
			}
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatal(err)
			}
			if want := jsonRoundTrip(id); got.ID != want || got.Differs[0] != want {
				t.Errorf("id reads back %q, want %q", got.ID, want)
			}
			if strings.ContainsAny(string(line), "\u2028\u2029") {
				t.Errorf("U+2028/U+2029 written raw: %q", line)
			}
		})
	}
}

func TestMetricsJSONL_IDValueField(t *testing.T) {
	st := intercom.Statistics{LastClosedByID: "7\a"}
	st.Stated = intercom.AllFields()
	line := metricsLine(t, MetricsRow{ID: "1", Reported: &st, Recomputed: &st})
	if !json.Valid(line) {
		t.Fatalf("not valid JSON: %q", line)
	}
	if !bytes.Contains(line, []byte(`"last_closed_by_id":"7\u0007"`)) {
		t.Errorf("last_closed_by_id not escaped as JSON: %s", line)
	}
}

func metricsLine(t testing.TB, r MetricsRow) []byte {
	t.Helper()
	var b bytes.Buffer
	m := NewMetricsJSONL(&b)
	if err := m.Write(r); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	line := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if bytes.ContainsAny(line, "\n") {
		t.Fatalf("more than one line: %q", b.Bytes())
	}
	return line
}

// jsonRoundTrip is s as encoding/json writes and reads it: invalid UTF-8
// becomes U+FFFD.
func jsonRoundTrip(s string) string {
	b, _ := json.Marshal(s)
	var back string
	_ = json.Unmarshal(b, &back)
	return back
}

// TestIsMetricsOutput: metrics --out replaces a file only when it starts
// as metrics' own output does; the first lines of the writers are checked
// here, so a change of format that the check misses fails.
func TestIsMetricsOutput(t *testing.T) {
	var csvOut, jsonlOut bytes.Buffer
	st := intercom.Statistics{}
	st.Stated = intercom.AllFields()
	for _, m := range []MetricsWriter{NewMetricsCSV(&csvOut), NewMetricsJSONL(&jsonlOut)} {
		m.Write(MetricsRow{ID: "1", Reported: &st, Recomputed: &st, Differs: []string{"count_reopens"}})
		m.Write(MetricsRow{ID: "2", Reported: &st})
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	firstLine := func(b []byte) string { line, _, _ := bytes.Cut(b, []byte("\n")); return string(line) + "\n" }
	var noParts bytes.Buffer
	m := NewMetricsJSONL(&noParts)
	m.Write(MetricsRow{ID: "2", Reported: &st})
	m.Close()
	cases := []struct {
		name      string
		firstLine string
		want      bool
	}{
		{"metrics' CSV header", firstLine(csvOut.Bytes()), true},
		{"metrics' JSONL row", firstLine(jsonlOut.Bytes()), true},
		{"metrics' JSONL row without parts", noParts.String(), true},
		{"an empty file (JSONL of no conversations)", "", true},
		{"a JSONL row without its line break (the last line)", strings.TrimSuffix(firstLine(jsonlOut.Bytes()), "\n"), true},
		{"an API pull", `{"type":"conversation","id":"1","created_at":1700000000}` + "\n", false},
		{"a row with a key more", `{"id":"1","truncated":false,"reported":{},"recomputed":null,"differs":[],"type":"conversation"}` + "\n", false},
		{"a row without differs", `{"id":"1","truncated":false,"reported":{},"recomputed":null}` + "\n", false},
		{"a row whose id is a number", `{"id":1,"truncated":false,"reported":{},"recomputed":null,"differs":[]}` + "\n", false},
		{"the CSV header saved with CRLF", strings.TrimSuffix(firstLine(csvOut.Bytes()), "\n") + "\r\n", false},
		{"the CSV header cut short", "conversation_id,truncated,differs\n", false},
		{"a blank first line", "\n", false},
		{"text", "my notes\n", false},
		{"a JSON list", "[1,2]\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsMetricsOutput([]byte(tc.firstLine)); got != tc.want {
				t.Errorf("IsMetricsOutput(%.80q) = %v, want %v", tc.firstLine, got, tc.want)
			}
		})
	}
}
