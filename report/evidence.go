package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/icrecon/icrecon/reconcile"
)

// EvidenceInput is what the evidence bundle is written from.
type EvidenceInput struct {
	Summary        Summary
	Result         *reconcile.Result
	DifferencesCSV string
	AppID          string
	// IncludePersonalData adds the customer's name and e-mail (from the
	// export) to the id lists. Off by default: the bundle is for a support
	// ticket and carries ids, times, values and causes only.
	IncludePersonalData bool
}

// evidenceSample is how many ids a step or cause shows in evidence.md; the
// CSV beside it lists them all.
const evidenceSample = 20

// WriteEvidence writes dir/evidence.md and one CSV of conversation ids per
// bridge step and per cause: what an analyst attaches to a ticket with
// Intercom. No names, e-mail addresses, phone numbers or message bodies
// appear unless IncludePersonalData is set.
func WriteEvidence(dir string, in EvidenceInput) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	e := &evidence{dir: dir, in: in}
	if in.IncludePersonalData {
		e.personal = map[string][2]string{}
		in.Result.EachConversation(func(c reconcile.ConversationRow) error {
			if c.CustomerName != "" || c.CustomerEmail != "" {
				e.personal[c.ID] = [2]string{c.CustomerName, c.CustomerEmail}
			}
			return nil
		})
	}
	var md strings.Builder
	e.header(&md)
	writeLearningMarkdown(&md, in.Summary)
	for i, fig := range in.Result.Figures {
		if err := e.figure(&md, i, fig, in.Summary.Figures[i]); err != nil {
			return err
		}
	}
	if err := e.causes(&md); err != nil {
		return err
	}
	e.rules(&md)
	return os.WriteFile(filepath.Join(dir, "evidence.md"), []byte(md.String()), 0o644)
}

type evidence struct {
	dir      string
	in       EvidenceInput
	personal map[string][2]string
}

func (e *evidence) header(md *strings.Builder) {
	s := e.in.Summary
	ws := s.Workspace
	fmt.Fprintf(md, "# Evidence: Intercom figures that do not agree\n\n")
	fmt.Fprintf(md, "Produced by %s %s on %s with:\n\n```\n%s\n```\n\n", s.Tool.Name, s.Tool.Version, s.Tool.GeneratedAt, s.Tool.Command)
	fmt.Fprintf(md, "Workspace: time zone %s; office hours %s", ws.Timezone, ws.OfficeHours)
	if len(ws.ClosedDays) > 0 {
		fmt.Fprintf(md, "; closed %s", strings.Join(ws.ClosedDays, ", "))
	}
	if ws.AppID != "" {
		fmt.Fprintf(md, "; app %s", ws.AppID)
	}
	fmt.Fprintf(md, ". Readings of ambiguous definitions: %s.\n\n", ws.Variants)
	if !e.in.IncludePersonalData {
		md.WriteString("This bundle holds conversation ids, times, values and causes only: no names, e-mail addresses, phone numbers or message bodies.\n\n")
	}
	md.WriteString("## Inputs\n\n| file | kind | SHA-256 | records | rejected | duplicates |\n|---|---|---|---|---|---|\n")
	for _, in := range s.Inputs {
		fmt.Fprintf(md, "| %s | %s | `%s` | %d | %d | %d |\n", in.Path, in.Kind, in.SHA256, in.Records, in.Rejected, in.Duplicates)
	}
	a := s.Accounting
	fmt.Fprintf(md, "\nEvery record is accounted for: export rows %d read = %d accepted + %d rejected + %d duplicates; API records %d read = %d accepted + %d rejected + %d duplicates. Conversations: %d = %d matched + %d only in the export + %d only in the API pulls.\n\n",
		a.ExportRows, a.ExportRows-a.ExportRejected-a.ExportDuplicates, a.ExportRejected, a.ExportDuplicates,
		a.APIRecords, a.APIRecords-a.APIRejected-a.APIDuplicates, a.APIRejected, a.APIDuplicates,
		a.Conversations, a.Matched, a.ExportOnly, a.APIOnly)
}

// figure writes one figure's question, values and bridge, with a CSV of the
// ids each step moved.
func (e *evidence) figure(md *strings.Builder, i int, fig reconcile.FigureResult, fs FigureSummary) error {
	duration := !fig.Count
	show := func(n float64) string { return showValue(n, duration) }
	hours := ""
	if duration {
		hours = ", " + string(fig.TargetHours) + " hours"
	}
	fmt.Fprintf(md, "## %d. %s, %s to %s (%s%s)\n\n", i+1, fs.Metric, fs.From, fs.To, fs.Timezone, hours)
	fmt.Fprintf(md, "**Question.** The dashboard shows %s (typed as `%s`); the Reports export gives %s. Why?\n\n",
		show(fig.Figure.Value), fig.Figure.Raw, show(fig.Naive))
	fmt.Fprintf(md, "| | value |\n|---|---|\n| dashboard | %s |\n| export, counted naively | %s |\n| recomputed under Intercom's definition | %s |\n| residual (unexplained) | %s |\n\n",
		show(fig.Figure.Value), show(fig.Naive), show(fig.Recomputed), show(fig.Residual))
	fmt.Fprintf(md, "Definition applied: %s; %s.\n\n", fig.Best.Description, fig.Applied)
	if len(fig.Bridge) == 0 {
		md.WriteString("The export's value needs no step to reach the recomputed one.\n\n")
		return nil
	}
	md.WriteString("| step | change | value after | conversations | sample ids |\n|---|---|---|---|---|\n")
	for j, st := range fig.Bridge {
		name := fmt.Sprintf("bridge-%02d-%s-%s-%s-%02d-%s.csv", i+1, fs.Metric, fs.From, fs.To, j+1, st.Cause)
		if len(st.IDs) > 0 {
			if err := e.idList(name, st.IDs); err != nil {
				return err
			}
		}
		fmt.Fprintf(md, "| %s | %s | %s | %d | %s |\n", st.Cause, signed(st.Delta, duration), show(st.Value), len(st.IDs), e.sample(st.IDs, name))
	}
	fmt.Fprintf(md, "| residual | %s | %s | | |\n\n", signed(fig.Residual, duration), show(fig.Figure.Value))
	return nil
}

// causes writes, per cause, how many differences and a CSV of them,
// streaming differences.csv rather than holding it.
func (e *evidence) causes(md *strings.Builder) error {
	type causeFile struct {
		list *listFile
		rows int
		ids  []string // distinct, in order
		seen map[string]bool
	}
	files := map[string]*causeFile{}
	defer func() {
		for _, cf := range files {
			cf.list.f.Close()
		}
	}()
	err := eachCSVRow(e.in.DifferencesCSV, func(r []string) error {
		cf := files[r[6]]
		if cf == nil {
			list, err := e.create("cause-"+r[6]+".csv", []string{"conversation_id", "field", "left", "left_value", "right", "right_value", "link"})
			if err != nil {
				return err
			}
			cf = &causeFile{list: list, seen: map[string]bool{}}
			files[r[6]] = cf
		}
		cf.rows++
		if !cf.seen[r[0]] {
			cf.seen[r[0]] = true
			cf.ids = append(cf.ids, r[0])
		}
		return cf.list.write([]string{r[0], r[1], r[2], r[3], r[4], r[5], e.link(r[0])})
	})
	if err != nil {
		return err
	}
	md.WriteString("## Differences between the sources, by cause\n\n")
	if len(files) == 0 {
		md.WriteString("The export, the API's statistics and the recomputation agree on every field they share.\n\n")
		return nil
	}
	md.WriteString("| cause | differences | file | sample ids |\n|---|---|---|---|\n")
	for _, c := range reconcile.Causes() {
		cf := files[c.String()]
		if cf == nil {
			continue
		}
		if err := cf.list.close(); err != nil {
			return err
		}
		fmt.Fprintf(md, "| %s | %d | %s | %s |\n", c, cf.rows, cf.list.name, e.sample(cf.ids, cf.list.name))
	}
	md.WriteString("\n")
	return nil
}

func (e *evidence) rules(md *strings.Builder) {
	md.WriteString("## How each cause is decided\n\nThe detectors are tried in this order; the first that holds names the cause.\n\n")
	for _, c := range reconcile.Causes() {
		fmt.Fprintf(md, "- `%s`: %s.\n", c, reconcile.CauseRules[c])
	}
	md.WriteString("\nDefinitions: docs/metrics.md and docs/reconcile.md in icrecon.\n")
}

// sample shows up to evidenceSample ids, linked to Intercom when the app id
// is known.
func (e *evidence) sample(ids []string, file string) string {
	var parts []string
	for i, id := range ids {
		if i == evidenceSample {
			parts = append(parts, fmt.Sprintf("… all %d in %s", len(ids), file))
			break
		}
		if link := e.link(id); link != "" {
			id = fmt.Sprintf("[%s](%s)", id, link)
		} else {
			id = markdownText(id)
		}
		parts = append(parts, id)
	}
	return strings.Join(parts, ", ")
}

func (e *evidence) idList(name string, ids []string) error {
	list, err := e.create(name, []string{"conversation_id", "link"})
	if err != nil {
		return err
	}
	defer list.f.Close()
	for _, id := range ids {
		if err := list.write([]string{id, e.link(id)}); err != nil {
			return err
		}
	}
	return list.close()
}

// listFile is one CSV of the bundle. Each row starts with a conversation id;
// the customer's name and e-mail are appended when personal data was asked
// for.
type listFile struct {
	name     string
	f        *os.File
	w        *csvWriter
	personal map[string][2]string
}

func (e *evidence) create(name string, header []string) (*listFile, error) {
	name = safeFileName(name)
	f, err := os.Create(filepath.Join(e.dir, name))
	if err != nil {
		return nil, err
	}
	l := &listFile{name: name, f: f, w: newCSVWriter(f), personal: e.personal}
	if l.personal != nil {
		header = append(header, "customer_name", "customer_email")
	}
	if err := l.w.Write(header); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

func (l *listFile) write(r []string) error {
	if l.personal != nil {
		p := l.personal[r[0]]
		r = append(r, p[0], p[1])
	}
	return l.w.Write(r)
}

func (l *listFile) close() error {
	if err := l.w.Close(); err != nil {
		return err
	}
	return l.f.Close()
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

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeFileName(name string) string { return unsafeChars.ReplaceAllString(name, "_") }

// showValue renders a count, or a duration as 1h 02m 03s; "—" for none.
func showValue(n float64, duration bool) string {
	switch {
	case math.IsNaN(n):
		return "—"
	case !duration:
		return fmt.Sprintf("%.0f", n)
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
