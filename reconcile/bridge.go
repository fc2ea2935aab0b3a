package reconcile

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/icrecon/icrecon/intercom"
)

// bridge walks one figure from the naive export value to the recomputed
// cohort and values, step by named step (docs/reconcile.md §3).
type bridge struct {
	r          *Reconciler
	def        definition // the registry's, with the target hours and zone
	fig        intercom.Figure
	naiveHours int
	zone       *time.Location
	cands      []int32 // the records that can count (Reconciler.candidates)

	in     []bool // current cohort, by position in cands
	spare  []bool // the next cohort is built here, then swapped with in
	hours  int    // hours mode of the values in use
	useAPI []bool // the value of a member comes from the API side
	values []int64
	moved  []string // scratch: the ids a step moves, copied into its Step
	cur    float64
	steps  []Step
}

// walk returns the naive value and the steps; after the last cohort step the
// cohort is exactly the recomputed one, and after the last value step the
// value is the recomputed value — both checked. It starts from the export
// when there is one, else from the pulls (docs/reconcile.md §3).
func (b *bridge) walk(recomputed float64) (float64, []Step, error) {
	records := b.r.records
	n := len(b.cands)
	b.in, b.spare, b.useAPI, b.hours = make([]bool, n), make([]bool, n), make([]bool, n), b.naiveHours
	figSpan := b.def.span()
	var naive float64
	if b.r.hasExport() {
		naive = b.fromExport(figSpan)
	} else {
		naive = b.fromPulls(figSpan)
	}
	if b.r.hasExport() && b.r.hasPulls() {
		b.note("export_only", func(k int, rec *record) bool { return b.in[k] && !rec.inAPI })
	}
	if b.def.scope == scopeCustomerStarted {
		b.move("message_type", func(k int, rec *record) bool { return b.in[k] && rec.values().initiator == intercom.Customer })
	}
	b.move("no_contact_reply", func(k int, rec *record) bool { return b.in[k] && rec.values().contact() != noTime })
	anyone := b.def
	anyone.bots = true
	b.move("scope", func(k int, rec *record) bool { return b.in[k] && anyone.hasSubject(rec.values()) })
	b.move("bot_author", func(k int, rec *record) bool { return b.in[k] && b.def.hasSubject(rec.values()) })
	inCohort := func(rec *record) bool {
		v := rec.values()
		return b.def.inScope(v) && figSpan.has(b.def.basisTime(v))
	}
	b.move("time_basis", func(_ int, rec *record) bool { return b.startedFrom(rec) && inCohort(rec) })
	b.move("api_only", func(_ int, rec *record) bool { return inCohort(rec) })
	// The walk must end on the recomputed cohort, over every record (which
	// also checks that no record outside the candidates belonged to it).
	k := 0
	for i, rec := range records {
		member := k < n && b.cands[k] == int32(i) && b.in[k]
		if k < n && b.cands[k] == int32(i) {
			k++
		}
		if member != inCohort(rec) {
			return naive, b.steps, fmt.Errorf("reconcile: the bridge of %s did not reach the recomputed cohort at %s (this is a bug in icrecon; please report it)", b.fig.Metric, rec.id)
		}
	}
	if b.def.value >= 0 {
		b.valueSteps()
	}
	if !sameValue(b.cur, recomputed) {
		return naive, b.steps, fmt.Errorf("reconcile: the bridge of %s ends at %v, not the recomputed %v (this is a bug in icrecon; please report it)", b.fig.Metric, b.cur, recomputed)
	}
	b.aggregation()
	return naive, b.steps, nil
}

// startedFrom: the record is one the naive value could count — an export
// row, or, without an export, a pulled conversation.
func (b *bridge) startedFrom(rec *record) bool {
	if b.r.hasExport() {
		return rec.inExport
	}
	return rec.inAPI
}

// fromExport is the naive value: export rows (duplicates too) whose thread
// starts in the period in the export's own zone; then the duplicate and
// timezone steps.
func (b *bridge) fromExport(figSpan span) float64 {
	exportZone := b.r.exportZone
	if exportZone == nil {
		exportZone = b.zone
	}
	exportDef := b.def
	exportDef.zone = exportZone
	exportSpan := exportDef.span()
	var dupIDs []string
	var dupValues []int64
	for k, i := range b.cands {
		rec := b.r.records[i]
		b.in[k] = rec.inExport && exportSpan.has(rec.exp.threadStart())
	}
	for _, row := range b.r.dupRows {
		if exportSpan.has(row.values.threadStart()) {
			dupIDs = append(dupIDs, row.id)
			if b.def.value >= 0 {
				if x := b.def.valueOf(&row.values, b.hours); x != noDuration {
					dupValues = append(dupValues, x)
				}
			}
		}
	}
	naive := b.aggregate(b.in, dupValues, len(dupIDs))
	b.cur = naive
	if len(dupIDs) > 0 {
		b.record("duplicate", dupIDs, b.aggregate(b.in, nil, 0))
	}
	b.move("timezone", func(_ int, rec *record) bool { return rec.inExport && figSpan.has(rec.exp.threadStart()) })
	return naive
}

// fromPulls is the naive value without an export: the pulled conversations
// created in the period, and (for a median) the API's own statistics of
// them.
func (b *bridge) fromPulls(figSpan span) float64 {
	for k, i := range b.cands {
		rec := b.r.records[i]
		b.in[k] = rec.inAPI && figSpan.has(rec.api.created())
	}
	naive := b.aggregate(b.in, nil, 0)
	b.cur = naive
	return naive
}

// move replaces the cohort by the conversations keep admits and records the
// step when anyone moved.
func (b *bridge) move(cause string, keep func(int, *record) bool) {
	next := b.spare
	moved := b.moved[:0]
	count, values := 0, b.values[:0]
	for k, i := range b.cands {
		rec := b.r.records[i]
		member := keep(k, rec)
		next[k] = member
		if member != b.in[k] {
			moved = append(moved, rec.id)
		}
		if !member {
			continue
		}
		count++
		if b.def.value >= 0 {
			if x := b.value(k); x != noDuration {
				values = append(values, x)
			}
		}
	}
	b.values, b.moved = values, moved
	if len(moved) > 0 {
		value := float64(count)
		if b.def.value >= 0 {
			value = b.def.median(values)
		}
		b.record(cause, slices.Clone(moved), value)
	}
	b.in, b.spare = next, b.in
}

// note records a step that moves nothing: it names the members keep
// admits (export_only: the cohort's conversations only the export has).
func (b *bridge) note(cause string, keep func(int, *record) bool) {
	var ids []string
	for k, i := range b.cands {
		if rec := b.r.records[i]; keep(k, rec) {
			ids = append(ids, rec.id)
		}
	}
	if len(ids) > 0 {
		b.steps = append(b.steps, Step{Cause: cause, Delta: 0, Value: b.cur, IDs: ids})
	}
}

func (b *bridge) record(cause string, ids []string, value float64) {
	b.steps = append(b.steps, Step{Cause: cause, Delta: value - b.cur, Value: value, IDs: ids})
	b.cur = value
}

// aggregate counts the cohort, or takes the median of its values in the
// current hours mode (export values for export rows until a value step
// replaces them); extra adds duplicate rows' values or count.
func (b *bridge) aggregate(in []bool, extraValues []int64, extraRows int) float64 {
	if b.def.value < 0 {
		count := extraRows
		for _, member := range in {
			if member {
				count++
			}
		}
		return float64(count)
	}
	values := append(b.values[:0], extraValues...)
	for k, member := range in {
		if !member {
			continue
		}
		if x := b.value(k); x != noDuration {
			values = append(values, x)
		}
	}
	b.values = values
	return b.def.median(values)
}

// value is a member's value; k is its position in cands. A member the
// naive value counted keeps its naive side's value (the export's, or
// without an export the API's own statistics) until a value step replaces
// it; any other member has its figure value.
func (b *bridge) value(k int) int64 {
	rec := b.r.records[b.cands[k]]
	if b.useAPI[k] {
		return b.def.valueOf(rec.values(), b.hours)
	}
	switch {
	case rec.inExport:
		return b.def.valueOf(&rec.exp, b.hours)
	case rec.apiOwn != nil:
		return b.def.valueOf(rec.apiOwn, b.hours)
	}
	return b.def.valueOf(rec.values(), b.hours)
}

// valueSteps move a median's values from the export's to the recomputed
// ones: first every value to the target hours mode, then the values that
// differ, grouped by the cause of their difference.
func (b *bridge) valueSteps() {
	if b.hours != b.def.hours {
		var ids []string
		for k, i := range b.cands {
			if b.in[k] {
				ids = append(ids, b.r.records[i].id)
			}
		}
		b.hours = b.def.hours
		b.record("office_hours", ids, b.aggregate(b.in, nil, 0))
	}
	groups := map[string][]int{}
	for k, i := range b.cands {
		rec := b.r.records[i]
		if !b.in[k] || !rec.inAPI || b.value(k) == b.def.valueOf(rec.values(), b.hours) {
			continue
		}
		name := "no_export_value"
		if c := rec.valueCause[b.def.value][b.hours]; c > 0 {
			name = Cause(c - 1).String()
		} else if b.value(k) != noDuration {
			name = Unexplained.String()
		}
		groups[name] = append(groups[name], k)
	}
	for _, name := range valueStepOrder {
		members := groups[name]
		if len(members) == 0 {
			continue
		}
		ids := make([]string, len(members))
		for j, k := range members {
			b.useAPI[k] = true
			ids[j] = b.r.records[b.cands[k]].id
		}
		b.record(name, ids, b.aggregate(b.in, nil, 0))
	}
}

// valueStepOrder is the causes' order, then values the export lacks.
var valueStepOrder = func() []string {
	var names []string
	for _, c := range Causes() {
		names = append(names, c.String())
	}
	return append(names, "no_export_value")
}()

// aggregation rounds a median to the precision the dashboard value was typed
// with: a dashboard showing "14m" has rounded to the minute.
func (b *bridge) aggregation() {
	if b.def.value < 0 || math.IsNaN(b.cur) {
		return
	}
	p := typedPrecision(b.fig.Raw)
	if rounded := math.Round(b.cur/p) * p; p > 1 && rounded != b.cur {
		b.record("aggregation", nil, rounded)
	}
}

func sameValue(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}
