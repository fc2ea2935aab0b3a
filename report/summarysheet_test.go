package report

import (
	"strings"
	"testing"
)

// TestSummaryOpening: the Summary opens with each finding in its own
// words, then the office hours and the definitions applied in a line each.
func TestSummaryOpening(t *testing.T) {
	given := 1129
	s := Summary{
		Findings: []FindingSummary{{Text: "time_to_admin_reply (export vs api) differs, unexplained, on 41 of 209 conversations: off by 3600 s"}},
		OfficeHours: OfficeHoursSummary{Source: "learned", Schedule: "Mon-Fri 09:00-17:00", Timezone: "Europe/Paris",
			Reproduced: 980, Compared: 1000, GivenReproduced: nil},
		Definitions: []DefinitionSummary{
			{Source: "api", Family: "time_to_assignment", Reading: "last_before_reply", How: "learned", Matched: 296, Compared: 296},
			{Source: "api", Family: "reply_pairing", Reading: "latest", How: "confirmed", Matched: 296, Compared: 296},
		},
		NotStated: []NotStatedSummary{{Field: "count_reopens", Source: "export", Records: 214}},
	}
	if got := findingLines(s); len(got) != 1 || got[0] != s.Findings[0].Text {
		t.Errorf("findings %q", got)
	}
	got := appliedLines(s)
	want := []string{
		"Office hours (learned): Mon-Fri 09:00-17:00 in Europe/Paris. They reproduce 980 of the 1,000 durations the sources state.",
		"Definitions other than Intercom's defaults: api time_to_assignment last_before_reply (learned, reproduces 296 of 296). The other reading is the default",
		"Not stated, so compared nowhere: count_reopens (the export, empty in all 214 records).",
	}
	if len(got) != len(want) {
		t.Fatalf("applied lines %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("line %d reads %q, want %q…", i, got[i], want[i])
		}
	}

	s.OfficeHours = OfficeHoursSummary{Source: "given", Schedule: "Mon-Fri 09:00-17:00", Timezone: "America/Vancouver", Reproduced: 1135, Compared: 1135, GivenReproduced: &given}
	if got := appliedLines(s)[0]; !strings.Contains(got, "reproduce 1,129 of the 1,135") {
		t.Errorf("given hours: %q, want what the given hours reproduce", got)
	}
	if got := findingLines(Summary{}); len(got) != 1 || !strings.HasPrefix(got[0], "None") {
		t.Errorf("no findings: %q", got)
	}
}
