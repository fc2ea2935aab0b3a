package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/reconcile"
)

// EvidenceInput is what the evidence bundle is written from.
type EvidenceInput struct {
	Summary Summary
	Result  *reconcile.Result
	// DifferencesCSV is differences.csv as written, beside dir (bridge.csv
	// is beside it too): evidence.md refers to both rather than copying them.
	DifferencesCSV string
	AppID          string
	// IncludePersonalData adds customers.csv: the customer's name and e-mail
	// (from the export) of each conversation the bundle names. Off by
	// default: the bundle is for a support ticket and carries ids, times,
	// values and causes only.
	IncludePersonalData bool
}

// evidenceSample is how many ids a bridge step or an unexplained field
// shows in evidence.md, each linked to Intercom; bridge.csv and
// differences.csv list them all. A few are enough to open; more only bury
// the table.
const evidenceSample = 3

// WriteEvidence writes dir/evidence.md, what an analyst attaches to a
// ticket with Intercom, and with IncludePersonalData dir/customers.csv.
// It holds no list that another output holds: the ids are in bridge.csv
// and differences.csv, beside dir, and evidence.md says how to find each
// step's and each difference's rows there (WriteEvidenceZip packs the
// three). evidence.md is written for the person who receives the ticket:
// what is asked first (the figures with an unexplained residual and the
// differences no cause explains), the evidence for each, then the
// explained figures in brief, the inputs, the definitions applied and the
// command. No names, e-mail addresses, phone numbers or message bodies
// appear unless IncludePersonalData is set, and then only in customers.csv.
func WriteEvidence(dir string, in EvidenceInput) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	e := &evidence{dir: dir, in: in}
	e.bridgeRows()
	diffs, err := e.tallyDifferences()
	if err != nil {
		return err
	}
	if in.IncludePersonalData {
		if err := e.customers(diffs.ids); err != nil {
			return err
		}
	}
	var md strings.Builder
	open := e.openFigures()
	e.summary(&md, open, diffs)
	e.files(&md)
	for n, i := range open {
		e.openFigure(&md, n+1, i)
	}
	if diffs.unexplained > 0 {
		e.unexplained(&md, len(open)+1, diffs)
	}
	e.explainedFigures(&md, open)
	e.explainedDifferences(&md, diffs)
	e.inputs(&md)
	writeLearningMarkdown(&md, e.in.Summary)
	e.rules(&md)
	e.colophon(&md)
	return os.WriteFile(filepath.Join(dir, "evidence.md"), []byte(md.String()), 0o644)
}

type evidence struct {
	dir string
	in  EvidenceInput
	// stepRows are, per figure and bridge step, the first and last row of
	// bridge.csv that hold the step's ids (zero for a step that moved none).
	stepRows [][][2]int
}

// bridgeRows works out where each step's ids are in bridge.csv, as
// WriteBridgeCSV writes it: a header (row 1, as a spreadsheet numbers
// rows), then the figures in order, each step's ids in order.
func (e *evidence) bridgeRows() {
	row := 1
	for _, fig := range e.in.Result.Figures {
		rows := make([][2]int, len(fig.Bridge))
		for j, st := range fig.Bridge {
			if len(st.IDs) == 0 {
				continue
			}
			rows[j] = [2]int{row + 1, row + len(st.IDs)}
			row += len(st.IDs)
		}
		e.stepRows = append(e.stepRows, rows)
	}
}

// files says, once, where the ids are and how to find a step's or a
// difference's rows: the person at Intercom opens the CSVs in a
// spreadsheet and filters.
func (e *evidence) files(md *strings.Builder) {
	md.WriteString("**Where the ids are.** Each list of conversation ids is written once, in one of two CSV files in the folder above this one (on disk as in evidence.zip):\n\n")
	md.WriteString("- [bridge.csv](../bridge.csv), one row per conversation a bridge step moved (`figure,step,metric,from,to,cause,conversation_id`). A step's conversations are the rows with its figure's number and its step's number, both given below; the bridge tables also give their row numbers (the header is row 1).")
	md.WriteString("\n- [differences.csv](../differences.csv), one row per value that differs between two sources (`conversation_id,field,left,left_value,right,right_value,cause,reading`). The unexplained ones are the rows whose cause is `unexplained`.\n\n")
}

// openFigures are the indices of the figures that leave something
// unexplained (reconcile.FigureResult.Open): what the ticket asks about.
func (e *evidence) openFigures() []int {
	var out []int
	for i, fig := range e.in.Result.Figures {
		if fig.Open() {
			out = append(out, i)
		}
	}
	return out
}

// summary is the top of evidence.md: in a few lines, what is asked.
func (e *evidence) summary(md *strings.Builder, open []int, d *differenceTally) {
	s := e.in.Summary
	md.WriteString("# Evidence: Intercom figures that do not agree\n\n")
	figures := len(e.in.Result.Figures)
	where := ""
	if e.in.AppID != "" {
		where = " of workspace " + mdWord(e.in.AppID)
	}
	if len(open) == 0 && d.unexplained == 0 {
		fmt.Fprintf(md, "**Nothing to ask.** The %s of the %s conversations%s were recomputed under Intercom's documented definitions: %s. The evidence follows in brief.\n\n",
			plural(figures, "dashboard figure", "dashboard figures"), thousands(s.Accounting.Conversations), where, e.rest(open, d))
		return
	}
	fmt.Fprintf(md, "**What we ask.** icrecon recomputed %s from the %s conversations%s under Intercom's documented definitions. These are left that no known cause explains:\n\n",
		plural(figures, "dashboard figure", "dashboard figures"), thousands(s.Accounting.Conversations), where)
	n := 0
	for _, i := range open {
		n++
		fig, fs := e.in.Result.Figures[i], s.Figures[i]
		show := func(v float64) string { return showValue(v, !fig.Count) }
		fmt.Fprintf(md, "%d. **%s**, %s: the dashboard shows %s where the definition gives %s, %s (§%d).\n",
			n, fs.Metric, e.period(fig), show(fig.Figure.Value), show(fig.Recomputed), residualWords(fig), n)
	}
	if d.unexplained > 0 {
		n++
		fmt.Fprintf(md, "%d. **%s on %s** %s between the sources with no known cause: %s (§%d).\n",
			n, plural(d.unexplained, "value", "values"), plural(d.unexplainedConversations, "conversation", "conversations"), verb(d.unexplained, "differs", "differ"), d.groupList(), n)
		for _, f := range s.Findings {
			fmt.Fprintf(md, "   Systematic: %s.\n", markdownText(f.Text))
		}
	}
	fmt.Fprintf(md, "\nEverything else, in brief below: %s.\n\n", e.rest(open, d))
}

// rest says what is not asked: the figures explained in full, those whose
// residual these inputs cannot settle, and the differences with a cause.
func (e *evidence) rest(open []int, d *differenceTally) string {
	explained, unsettled := 0, 0
	for i, fig := range e.in.Result.Figures {
		switch {
		case slices.Contains(open, i):
		case fig.Residual == 0:
			explained++
		default:
			unsettled++
		}
	}
	var parts []string
	if explained > 0 || unsettled == 0 {
		parts = append(parts, plural(explained, "figure", "figures")+" explained in full")
	}
	if unsettled > 0 {
		parts = append(parts, fmt.Sprintf("%s with a residual these inputs cannot settle (a source not covering the period, or not checked without a source), not asked about", plural(unsettled, "figure", "figures")))
	}
	switch n := d.rows - d.unexplained; {
	case n > 0:
		parts = append(parts, plural(n, "difference", "differences")+" between the sources"+verb(n, " with", ", each with")+" a known cause")
	case d.rows == 0:
		parts = append(parts, "no difference between the sources")
	}
	return strings.Join(parts, "; ")
}

// period is "2025-10-01 to 2025-10-31 (America/Vancouver, office hours)".
func (e *evidence) period(fig reconcile.FigureResult) string {
	hours := ""
	if !fig.Count {
		hours = ", " + string(fig.TargetHours) + " hours"
	}
	return fmt.Sprintf("%s to %s (%s%s)", fig.Figure.From, fig.Figure.To, fig.Zone, hours)
}

// residualWords says what is unexplained: "3 conversations more", "its
// median 0m 01s longer".
func residualWords(fig reconcile.FigureResult) string {
	r := fig.Residual
	more, longer := "more", "longer"
	if r < 0 {
		more, longer = "fewer", "shorter"
	}
	if fig.Count {
		n := int(math.Round(math.Abs(r)))
		return fmt.Sprintf("%s %s", plural(n, "conversation", "conversations"), more)
	}
	return fmt.Sprintf("%s %s", showValue(math.Abs(r), true), longer)
}

// question is what the ticket asks about an open figure.
func question(fig reconcile.FigureResult) string {
	r := fig.Residual
	if fig.Count {
		n := plural(int(math.Round(math.Abs(r))), "conversation", "conversations")
		if r > 0 {
			return fmt.Sprintf("The dashboard counts %s more than Intercom's documented definition gives over every conversation we hold. Which are they, and why does the dashboard count them?", n)
		}
		return fmt.Sprintf("The dashboard counts %s fewer than Intercom's documented definition gives over every conversation we hold. Which does it leave out, and why?", n)
	}
	longer := "longer"
	if r < 0 {
		longer = "shorter"
	}
	return fmt.Sprintf("The dashboard's median is %s %s than Intercom's documented definition gives over every conversation we hold. Which values does the dashboard take differently?", showValue(math.Abs(r), true), longer)
}

// openFigure writes the evidence for one figure with an unexplained
// residual: its values, the definition, the readings tried and the bridge.
func (e *evidence) openFigure(md *strings.Builder, n, i int) {
	fig, fs := e.in.Result.Figures[i], e.in.Summary.Figures[i]
	show := func(v float64) string { return showValue(v, !fig.Count) }
	fmt.Fprintf(md, "## %d. %s, %s\n\nFigure %d of the dashboard. %s\n\n", n, fs.Metric, e.period(fig), i+1, question(fig))
	fmt.Fprintf(md, "| | value |\n|---|---|\n| dashboard, typed as “%s” | %s |\n| %s | %s |\n| recomputed: Intercom's definition over every conversation known | %s |\n| unexplained | %s |\n\n",
		markdownText(fig.Figure.Raw), show(fig.Figure.Value), e.naiveWords(fig), show(fig.Naive), show(fig.Recomputed), signed(fig.Residual, !fig.Count))
	applied, tried := readingsTried(fig)
	fmt.Fprintf(md, "**Definition applied:** %s; %s.\n", applied, fs.Applied)
	if tried != "" {
		fmt.Fprintf(md, "Readings tried, nearest the dashboard first (docs/reconcile.md, Definition search): %s.\n", tried)
	}
	for _, note := range fig.Notes {
		fmt.Fprintf(md, "Note: %s.\n", note)
	}
	md.WriteString("\n")
	if len(fig.Bridge) == 0 {
		md.WriteString("The export's value needs no step to reach the recomputed one.\n\n")
		return
	}
	fmt.Fprintf(md, "**Bridge** from %s to the dashboard's %s, with the rows of bridge.csv that hold each step's ids:\n\n", show(fig.Naive), show(fig.Figure.Value))
	md.WriteString("| step | what it is | change | value after | conversations | rows of bridge.csv | e.g. |\n|---|---|---|---|---|---|---|\n")
	for j, st := range fig.Bridge {
		fmt.Fprintf(md, "| %d. %s | %s | %s | %s | %s | %s | %s |\n", j+1, st.Cause, stepMeaning[st.Cause], signed(st.Delta, !fig.Count), show(st.Value), thousands(len(st.IDs)), rowRange(e.stepRows[i][j]), e.sample(st.IDs))
	}
	fmt.Fprintf(md, "| **unexplained** | | %s | %s | | | |\n\n", signed(fig.Residual, !fig.Count), show(fig.Figure.Value))
}

// rowRange reads "37–69", "5" for one row, "" for none.
func rowRange(r [2]int) string {
	switch {
	case r[0] == 0:
		return ""
	case r[0] == r[1]:
		return thousands(r[0])
	}
	return thousands(r[0]) + "–" + thousands(r[1])
}

// naiveWords says what the naive value is: what an analyst computes from
// the export alone (or from the pulls alone), never what a source "gives".
func (e *evidence) naiveWords(fig reconcile.FigureResult) string {
	if !e.hasExport() {
		if fig.Count {
			return "counting the pulled conversations created in the period"
		}
		return "the median of the API's own statistic over the pulled conversations created in the period"
	}
	if fig.Count {
		words := "counting the export's rows whose conversation started in the period"
		if fig.Figure.Metric == "reopened_conversations" {
			words += " (the export states no reopens: this is every row)"
		}
		return words
	}
	column := exportColumns[fig.Figure.Metric]
	if fig.Figure.Hours == intercom.HoursOffice {
		column = exportColumnsOffice[fig.Figure.Metric]
	}
	if column == "" {
		return "the median of the export's column, over its rows whose conversation started in the period"
	}
	return "the median of the export's column “" + column + "”, over its rows whose conversation started in the period"
}

// The export's duration columns a median's naive value is taken from (the
// all-hours column, or the office-hours one when the figure says office:
// parse/exportcolumns.go, docs/reconcile.md "The three values").
var (
	exportColumns = map[string]string{
		"median_first_response_time": "First response time (seconds)",
		"median_time_to_close":       "Time to close (seconds)",
		"median_time_to_first_close": "Time to first close (seconds)",
	}
	exportColumnsOffice = map[string]string{
		"median_first_response_time": "First response time only within office hours (seconds)",
		"median_time_to_close":       "Time to close within office hours (seconds)",
		"median_time_to_first_close": "Time to first close within office hours (seconds)",
	}
)

// naiveLabel is naiveWords in brief, for a line of the explained figures.
func (e *evidence) naiveLabel(fig reconcile.FigureResult) string {
	switch {
	case e.hasExport() && fig.Count:
		return "export rows started in the period"
	case e.hasExport():
		return "median of the export's column"
	case fig.Count:
		return "pulled conversations created in the period"
	}
	return "median of the API's statistic"
}

func (e *evidence) hasExport() bool {
	for _, in := range e.in.Summary.Inputs {
		if in.Kind == "export_csv" {
			return true
		}
	}
	return e.in.Summary.Accounting.ExportRows > 0
}

// stepMeaning says in a few words what a bridge step moves or changes
// (docs/reconcile.md, The bridge). A cause that is both a cohort step and a
// value step (bot_author, office_hours) is worded to fit both.
var stepMeaning = map[string]string{
	"duplicate":        "export rows whose conversation id appears earlier in the export",
	"timezone":         "started in the period in one zone but not in the other (the export's, the figure's)",
	"export_only":      "conversations only the export holds: nothing moves, their values are the export's",
	"message_type":     "conversations the customer did not begin",
	"no_contact_reply": "conversations without any message from the customer",
	"scope":            "conversations without the metric's subject: no reply, close or reopen by anyone",
	"bot_author":       "the reply or close came from a bot, not a teammate",
	"time_basis":       "the metric's own time falls on the other side of the period than the thread start",
	"api_only":         "conversations in the API pulls but not in the export",
	"office_hours":     "durations within office hours instead of over all hours",
	"stale":            "the export was taken before the conversation last changed",
	"anchor":           "a duration measured from the creation, not the customer's first message",
	"reopened":         "the first close where the other source has the last",
	"definition":       "another documented reading of the definition",
	"rounding":         "within a second",
	"parts_truncated":  "the part history is cut (the API returns at most 500 parts)",
	"aggregation":      "the median rounded to the precision the dashboard shows",
}

// readingsTried returns the reading the recomputation applied (the one
// that changes nothing of the registry's: "scope=has a close basis=…") and
// the nearest readings the definition search tried, each by what it
// changes: "152 as applied; 153 with zone=UTC". The nearest is the
// figure's best_definition.
func readingsTried(fig reconcile.FigureResult) (applied, tried string) {
	if len(fig.Candidates) == 0 {
		return fig.Best.Description, ""
	}
	ref := fig.Candidates[0]
	for _, c := range fig.Candidates {
		if c.Changes == 0 {
			ref = c
			break
		}
	}
	base := readingParts(ref.Description)
	var parts []string
	for _, c := range fig.Candidates {
		if len(parts) == 4 {
			break
		}
		var changed []string
		for _, kv := range readingParts(c.Description) {
			if !slices.Contains(base, kv) {
				changed = append(changed, kv)
			}
		}
		switch {
		case c.Description == ref.Description:
			parts = append(parts, showValue(c.Value, !fig.Count)+" as applied")
		case len(changed) > 0:
			parts = append(parts, showValue(c.Value, !fig.Count)+" with "+strings.Join(changed, " "))
		}
	}
	return ref.Description, strings.Join(parts, "; ")
}

var readingKey = regexp.MustCompile(`[a-z_]+=`)

// readingParts splits "scope=has a close basis=last_close_at" into
// "scope=has a close" and "basis=last_close_at".
func readingParts(desc string) []string {
	at := readingKey.FindAllStringIndex(desc, -1)
	var out []string
	for k, loc := range at {
		end := len(desc)
		if k+1 < len(at) {
			end = at[k+1][0]
		}
		out = append(out, strings.TrimSpace(desc[loc[0]:end]))
	}
	return out
}

// unexplained writes the differences no cause explains, by field and pair
// of sources, with a few examples each.
func (e *evidence) unexplained(md *strings.Builder, n int, d *differenceTally) {
	fmt.Fprintf(md, "## %d. Values no known cause explains\n\n", n)
	fmt.Fprintf(md, "%s on %s %s between two sources (the Reports export, the API's conversation statistics, or the value recomputed from the conversation's parts) and none of the causes under \"How each cause is decided\" holds. All of them are in differences.csv.\n\n",
		plural(d.unexplained, "value", "values"), plural(d.unexplainedConversations, "conversation", "conversations"), verb(d.unexplained, "differs", "differ"))
	for _, f := range e.in.Summary.Findings {
		fmt.Fprintf(md, "Systematic: %s.\n\n", markdownText(f.Text))
	}
	md.WriteString("| field | sources | values | e.g. (conversation: left, right) |\n|---|---|---|---|\n")
	for _, g := range d.groups {
		var examples []string
		for _, x := range g.examples {
			examples = append(examples, fmt.Sprintf("%s: %s, %s", e.idLink(x[0]), showField(g.field, x[1]), showField(g.field, x[2])))
		}
		if g.rows > len(g.examples) {
			examples = append(examples, "…")
		}
		fmt.Fprintf(md, "| %s | %s vs %s | %s | %s |\n", mdWord(g.field), g.left, g.right, thousands(g.rows), strings.Join(examples, "; "))
	}
	md.WriteString("\n")
}

// showField shows a value of differences.csv for people: a duration as
// 1h 02m 03s, anything else as read.
func showField(field, v string) string {
	if v == "" {
		return "(none)"
	}
	for _, f := range intercom.StatFields {
		if f.Name == field && f.Kind == intercom.KindSeconds {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return formatDuration(n)
			}
		}
	}
	return markdownText(v)
}

// explainedFigures writes one line per figure that leaves nothing to ask.
func (e *evidence) explainedFigures(md *strings.Builder, open []int) {
	figures := e.in.Result.Figures
	if len(figures) == len(open) {
		return
	}
	md.WriteString("## Explained figures\n\n")
	naive := "the export alone: its rows whose conversation started in the period, counted, or for a median the median of the export's column over them"
	if !e.hasExport() {
		naive = "the pulls alone: the pulled conversations created in the period, counted, or for a median the median of the API's own statistic over them"
	}
	fmt.Fprintf(md, "Each figure: the dashboard; recomputed, Intercom's definition over every conversation known; what an analyst computes from %s; then the steps of the bridge from that value to the dashboard (every id: bridge.csv).", naive)
	var notChecked []string
	for _, fig := range figures {
		for _, s := range fig.NotChecked {
			if !slices.Contains(notChecked, s) {
				notChecked = append(notChecked, s)
			}
		}
	}
	for _, s := range notChecked {
		fmt.Fprintf(md, " Not checked %s.", s)
	}
	md.WriteString("\n\n")
	for i, fig := range figures {
		if slices.Contains(open, i) {
			continue
		}
		show := func(v float64) string { return showValue(v, !fig.Count) }
		fmt.Fprintf(md, "- %s, %s: dashboard %s, recomputed %s, %s %s", e.in.Summary.Figures[i].Metric, e.period(fig), show(fig.Figure.Value), show(fig.Recomputed), e.naiveLabel(fig), show(fig.Naive))
		if fig.Count && fig.Figure.Metric == "reopened_conversations" && e.hasExport() {
			md.WriteString(" (not a count of reopens: the export states none)")
		}
		var steps []string
		for _, st := range fig.Bridge {
			if st.Delta != 0 && !math.IsNaN(st.Delta) {
				steps = append(steps, st.Cause+" "+signed(st.Delta, !fig.Count))
			}
		}
		fmt.Fprintf(md, ". %s.", explainedVerdict(fig, steps))
		for _, note := range fig.Notes {
			fmt.Fprintf(md, " %s.", upperFirst(note))
		}
		md.WriteString("\n")
	}
	md.WriteString("\n")
}

// explainedVerdict says in words why a figure is not asked about, with
// the steps that moved it: fully explained, or what is left and why that is
// not unexplained. A source that does not cover the period is said either
// way.
func explainedVerdict(fig reconcile.FigureResult, steps []string) string {
	how := "none"
	if len(steps) > 0 {
		how = strings.Join(steps, ", ")
	}
	cover := ""
	if len(fig.Coverage) > 0 {
		cover = "the " + strings.Join(fig.Coverage, " and the ") + " does not cover the whole period"
	}
	switch {
	case math.IsNaN(fig.Residual):
		return "Nothing to compare: a median of no values"
	case fig.Residual == 0 && cover != "":
		return "Explained (though " + cover + "): " + how
	case fig.Residual == 0 && len(steps) == 0:
		return "Explained: the values agree"
	case fig.Residual == 0:
		return "Explained: " + how
	case cover != "":
		return fmt.Sprintf("%s left, not asked about: %s. Steps: %s", signed(fig.Residual, !fig.Count), cover, how)
	}
	return fmt.Sprintf("%s left, not asked about: not checked %s. Steps: %s", signed(fig.Residual, !fig.Count), strings.SplitN(fig.NotChecked[0], ":", 2)[0], how)
}

// explainedDifferences sums up the differences with a cause.
func (e *evidence) explainedDifferences(md *strings.Builder, d *differenceTally) {
	explained := d.rows - d.unexplained
	if explained == 0 {
		return
	}
	md.WriteString("## Explained differences\n\n")
	var causes []reconcile.Cause
	for _, c := range reconcile.Causes() {
		if d.causes[c.String()] > 0 && c != reconcile.Unexplained {
			causes = append(causes, c)
		}
	}
	slices.SortStableFunc(causes, func(a, b reconcile.Cause) int { return d.causes[b.String()] - d.causes[a.String()] })
	var parts []string
	for _, c := range causes {
		parts = append(parts, fmt.Sprintf("%s %s", c, thousands(d.causes[c.String()])))
	}
	fmt.Fprintf(md, "%s between the sources %s a known cause: %s. Every one is in differences.csv, with its cause.\n\n",
		plural(explained, "difference", "differences"), verb(explained, "has", "have"), strings.Join(parts, ", "))
}

func (e *evidence) inputs(md *strings.Builder) {
	s := e.in.Summary
	md.WriteString("## Inputs\n\n| file | kind | SHA-256 | records | rejected | duplicates |\n|---|---|---|---|---|---|\n")
	for _, in := range s.Inputs {
		fmt.Fprintf(md, "| %s | %s | `%s` | %s | %s | %s |\n", mdWord(in.Path), in.Kind, in.SHA256, thousands(in.Records), thousands(in.Rejected), thousands(in.Duplicates))
	}
	a := s.Accounting
	fmt.Fprintf(md, "\nEvery record is accounted for: export rows %s read = %s accepted + %s rejected + %s duplicates; API records %s read = %s accepted + %s rejected + %s duplicates. Conversations: %s = %s matched + %s only in the export + %s only in the API pulls.\n\n",
		thousands(a.ExportRows), thousands(a.ExportRows-a.ExportRejected-a.ExportDuplicates), thousands(a.ExportRejected), thousands(a.ExportDuplicates),
		thousands(a.APIRecords), thousands(a.APIRecords-a.APIRejected-a.APIDuplicates), thousands(a.APIRejected), thousands(a.APIDuplicates),
		thousands(a.Conversations), thousands(a.Matched), thousands(a.ExportOnly), thousands(a.APIOnly))
	ws := s.Workspace
	fmt.Fprintf(md, "Workspace: time zone %s; office hours %s", cmpOr(ws.Timezone, "none given"), ws.OfficeHours)
	if len(ws.ClosedDays) > 0 {
		fmt.Fprintf(md, "; closed %s", strings.Join(ws.ClosedDays, ", "))
	}
	if ws.AppID != "" {
		fmt.Fprintf(md, "; app %s", mdWord(ws.AppID))
	}
	md.WriteString(".\n\n")
}

func (e *evidence) rules(md *strings.Builder) {
	md.WriteString("### How each cause is decided\n\nThe detectors are tried in this order; the first that holds names the cause of a difference.\n\n")
	for _, c := range reconcile.Causes() {
		fmt.Fprintf(md, "- `%s`: %s.\n", c, reconcile.CauseRules[c])
	}
	md.WriteString("\nDefinitions: docs/metrics.md and docs/reconcile.md in icrecon.\n\n")
}

// colophon ends evidence.md: what the bundle holds and how it was made.
func (e *evidence) colophon(md *strings.Builder) {
	t := e.in.Summary.Tool
	md.WriteString("## This bundle\n\nevidence.zip holds this file, bridge.csv and differences.csv, laid out as in the folder they were written to")
	if e.in.IncludePersonalData {
		md.WriteString(", and customers.csv, beside this file: the customer's name and e-mail address from the export for each conversation bridge.csv or differences.csv names (--include-pii). No other file of the bundle holds them.\n\n")
	} else {
		md.WriteString(". The bundle holds conversation ids, times, values and causes only: no names, e-mail addresses, phone numbers or message bodies.\n\n")
	}
	fmt.Fprintf(md, "Produced by %s %s on %s with:\n\n```\n%s\n```\n", t.Name, t.Version, t.GeneratedAt, t.Command)
}

// differenceTally is what evidence.md says of the differences: how many of
// each cause, and the unexplained by field and pair of sources.
type differenceTally struct {
	rows                     int
	causes                   map[string]int // rows by cause
	unexplained              int
	unexplainedConversations int
	groups                   []*fieldGroup // unexplained, most first
	// ids are the conversations differences.csv names, kept only when
	// customers.csv is to be written.
	ids map[string]bool
}

// fieldGroup is the unexplained differences of one field between one pair
// of sources, with the first few as examples (id, left value, right value).
type fieldGroup struct {
	field, left, right string
	rows               int
	examples           [][3]string
}

// groupList reads "time_to_first_close_all_hours, export vs recomputed (2)".
func (d *differenceTally) groupList() string {
	var parts []string
	for k, g := range d.groups {
		if k == 3 {
			parts = append(parts, fmt.Sprintf("and %d more fields", len(d.groups)-k))
			break
		}
		parts = append(parts, fmt.Sprintf("%s, %s vs %s (%s)", mdWord(g.field), g.left, g.right, thousands(g.rows)))
	}
	return strings.Join(parts, "; ")
}

// tallyDifferences counts the differences by cause and groups the
// unexplained, streaming differences.csv rather than holding it.
func (e *evidence) tallyDifferences() (*differenceTally, error) {
	d := &differenceTally{causes: map[string]int{}}
	if e.in.IncludePersonalData {
		d.ids = map[string]bool{}
	}
	groups := map[[3]string]*fieldGroup{}
	unexplainedIDs := map[string]bool{}
	err := eachCSVRow(e.in.DifferencesCSV, func(r []string) error {
		cause := r[6]
		d.rows++
		d.causes[cause]++
		if d.ids != nil {
			d.ids[r[0]] = true
		}
		if cause != reconcile.Unexplained.String() {
			return nil
		}
		d.unexplained++
		unexplainedIDs[r[0]] = true
		key := [3]string{r[1], r[2], r[4]}
		g := groups[key]
		if g == nil {
			g = &fieldGroup{field: r[1], left: r[2], right: r[4]}
			groups[key] = g
			d.groups = append(d.groups, g)
		}
		g.rows++
		if len(g.examples) < evidenceSample {
			g.examples = append(g.examples, [3]string{r[0], r[3], r[5]})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.unexplainedConversations = len(unexplainedIDs)
	slices.SortStableFunc(d.groups, func(a, b *fieldGroup) int { return b.rows - a.rows })
	return d, nil
}

// customers writes customers.csv, conversation_id,name,email: the
// customer's name and e-mail from the export for each conversation the
// bundle names (in bridge.csv, or in differences.csv: named), in the order
// the conversations were read, leaving out those the export gives neither
// for. It is the only file of the bundle with personal data.
func (e *evidence) customers(named map[string]bool) error {
	for _, fig := range e.in.Result.Figures {
		for _, st := range fig.Bridge {
			for _, id := range st.IDs {
				named[id] = true
			}
		}
	}
	f, err := os.Create(filepath.Join(e.dir, "customers.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := newCSVWriter(f)
	if err := w.Write([]string{"conversation_id", "name", "email"}); err != nil {
		return err
	}
	err = e.in.Result.EachConversation(func(c reconcile.ConversationRow) error {
		if !named[c.ID] || c.CustomerName == "" && c.CustomerEmail == "" {
			return nil
		}
		return w.Write([]string{c.ID, c.CustomerName, c.CustomerEmail})
	})
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}

// sample shows up to evidenceSample ids, linked to Intercom when the app id
// is known, and "…" when there are more.
func (e *evidence) sample(ids []string) string {
	var parts []string
	for i, id := range ids {
		if i == evidenceSample {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, e.idLink(id))
	}
	return strings.Join(parts, ", ")
}

// idLink is an id as a Markdown link to the conversation, or as text when
// no link can be made.
func (e *evidence) idLink(id string) string {
	if link := e.link(id); link != "" {
		return fmt.Sprintf("[%s](%s)", id, link)
	}
	return markdownText(id)
}

// link is the conversation's address, or "" without an app id or for an id
// that is not Intercom's shape.
func (e *evidence) link(id string) string { return ConversationURL(e.in.AppID, id) }

// markdownText shows a text read from an input in evidence.md as itself:
// Markdown's punctuation escaped (no link, table cell or emphasis can come
// from an id), line breaks as spaces.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			r = ' '
		case strings.ContainsRune("\\`*_{}[]()<>#+-.!|~", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainWord is a text Markdown shows as itself anywhere inside a line or
// a table cell: a file path, a field name, an app id.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_./:-]*$`)

// mdWord shows s as itself: as it is when it is a plain word, else with
// Markdown's punctuation escaped (markdownText).
func mdWord(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return markdownText(s)
}

func cmpOr(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// plural is "1 value", "2 values", with thousands separated.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// verb agrees with a count: verb(1, "has", "have") is "has".
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// showValue renders a count (1,234), or a duration as 1h 02m 03s; "—" for
// none.
func showValue(n float64, duration bool) string {
	switch {
	case math.IsNaN(n):
		return "—"
	case !duration:
		return thousands(int(math.Round(n)))
	}
	return formatDuration(int64(math.Round(n)))
}

func signed(n float64, duration bool) string {
	switch {
	case math.IsNaN(n):
		return "—"
	case n > 0:
		return "+" + showValue(n, duration)
	case n < 0:
		return "−" + showValue(-n, duration)
	}
	return "0"
}

func formatDuration(s int64) string {
	h, m, sec := s/3600, s%3600/60, s%60
	if h > 0 {
		return fmt.Sprintf("%dh %02dm %02ds", h, m, sec)
	}
	return fmt.Sprintf("%dm %02ds", m, sec)
}
