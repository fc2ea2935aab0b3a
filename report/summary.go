package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/reconcile"
)

// SummarySchema names the summary.json format.
const SummarySchema = "icrecon.summary/v1"

// Summary is summary.json: the reconciliation's results for machines.
type Summary struct {
	Schema     string     `json:"schema"`
	Tool       Tool       `json:"tool"`
	Workspace  Workspace  `json:"workspace"`
	Inputs     []Input    `json:"inputs"`
	Accounting Accounting `json:"accounting"`
	// Findings are fields that disagree, unexplained, on a large share of
	// the conversations compared.
	Findings    []FindingSummary    `json:"findings"`
	OfficeHours OfficeHoursSummary  `json:"office_hours"`
	Definitions []DefinitionSummary `json:"definitions"`
	NotStated   []NotStatedSummary  `json:"not_stated"`
	// LegacyConversations were pulled in the part shape of API 2.5 or
	// earlier: their assignment and reply fields were not recomputed.
	LegacyConversations int             `json:"legacy_conversations"`
	Fields              []FieldSummary  `json:"fields"`
	Figures             []FigureSummary `json:"figures"`
}

// Tool identifies the run.
type Tool struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	GeneratedAt string `json:"generated_at"`
	Command     string `json:"command"`
}

// Workspace is what decided how Intercom computed its numbers.
type Workspace struct {
	Timezone    string   `json:"timezone"`
	OfficeHours string   `json:"office_hours"`
	ClosedDays  []string `json:"closed_days"`
	AppID       string   `json:"app_id"`
	Bots        []string `json:"bots"`
	Variants    string   `json:"variants"`
}

// Input is one file read.
type Input struct {
	Path       string `json:"path"`
	Kind       string `json:"kind"`
	SHA256     string `json:"sha256"`
	Records    int    `json:"records"`
	Rejected   int    `json:"rejected"`
	Duplicates int    `json:"duplicates"`
}

// Accounting is where every record and conversation went.
type Accounting struct {
	ExportRows       int  `json:"export_rows"`
	ExportRejected   int  `json:"export_rejected"`
	ExportDuplicates int  `json:"export_duplicates"`
	APIRecords       int  `json:"api_records"`
	APIRejected      int  `json:"api_rejected"`
	APIDuplicates    int  `json:"api_duplicates"`
	Conversations    int  `json:"conversations"`
	Matched          int  `json:"matched"`
	ExportOnly       int  `json:"export_only"`
	APIOnly          int  `json:"api_only"`
	OutsidePeriod    *int `json:"outside_period,omitempty"`
}

// FieldSummary tallies one field of one pair of sides.
type FieldSummary struct {
	Field       string         `json:"field"`
	Left        string         `json:"left"`
	Right       string         `json:"right"`
	Compared    int            `json:"compared"`
	Equal       int            `json:"equal"`
	Causes      map[string]int `json:"causes"`
	Unexplained int            `json:"unexplained"`
	// Ambiguous counts comparisons the sources' vocabularies could not
	// settle (the export's "Bot auto message" is a series or a bot).
	Ambiguous int `json:"ambiguous"`
	// StatedBy are the sides that state the field anywhere in the run (a
	// source that leaves it empty everywhere is not among them: see
	// not_stated).
	StatedBy []string `json:"stated_by"`
}

// FigureSummary is one dashboard figure reconciled.
type FigureSummary struct {
	Metric   string `json:"metric"`
	From     string `json:"from"`
	To       string `json:"to"`
	Timezone string `json:"timezone"`
	Hours    string `json:"hours"`
	// HoursGuessed: the dashboard row did not say, and the hours mode is
	// the one whose value is nearer the dashboard's.
	HoursGuessed   bool   `json:"hours_guessed"`
	Typed          string `json:"typed"`
	Dashboard      Number `json:"dashboard"`
	Export         Number `json:"export"`
	Recomputed     Number `json:"recomputed"`
	BestDefinition string `json:"best_definition"`
	// Applied is the zone, hours and office hours used and where each came
	// from.
	Applied  string       `json:"applied"`
	Bridge   []BridgeStep `json:"bridge"`
	Residual Number       `json:"residual"`
	// Coverage names the sources that do not reach over the period.
	Coverage []string `json:"coverage"`
	// NotChecked names what the inputs given cannot show.
	NotChecked []string `json:"not_checked"`
	Notes      []string `json:"notes"`
	// Verdict is the figure in words: explained, N unexplained, not covered,
	// not checked.
	Verdict string `json:"verdict"`
}

// BridgeStep is one step of a bridge; the ids it moved are in bridge.csv.
type BridgeStep struct {
	Cause         string `json:"cause"`
	Delta         Number `json:"delta"`
	Value         Number `json:"value"`
	Conversations int    `json:"conversations"`
}

// Number is a figure value: written without a fraction when whole, and as
// null when undefined (the median of nothing).
type Number float64

// MarshalJSON writes NaN as null.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'f', -1, 64), nil
}

// RunInfo is what the command knows that the reconciliation does not.
type RunInfo struct {
	Version     string
	GeneratedAt time.Time
	Command     string
	Workspace   Workspace
	Inputs      []Input
}

// NewSummary assembles summary.json from a reconciliation.
func NewSummary(res *reconcile.Result, run RunInfo) Summary {
	a := res.Accounting
	s := Summary{
		Schema:    SummarySchema,
		Tool:      Tool{Name: "icrecon", Version: run.Version, GeneratedAt: run.GeneratedAt.UTC().Format(time.RFC3339), Command: run.Command},
		Workspace: run.Workspace,
		Inputs:    run.Inputs,
		Accounting: Accounting{
			ExportRows: a.ExportRows, ExportRejected: a.ExportRejected, ExportDuplicates: a.ExportDuplicates,
			APIRecords: a.APIRecords, APIRejected: a.APIRejected, APIDuplicates: a.APIDuplicates,
			Conversations: a.Conversations, Matched: a.Matched, ExportOnly: a.ExportOnly, APIOnly: a.APIOnly,
		},
		Findings:            findingSummaries(res.Findings),
		OfficeHours:         officeHoursSummary(res.Learning),
		Definitions:         definitionSummaries(res.Learning),
		NotStated:           notStatedSummaries(res.Learning),
		LegacyConversations: res.Legacy,
		Fields:              []FieldSummary{},
		Figures:             []FigureSummary{},
	}
	if a.OutsidePeriod > 0 {
		n := a.OutsidePeriod
		s.Accounting.OutsidePeriod = &n
	}
	for _, f := range res.Fields {
		fs := FieldSummary{Field: f.Field, Left: f.Left.String(), Right: f.Right.String(), Compared: f.Compared,
			Equal: f.Equal(), Causes: map[string]int{}, Unexplained: f.Unexplained(), Ambiguous: f.Ambiguous, StatedBy: []string{}}
		for _, side := range res.StatedBy(f.Field) {
			fs.StatedBy = append(fs.StatedBy, side.String())
		}
		for c, n := range f.Causes {
			fs.Causes[c.String()] = n
		}
		s.Fields = append(s.Fields, fs)
	}
	for _, f := range res.Figures {
		s.Figures = append(s.Figures, figureSummary(f))
	}
	if s.Inputs == nil {
		s.Inputs = []Input{}
	}
	return s
}

func figureSummary(f reconcile.FigureResult) FigureSummary {
	fs := FigureSummary{
		Metric: f.Figure.Metric, From: f.Figure.From.String(), To: f.Figure.To.String(),
		Timezone: f.Zone.String(), Hours: string(f.TargetHours), Typed: f.Figure.Raw,
		HoursGuessed: !f.Count && f.Figure.Hours == intercom.HoursUnknown,
		Dashboard:    Number(f.Figure.Value), Export: Number(f.Naive), Recomputed: Number(f.Recomputed),
		BestDefinition: f.Best.Description, Bridge: []BridgeStep{}, Residual: Number(f.Residual), Applied: f.Applied,
		Coverage: nonNil(f.Coverage), NotChecked: nonNil(f.NotChecked), Notes: nonNil(f.Notes), Verdict: verdict(f),
	}
	for _, st := range f.Bridge {
		fs.Bridge = append(fs.Bridge, BridgeStep{Cause: st.Cause, Delta: Number(st.Delta), Value: Number(st.Value), Conversations: len(st.IDs)})
	}
	return fs
}

// WriteJSON writes the summary, indented, with a final newline.
func (s Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// FormatValue renders a statistics value for people: RFC 3339 UTC for a
// timestamp, seconds for a duration, "" when unset.
func FormatValue(v intercom.Value) string {
	if v.Valid && v.Kind == intercom.KindInstant {
		return intercom.At(v.N).String()
	}
	return v.String()
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// verdict says in words what is left of a figure.
func verdict(f reconcile.FigureResult) string {
	switch {
	case math.IsNaN(f.Residual):
		return "nothing to compare"
	case f.Residual == 0 && len(f.Coverage) > 0:
		return "explained, though the " + strings.Join(f.Coverage, " and the ") + " does not cover the whole period"
	case f.Residual == 0:
		return "explained"
	case len(f.Coverage) > 0:
		return "not covered by the " + strings.Join(f.Coverage, " and the ")
	case len(f.NotChecked) > 0:
		return "the rest not checked " + strings.SplitN(f.NotChecked[0], ":", 2)[0]
	case f.Count:
		return fmt.Sprintf("%.0f conversations unexplained", math.Abs(f.Residual))
	}
	return "a residual unexplained"
}
