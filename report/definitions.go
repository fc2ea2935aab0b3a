package report

import (
	"fmt"
	"strings"

	"github.com/icrecon/icrecon/metrics"
	"github.com/icrecon/icrecon/officehours"
	"github.com/icrecon/icrecon/reconcile"
)

// DefinitionSummary is the reading of one variant family adopted for one
// source, with the evidence (docs/metrics.md §8).
type DefinitionSummary struct {
	Source          string `json:"source"`
	Family          string `json:"family"`
	Reading         string `json:"reading"`
	How             string `json:"how"` // learned, pinned, default, undecided
	Matched         int    `json:"matched"`
	Compared        int    `json:"compared"`
	Telling         int    `json:"telling"`
	RunnerUp        string `json:"runner_up,omitempty"`
	RunnerUpMatched int    `json:"runner_up_matched,omitempty"`
}

// OfficeHoursSummary says which office hours were used, where they came
// from, and what the data showed.
type OfficeHoursSummary struct {
	Source          string   `json:"source"` // given, learned, none
	Schedule        string   `json:"schedule"`
	Timezone        string   `json:"timezone"`
	Learned         string   `json:"learned,omitempty"`
	LearnedTimezone string   `json:"learned_timezone,omitempty"`
	Reproduced      int      `json:"reproduced"`
	Compared        int      `json:"compared"`
	GivenReproduced *int     `json:"given_reproduced,omitempty"`
	SameFit         []string `json:"same_fit,omitempty"`
	RunnerUp        string   `json:"runner_up,omitempty"`
	Warning         string   `json:"warning,omitempty"`
}

// NotStatedSummary is a field a source leaves null in every record.
type NotStatedSummary struct {
	Field   string `json:"field"`
	Source  string `json:"source"`
	Records int    `json:"records"`
}

// FindingSummary is a field that disagrees, unexplained, on a large share.
type FindingSummary struct {
	Field       string   `json:"field"`
	Left        string   `json:"left"`
	Right       string   `json:"right"`
	Unexplained int      `json:"unexplained"`
	Compared    int      `json:"compared"`
	Pattern     string   `json:"pattern"`
	Text        string   `json:"text"`
	IDs         []string `json:"ids"`
}

func definitionSummaries(l *reconcile.Learning) []DefinitionSummary {
	out := []DefinitionSummary{}
	if l == nil {
		return out
	}
	for _, c := range l.Readings {
		out = append(out, DefinitionSummary{Source: c.Source.String(), Family: c.Family.Name(), Reading: c.Reading, How: c.How,
			Matched: c.Matched, Compared: c.Compared, Telling: c.Telling, RunnerUp: c.RunnerUp, RunnerUpMatched: c.RunnerUpMatched})
	}
	return out
}

func officeHoursSummary(l *reconcile.Learning) OfficeHoursSummary {
	if l == nil {
		return OfficeHoursSummary{Source: "none", Schedule: "all hours"}
	}
	sc := l.Schedule
	s := OfficeHoursSummary{Source: sc.Source, Schedule: scheduleSpec(sc.Schedule), Warning: sc.Warning}
	if sc.Schedule != nil {
		s.Timezone = sc.Schedule.Zone().String()
	}
	if lr := sc.Learned; lr != nil {
		s.Learned, s.LearnedTimezone = lr.Schedule.Spec(), lr.Schedule.Zone().String()
		s.Reproduced, s.Compared, s.SameFit = lr.Reproduced, lr.Compared, lr.SameFit
		if lr.RunnerUp != nil {
			s.RunnerUp = fmt.Sprintf("%s (reproduces %s)", lr.RunnerUp, thousands(lr.RunnerUpReproduced))
		}
		if sc.Source == "given" {
			n := sc.GivenReproduced
			s.GivenReproduced = &n
		}
	}
	return s
}

func scheduleSpec(s *officehours.Schedule) string {
	if s == nil {
		return "all hours"
	}
	return s.Spec()
}

func notStatedSummaries(l *reconcile.Learning) []NotStatedSummary {
	out := []NotStatedSummary{}
	if l == nil {
		return out
	}
	for _, n := range l.NotStated {
		out = append(out, NotStatedSummary{Field: n.Field, Source: n.Source.String(), Records: n.Records})
	}
	return out
}

func findingSummaries(fs []reconcile.Finding) []FindingSummary {
	out := []FindingSummary{}
	for _, f := range fs {
		out = append(out, FindingSummary{Field: f.Field, Left: f.Left.String(), Right: f.Right.String(), Unexplained: f.Unexplained,
			Compared: f.Compared, Pattern: f.Pattern, Text: f.String(), IDs: f.IDs})
	}
	return out
}

// writeLearning prints what was learned, for the terminal: the findings,
// the office hours, the readings that are not simply the default, the
// fields a source states nowhere, and conversations of an old API.
func writeLearning(t *terminal, s Summary) {
	for _, f := range s.Findings {
		t.printf("FINDING       %s", f.Text)
	}
	oh := s.OfficeHours
	switch oh.Source {
	case "learned":
		t.printf("office hours  learned: %s in %s, reproducing %s of %s durations the sources state", oh.Schedule, oh.Timezone, thousands(oh.Reproduced), thousands(oh.Compared))
	case "given":
		given := ""
		if oh.GivenReproduced != nil {
			given = fmt.Sprintf(", reproducing %s of %s durations the sources state", thousands(*oh.GivenReproduced), thousands(oh.Compared))
		}
		t.printf("office hours  given: %s in %s%s", oh.Schedule, oh.Timezone, given)
	}
	if oh.Warning != "" {
		t.printf("warning: %s", oh.Warning)
	}
	var shown []DefinitionSummary
	confirmed := 0
	for _, d := range s.Definitions {
		if d.Reading != defaultReading(d.Family) || d.How == "pinned" || d.How == "undecided" {
			shown = append(shown, d)
		} else {
			confirmed++
		}
	}
	if len(shown) > 0 {
		t.printf("definitions   %d readings other than Intercom's default, pinned or undecided (%d defaults confirmed or not told apart):", len(shown), confirmed)
		for _, d := range shown {
			t.printf("  %-6s %-28s %s", d.Source, d.Family, readingEvidence(d))
		}
	}
	for _, n := range s.NotStated {
		t.printf("not stated    %s: the %s leaves it empty in all %s records, so it is compared nowhere", n.Field, n.Source, thousands(n.Records))
	}
	if n := s.LegacyConversations; n > 0 {
		t.printf("old API       %s conversations have the parts of API 2.5 or earlier (assignments as comments): their assignment and reply fields are not recomputed", thousands(n))
	}
}

// readingEvidence reads "first (learned): reproduces 998 of 1,000; last_before_reply 412".
func readingEvidence(d DefinitionSummary) string {
	out := fmt.Sprintf("%s (%s): reproduces %s of %s", d.Reading, d.How, thousands(d.Matched), thousands(d.Compared))
	if d.RunnerUp != "" {
		out += fmt.Sprintf("; %s %s", d.RunnerUp, thousands(d.RunnerUpMatched))
	}
	return out
}

func defaultReading(family string) string {
	for _, f := range metrics.Families() {
		if f.Name() == family {
			return f.Readings()[0]
		}
	}
	return ""
}

// thousands writes 1234567 as 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// learningRows are the Definitions sheet's rows for what was learned: the
// office hours, every family's reading per source with its evidence, the
// fields a source states nowhere, and the findings.
func learningRows(s Summary) [][]any {
	oh := s.OfficeHours
	rows := [][]any{{"office hours", oh.Source, oh.Schedule + zoneSuffix(oh.Timezone), learnedText(oh), oh.Warning}}
	for _, d := range s.Definitions {
		runner := ""
		if d.RunnerUp != "" {
			runner = fmt.Sprintf("runner-up %s: %s", d.RunnerUp, thousands(d.RunnerUpMatched))
		}
		rows = append(rows, []any{"reading (" + d.Source + ")", d.Family, d.Reading + " (" + d.How + ")",
			fmt.Sprintf("reproduces %s of %s compared (%s tell the readings apart)", thousands(d.Matched), thousands(d.Compared), thousands(d.Telling)), runner})
	}
	for _, n := range s.NotStated {
		rows = append(rows, []any{"not stated", n.Field, "the " + n.Source + " leaves it empty in all " + thousands(n.Records) + " records", "compared nowhere", ""})
	}
	for _, f := range s.Findings {
		rows = append(rows, []any{"finding", f.Field, f.Text, strings.Join(f.IDs, " "), ""})
	}
	return rows
}

func zoneSuffix(zone string) string {
	if zone == "" {
		return ""
	}
	return " in " + zone
}

// learnedText says what the data showed of the office hours.
func learnedText(oh OfficeHoursSummary) string {
	if oh.Learned == "" {
		return "nothing to learn from"
	}
	out := fmt.Sprintf("learned %s in %s: reproduces %s of %s durations", oh.Learned, oh.LearnedTimezone, thousands(oh.Reproduced), thousands(oh.Compared))
	if oh.GivenReproduced != nil {
		out += fmt.Sprintf("; the given hours reproduce %s", thousands(*oh.GivenReproduced))
	}
	if len(oh.SameFit) > 0 {
		out += "; as good in " + strings.Join(oh.SameFit, ", ")
	}
	if oh.RunnerUp != "" {
		out += "; next best " + oh.RunnerUp
	}
	return out
}

// writeLearningMarkdown is evidence.md's account of the definitions
// applied: the office hours and the readings other than the defaults.
func writeLearningMarkdown(md *strings.Builder, s Summary) {
	md.WriteString("## Definitions applied\n\n")
	oh := s.OfficeHours
	fmt.Fprintf(md, "- Office hours (%s): %s%s. %s.\n", oh.Source, oh.Schedule, zoneSuffix(oh.Timezone), upperFirst(learnedText(oh)))
	others := 0
	for _, d := range s.Definitions {
		if d.Reading == defaultReading(d.Family) && d.How != "pinned" {
			others++
			continue
		}
		fmt.Fprintf(md, "- %s, %s: %s.\n", d.Source, d.Family, readingEvidence(d))
	}
	if others > 0 {
		fmt.Fprintf(md, "- Every other reading is Intercom's default (docs/metrics.md §6), confirmed by the data or not told apart by it (%d).\n", others)
	}
	for _, n := range s.NotStated {
		fmt.Fprintf(md, "- %s is not stated by the %s (empty in all %s records): compared nowhere.\n", n.Field, n.Source, thousands(n.Records))
	}
	md.WriteString("\n")
}
