package reconcile

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
	"github.com/icrecon/icrecon/officehours"
)

// Learning happens between the exports and the pulls: the first pulled
// conversations are looked at (Observe in the reader's workers, AddObservation
// in order) until AddObservation says enough, then Learn decides each
// source's readings and, when none was given, the office hours
// (docs/metrics.md §8). The pulls are then read from the start as usual.

// LearnFrom is how many complete pulled conversations learning looks at.
const LearnFrom = 3000

// ErrLearnedEnough is AddObservation's way of saying the reader may stop.
var ErrLearnedEnough = errors.New("reconcile: enough conversations observed")

// Observation is what learning keeps of one pulled conversation.
type Observation struct {
	id        string
	explored  *metrics.Exploration // nil without parts
	reported  intercom.Statistics  // the API's statistics
	truncated bool
	legacy    bool // parts of an API version before 2.6
}

// Observe explores one pulled conversation's parts for learning. It runs in
// the reader's workers and only reads what the export phase built.
func (r *Reconciler) Observe(c *intercom.Conversation) *Observation {
	o := &Observation{id: c.ID, reported: c.Reported, truncated: c.Truncated(), legacy: r.isLegacy(c)}
	if c.HasParts {
		opts := r.opts.Metrics
		opts.Schedule = nil // the schedule may be learned: it is applied when deciding
		o.explored = metrics.Explore(c, opts)
	}
	return o
}

// AddObservation keeps an observation, in input order; it returns
// ErrLearnedEnough once LearnFrom complete conversations are kept.
func (r *Reconciler) AddObservation(_ *intercom.Conversation, o *Observation, duplicate bool) error {
	if duplicate {
		return nil
	}
	r.observed = append(r.observed, o)
	if o.usable() {
		r.usableObserved++
	}
	if r.usableObserved >= LearnFrom {
		return ErrLearnedEnough
	}
	return nil
}

func (o *Observation) usable() bool { return o.explored != nil && !o.truncated }

// Learning is what learning found and decided, for every report.
type Learning struct {
	Observed  int // complete pulled conversations looked at
	Readings  []ReadingChoice
	Schedule  ScheduleChoice
	NotStated []NotStated
	// Legacy counts observed conversations in the part shape of API 2.5 or
	// earlier, whose assignment and reply fields are not recomputed.
	Legacy int
}

// ReadingChoice is the reading of one family adopted for one source, and
// the evidence.
type ReadingChoice struct {
	Source  Side
	Family  metrics.Family
	Reading string
	// How: "learned" (another reading, clearly ahead), "confirmed" (the
	// default, clearly ahead), "pinned" (--variant), "default" (too few
	// conversations tell the readings apart), "undecided" (another reading
	// does as well or better, but not clearly: the default stays).
	How      string
	Matched  int // conversations the reading reproduces
	Compared int // conversations whose stated value was compared
	Telling  int // of those, the ones on which the readings disagree
	RunnerUp string
	// RunnerUpMatched is how many the runner-up reproduces.
	RunnerUpMatched int
}

// ScheduleChoice says which office hours apply and why.
type ScheduleChoice struct {
	// Source: "given" (workspace.yaml or --office-hours), "learned",
	// "none" (all hours: nothing given and nothing learned).
	Source   string
	Schedule *officehours.Schedule // nil: all hours
	// Learned is what the data showed, nil when there were no samples.
	Learned *officehours.Learned
	// GivenReproduced is how many samples the given schedule reproduces
	// (when one was given and something was learned).
	GivenReproduced int
	// Warning is set when the given schedule reproduces fewer samples than
	// the learned one, or nothing usable could be learned.
	Warning string
}

// NotStated is a field a source leaves null in every record while the
// recomputation has values: it is compared nowhere.
type NotStated struct {
	Field   string
	Source  Side
	Records int // records of the source looked at
}

// Learn decides the office hours and each source's readings.
func (r *Reconciler) Learn() *Learning {
	l := &Learning{}
	for _, o := range r.observed {
		if o.usable() {
			l.Observed++
		}
		if o.legacy {
			l.Legacy++
		}
	}
	l.Schedule = r.learnSchedule()
	r.opts.Metrics.Schedule = l.Schedule.Schedule
	l.NotStated = r.notStated()
	for _, ns := range l.NotStated {
		r.notStatedBy[ns.Source] = r.notStatedBy[ns.Source].With(ns.Field)
	}
	// The API first: the export starts from the API's readings, since both
	// come from one workspace, and leaves them only on clear evidence.
	start := r.opts.Metrics.Variants
	for _, source := range []Side{API, Export} {
		choices, variants := r.learnReadings(source, start)
		l.Readings = append(l.Readings, choices...)
		r.variants[source] = variants
		start = variants
	}
	r.observed = nil
	r.learning = l
	return l
}

// learnSchedule collects spans with the office seconds each source states
// and learns the schedule that reproduces them.
func (r *Reconciler) learnSchedule() ScheduleChoice {
	given := r.opts.Metrics.Schedule
	choice := ScheduleChoice{Source: "none", Schedule: given}
	if given != nil {
		choice.Source = "given"
	}
	samples := r.scheduleSamples()
	if len(samples) == 0 {
		if given == nil {
			choice.Warning = noOfficeHours
		}
		return choice
	}
	choice.Learned = officehours.Learn(samples, []*time.Location{r.opts.Zone, r.exportZone})
	learned := choice.Learned
	if learned == nil {
		return choice
	}
	if given != nil {
		choice.GivenReproduced = officehours.Reproduces(given, samples)
		if short := learned.Reproduced - choice.GivenReproduced; short > max(2, learned.Compared/50) {
			choice.Warning = fmt.Sprintf("the office hours given (%s) reproduce %d of %d office-hours durations the sources state; %s would reproduce %d", given, choice.GivenReproduced, learned.Compared, learned.Schedule, learned.Reproduced)
		}
		return choice
	}
	if learned.Reproduced*2 < learned.Compared {
		choice.Warning = fmt.Sprintf("%s (the best schedule the data suggests, %s, reproduces only %d of %d durations)", noOfficeHours, learned.Schedule, learned.Reproduced, learned.Compared)
		return choice
	}
	choice.Source, choice.Schedule = "learned", learned.Schedule
	return choice
}

// noOfficeHours warns that office-hours durations could not be recomputed.
const noOfficeHours = "no office hours were given (--workspace, or --timezone with --office-hours) and none could be learned from the data: durations are over all hours, but Intercom's API subtracts out-of-office time, so its time_to_* values will be lower wherever a conversation spans closed hours"

// maxSamples bounds the spans learning lays out, per source.
const maxSamples = 4000

// scheduleSamples are the API's durations from its first contact reply
// (and its reply times where the pairs are unambiguous), and the export's
// office-hours durations.
func (r *Reconciler) scheduleSamples() []officehours.Sample {
	var api, export []officehours.Sample
	for _, o := range r.observed {
		if len(api) >= maxSamples {
			break
		}
		api = appendDurationSamples(api, &o.reported)
		if o.usable() && len(o.reported.ReplyTimes) > 0 {
			if pairs := o.explored.Pairs(); len(pairs) == len(o.reported.ReplyTimes) {
				for i, p := range pairs {
					api = append(api, officehours.Sample{From: p.From, To: p.To, Office: o.reported.ReplyTimes[i]})
				}
			}
		}
	}
	for _, rec := range r.exportRecords {
		if len(export) >= maxSamples {
			break
		}
		if side := rec.export.Load(); side != nil {
			st := side.stats.unpack()
			export = appendDurationSamples(export, &st)
		}
	}
	return append(api, export...)
}

// appendDurationSamples adds the spans from the first contact reply to the
// first reply, first close and last close, with their office seconds.
func appendDurationSamples(dst []officehours.Sample, st *intercom.Statistics) []officehours.Sample {
	from := st.FirstContactReplyAt
	if !from.Valid {
		return dst
	}
	for _, d := range []struct {
		end intercom.Instant
		sec intercom.Seconds
	}{{st.FirstAdminReplyAt, st.TimeToAdminReply}, {st.FirstCloseAt, st.TimeToFirstClose}, {st.LastCloseAt, st.TimeToLastClose}} {
		if d.end.Valid && d.sec.Valid && d.end.Unix > from.Unix {
			dst = append(dst, officehours.Sample{From: from.Unix, To: d.end.Unix, Office: d.sec.N})
		}
	}
	return dst
}

// notStated finds the fields a source leaves null in every record while
// the recomputation has values: the export's columns over all its rows, the
// API's statistics over the observed conversations.
func (r *Reconciler) notStated() []NotStated {
	var out []NotStated
	var apiSet, recSet [64]int
	apiRecords := 0
	for _, o := range r.observed {
		if !o.usable() || o.reported.Stated == 0 {
			continue
		}
		apiRecords++
		rec := o.explored.StatsWith(nil, r.opts.Metrics.Variants)
		for i, f := range intercom.StatFields {
			if f.Get(&o.reported).Valid {
				apiSet[i]++
			}
			if f.Get(&rec).Valid {
				recSet[i]++
			}
		}
	}
	const enough = 20 // records before a field left null everywhere means "not stated"
	if apiRecords >= enough {
		for i, f := range intercom.StatFields {
			if intercom.APIFields.HasIndex(i) && apiSet[i] == 0 && recSet[i] > 0 {
				out = append(out, NotStated{Field: f.Name, Source: API, Records: apiRecords})
			}
		}
	}
	var exportSet [64]int
	var exportStated intercom.FieldSet
	exportRows := 0
	for _, rec := range r.exportRecords {
		side := rec.export.Load()
		if side == nil {
			continue
		}
		exportRows++
		exportStated |= side.stats.stated
		for set := side.stats.set; set != 0; set &= set - 1 {
			exportSet[trailingZeros(set)]++
		}
		if side.stats.closedBy != "" {
			exportSet[intercom.StatFieldIndex("last_closed_by_id")]++
		}
	}
	if exportRows >= enough {
		for i, f := range intercom.StatFields {
			if exportStated.HasIndex(i) && exportSet[i] == 0 {
				out = append(out, NotStated{Field: f.Name, Source: Export, Records: exportRows})
			}
		}
	}
	return out
}

func trailingZeros(s intercom.FieldSet) int { return bits.TrailingZeros64(uint64(s)) }

// learnReadings decides a source's reading of every family by coordinate
// ascent from base: each family in turn, the others as decided so far,
// until nothing changes. Pinned families keep their reading.
func (r *Reconciler) learnReadings(source Side, base metrics.Variants) ([]ReadingChoice, metrics.Variants) {
	views := r.sourceViews(source)
	var choices [metrics.NumFamilies]ReadingChoice
	for round := 0; round < 3; round++ {
		changed := false
		for _, f := range metrics.Families() {
			c := r.decideFamily(source, f, base, views)
			choices[f] = c
			if reading := uint8(slices.Index(f.Readings(), c.Reading)); reading != base[f] {
				base[f], changed = reading, true
			}
		}
		if !changed {
			break
		}
	}
	var out []ReadingChoice
	for _, c := range choices {
		if c.Compared > 0 || c.How == "pinned" {
			out = append(out, c)
		}
	}
	return out, base
}

// sourceView is one observed conversation as learning compares it: the
// source's stated statistics beside the exploration of its parts.
type sourceView struct {
	stated   *intercom.Statistics
	explored *metrics.Exploration
	legacy   bool
}

func (r *Reconciler) sourceViews(source Side) []sourceView {
	var out []sourceView
	for _, o := range r.observed {
		if !o.usable() {
			continue
		}
		v := sourceView{explored: o.explored, legacy: o.legacy}
		switch source {
		case API:
			if o.reported.Stated == 0 {
				continue
			}
			v.stated = &o.reported
		case Export:
			i, ok := r.exportIDs[o.id]
			if !ok {
				continue
			}
			side := r.exportRecords[i].export.Load()
			if side == nil {
				continue
			}
			st := side.stats.unpack()
			v.stated = &st
		}
		out = append(out, v)
	}
	return out
}

// decideFamily counts, for one family, the conversations each reading
// reproduces (the other families at base) and picks the clear winner: the
// reading that reproduces the most, when on the conversations where it and
// the runner-up disagree it reproduces at least twice as many, and at
// least 3.
func (r *Reconciler) decideFamily(source Side, f metrics.Family, base metrics.Variants, views []sourceView) ReadingChoice {
	readings := learnableReadings(f)
	c := ReadingChoice{Source: source, Family: f, Reading: base.ReadingOf(f), How: "default"}
	if r.opts.Pinned[f] {
		c.How = "pinned"
	}
	matched := make([]int, len(f.Readings()))
	var hitSets []uint8 // per telling conversation, the readings that reproduce it
	for _, v := range views {
		fields := comparedFields(f, v.stated, r.notStatedBy[source])
		if len(fields) == 0 || (v.legacy && legacyUntrusted(fields[0])) {
			continue
		}
		c.Compared++
		hits, distinct := r.reproducing(f, fields, v, base, readings)
		for i := range readings {
			if hits&(1<<i) != 0 {
				matched[i]++
			}
		}
		if distinct {
			c.Telling++
			hitSets = append(hitSets, hits)
		}
	}
	current := int(base[f])
	c.Matched = matched[current]
	best, runner := rank(readings, matched)
	if runner >= 0 {
		c.RunnerUp, c.RunnerUpMatched = f.Readings()[runner], matched[runner]
	}
	switch {
	case c.How == "pinned":
		if best >= 0 && best != current {
			c.RunnerUp, c.RunnerUpMatched = f.Readings()[best], matched[best]
		}
		return c
	case c.Telling == 0:
		return c
	case clearlyAhead(hitSets, best, runner):
		c.Reading, c.How, c.Matched = f.Readings()[best], "learned", matched[best]
		if best == current {
			c.How = "confirmed"
		}
	case best != current:
		c.How = "undecided"
		c.RunnerUp, c.RunnerUpMatched = f.Readings()[best], matched[best]
	}
	return c
}

// reproducing returns the readings (as bits by reading index) whose values
// equal what the source states, and whether the readings disagree at all.
func (r *Reconciler) reproducing(f metrics.Family, fields []intercom.StatField, v sourceView, base metrics.Variants, readings []int) (hits uint8, distinct bool) {
	want := statedKey(fields, v.stated)
	first := ""
	for i, reading := range readings {
		got := r.familyKey(f, fields, v, base.With(f, uint8(reading)))
		if i == 0 {
			first = got
		} else if got != first {
			distinct = true
		}
		if got == want {
			hits |= 1 << reading
		}
	}
	return hits, distinct
}

// clearlyAhead: on the conversations where best and runner disagree about
// reproducing the stated value, best wins at least 3 and twice runner's.
func clearlyAhead(hitSets []uint8, best, runner int) bool {
	if best < 0 {
		return false
	}
	var won, lost int
	for _, h := range hitSets {
		b := h&(1<<best) != 0
		r := runner >= 0 && h&(1<<runner) != 0
		switch {
		case b && !r:
			won++
		case r && !b:
			lost++
		}
	}
	return won >= 3 && won >= 2*lost
}

// learnableReadings are a family's readings learning may choose: the exact
// median is never learned from whole seconds, which reproduce it with
// either neighbour of a half second.
func learnableReadings(f metrics.Family) []int {
	var out []int
	for i := range f.Readings() {
		if f == metrics.FamilyMedianRounding && i == metrics.RoundExact {
			continue
		}
		out = append(out, i)
	}
	return out
}

// rank returns the readings that reproduce the most and second most
// conversations (-1 when there is none); ties keep the readings' order,
// the default first.
func rank(readings, matched []int) (best, runner int) {
	best, runner = -1, -1
	for _, i := range readings {
		switch {
		case best < 0 || matched[i] > matched[best]:
			best, runner = i, best
		case runner < 0 || matched[i] > matched[runner]:
			runner = i
		}
	}
	return best, runner
}

// comparedFields are the fields learning compares for a family on a
// source: those of familyFields the source states (for a duration, the
// all-hours value first where the source has it: it does not depend on the
// office hours).
func comparedFields(f metrics.Family, st *intercom.Statistics, notStated intercom.FieldSet) []intercom.StatField {
	var out []intercom.StatField
	for _, alternatives := range familyFields[f] {
		for _, name := range alternatives {
			if st.Stated.Has(name) && !notStated.Has(name) {
				field, _ := intercom.StatFieldByName(name)
				out = append(out, field)
				break
			}
		}
	}
	return out
}

// familyFields are, per family, the fields compared (each given as
// alternatives in order of preference).
var familyFields = [metrics.NumFamilies][][]string{
	metrics.FamilyParts:               {{"count_conversation_parts"}},
	metrics.FamilyAssignment:          {{"time_to_assignment_all_hours", "time_to_assignment"}},
	metrics.FamilyReplyPairing:        {{"median_time_to_reply_all_hours", "median_time_to_reply"}},
	metrics.FamilyMedianRounding:      {{"median_time_to_reply_all_hours", "median_time_to_reply"}},
	metrics.FamilyLastAssignmentReply: {{"last_assignment_admin_reply_at"}},
	metrics.FamilyBodyEvents:          {{"first_admin_reply_at"}, {"last_admin_reply_at"}},
	metrics.FamilyAssignmentHours:     {{"time_to_assignment"}},
	metrics.FamilyAdminReplyHours:     {{"time_to_admin_reply"}},
	metrics.FamilyFirstCloseHours:     {{"time_to_first_close"}},
	metrics.FamilyLastCloseHours:      {{"time_to_last_close"}},
	metrics.FamilyMedianHours:         {{"median_time_to_reply"}},
}

// statedKey is what the source states of the fields, as one comparable
// string (with its list of reply times, when it states one).
func statedKey(fields []intercom.StatField, st *intercom.Statistics) string {
	return valuesKey(fields, st) + timesKey(st.ReplyTimes)
}

// familyKey is the same under the readings v. Where the source states its
// list of reply times, reply pairing is compared on the whole list, and
// median rounding on the median of the source's own list.
func (r *Reconciler) familyKey(f metrics.Family, fields []intercom.StatField, v sourceView, readings metrics.Variants) string {
	listed := v.stated.ReplyTimes != nil
	if f == metrics.FamilyMedianRounding && listed {
		var st intercom.Statistics
		st.MedianTimeToReply = metrics.MedianOf(v.stated.ReplyTimes, readings[f])
		st.MedianTimeToReplyAllHours = st.MedianTimeToReply
		return valuesKey(fields, &st) + timesKey(v.stated.ReplyTimes)
	}
	st := v.explored.StatsWith(r.opts.Metrics.Schedule, readings)
	if !listed {
		return valuesKey(fields, &st)
	}
	return valuesKey(fields, &st) + timesKey(st.ReplyTimes)
}

func valuesKey(fields []intercom.StatField, st *intercom.Statistics) string {
	var b strings.Builder
	for _, f := range fields {
		v := f.Get(st)
		fmt.Fprintf(&b, "%t:%d:%s;", v.Valid, v.N, v.S)
	}
	return b.String()
}

func timesKey(times []int64) string {
	if times == nil {
		return ""
	}
	return fmt.Sprint(times)
}

// isLegacy: the conversation comes from a pull of an API version before
// 2.6, or its parts have that shape.
func (r *Reconciler) isLegacy(c *intercom.Conversation) bool {
	return r.opts.LegacyFiles[c.Origin.File] || isLegacyShape(c)
}

// isLegacyShape: the statistics count assignments after the customer's
// first message, yet no part is an assignment — API 2.5 and earlier
// report them (and attribute changes and workflow events) as comments.
func isLegacyShape(c *intercom.Conversation) bool {
	if !c.HasParts || c.Truncated() || !c.Reported.CountAssignments.Valid || c.Reported.CountAssignments.N == 0 {
		return false
	}
	for i := range c.Parts {
		if intercom.IsAssignment(c.Parts[i]) {
			return false
		}
	}
	return true
}

// legacyUntrusted names the fields a recomputation from a legacy-shaped
// history gets wrong: the assignment and reply fields.
func legacyUntrusted(f intercom.StatField) bool {
	return legacyFields.Has(f.Name)
}

var legacyFields = intercom.FieldSet(0).With(
	"first_assignment_at", "last_assignment_at", "count_assignments", "time_to_assignment", "time_to_assignment_all_hours",
	"last_assignment_admin_reply_at", "first_admin_reply_at", "last_admin_reply_at", "time_to_admin_reply",
	"time_to_admin_reply_all_hours", "median_time_to_reply", "median_time_to_reply_all_hours", "count_conversation_parts")
