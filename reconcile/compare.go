package reconcile

import (
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
)

// Difference is one field on which two sides of a conversation disagree.
type Difference struct {
	ConversationID string
	Field          string
	Left, Right    Side
	LeftValue      intercom.Value
	RightValue     intercom.Value
	Cause          Cause
	// Reading names the reading that explains a definition difference
	// ("time_to_assignment=last_before_reply"); "" otherwise.
	Reading string
	// LeftTyped is the left value as its source typed it, when that had a
	// fraction of a second the comparison rounded (the export's "687.4");
	// "" otherwise.
	LeftTyped string
}

// field is a comparable field: one of intercom.StatFields, or the
// conversation's created_at (index -1).
type field struct {
	intercom.StatField
	index int
}

var createdAtField = field{StatField: intercom.StatField{Name: "created_at", Kind: intercom.KindInstant}, index: -1}

// comparison holds the sides of one conversation while its parts are still
// in memory, so detectors can recompute under other readings when they must.
type comparison struct {
	conv        *intercom.Conversation
	export      *exportSide // nil when the export has no row for it
	exportStats intercom.Statistics
	exportAttrs *exportAttributes
	// exportTakenAt is when the export was taken, for rows without their
	// own "Conversation updated at" (zero when unknown).
	exportTakenAt time.Time
	api           *intercom.Statistics
	// explored is the parts' exploration; nil when the pull carried none.
	explored *metrics.Exploration
	// recFor is the recomputation under each source's readings, indexed by
	// the source (Export, API); nil without parts.
	recFor    [2]*intercom.Statistics
	truncated bool
	legacy    bool // parts in the shape of API 2.5 or earlier
	opts      *Options
	zone      *time.Location // the workspace's, for the timezone detector
	variants  *[3]metrics.Variants
	notStated *[3]intercom.FieldSet
	// source is the side the recomputation is compared with in the pair at
	// hand: it decides which readings the recomputation follows.
	source Side

	// Computed on first use by the detectors that need them, per source.
	withBots [2]*intercom.Statistics
}

// rec is the recomputation as the pair at hand sees it.
func (c *comparison) rec() *intercom.Statistics { return c.recFor[c.source] }

// stats returns a side's statistics and the fields it states, without the
// fields the source states nowhere and, for a recomputation from a legacy
// history, without the assignment and reply fields.
func (c *comparison) stats(s Side) (*intercom.Statistics, intercom.FieldSet) {
	switch s {
	case Export:
		if c.export != nil {
			return &c.exportStats, c.exportStats.Stated &^ c.notStated[Export]
		}
	case API:
		return c.api, c.api.Stated &^ c.notStated[API]
	case Recomputed:
		if rec := c.rec(); rec != nil {
			if c.legacy {
				return rec, intercom.AllFields() &^ legacyFields
			}
			return rec, intercom.AllFields()
		}
	}
	return nil, 0
}

// typed is the value side typed for field when it had a fraction of a
// second (only the export's durations do); "" otherwise.
func (c *comparison) typed(side Side, field string) string {
	if side != Export || c.export == nil {
		return ""
	}
	for _, f := range c.export.fractions {
		if f.Field == field {
			return f.Typed
		}
	}
	return ""
}

// compare returns every difference between the sides, each with its cause.
func (c *comparison) compare() []Difference {
	var diffs []Difference
	for _, p := range pairs {
		c.source = p[0]
		l, lStated := c.stats(p[0])
		r, rStated := c.stats(p[1])
		if l == nil || r == nil {
			continue
		}
		for i, f := range intercom.StatFields {
			if !lStated.HasIndex(i) || !rStated.HasIndex(i) {
				continue
			}
			typed := c.typed(p[0], f.Name)
			if typed == "" && f.Same(l, r) {
				continue
			}
			lv, rv := f.Get(l), f.Get(r)
			switch {
			case !lv.Equal(rv):
				d := c.difference(field{f, i}, p[0], p[1], lv, rv)
				d.LeftTyped = typed
				diffs = append(diffs, d)
			case typed != "" && rv.Valid:
				// Equal once rounded, not as typed: a rounding difference,
				// shown rather than left silent.
				diffs = append(diffs, Difference{ConversationID: c.conv.ID, Field: f.Name, Left: p[0], Right: p[1],
					LeftValue: lv, RightValue: rv, Cause: Rounding, LeftTyped: typed})
			}
		}
	}
	if c.export != nil {
		lv := intercom.Value{Kind: intercom.KindInstant, N: c.export.created.Unix, Valid: c.export.created.Valid}
		rv := intercom.Value{Kind: intercom.KindInstant, N: c.conv.CreatedAt.Unix, Valid: c.conv.CreatedAt.Valid}
		if lv.Valid && !lv.Equal(rv) {
			diffs = append(diffs, c.difference(createdAtField, Export, API, lv, rv))
		}
	}
	return diffs
}

func (c *comparison) difference(f field, l, r Side, lv, rv intercom.Value) Difference {
	d := Difference{ConversationID: c.conv.ID, Field: f.Name, Left: l, Right: r, LeftValue: lv, RightValue: rv}
	d.Cause, d.Reading = c.cause(f, l, r, lv, rv)
	return d
}

// cause runs the detectors in docs/reconcile.md's order; the first that holds
// names the cause (and, for definition, the reading).
func (c *comparison) cause(f field, l, r Side, lv, rv intercom.Value) (Cause, string) {
	switch {
	case c.isTruncated(l, r):
		return PartsTruncated, ""
	case c.isStale(f, l, r):
		return Stale, ""
	case c.isTimezone(f, lv, rv):
		return Timezone, ""
	case c.isOfficeHours(f, lv, rv):
		return OfficeHours, ""
	case c.isAnchor(f, lv, rv):
		return Anchor, ""
	case c.isBotAuthor(f, lv, rv):
		return BotAuthor, ""
	case c.isReopened(f, lv, rv):
		return Reopened, ""
	}
	if reading := c.definitionReading(f, l, r, lv, rv); reading != "" {
		return Definition, reading
	}
	if c.isRounding(f, l, r, lv, rv) {
		return Rounding, ""
	}
	return Unexplained, ""
}

// isTruncated: one side is the recomputation and the part history is
// incomplete.
func (c *comparison) isTruncated(l, r Side) bool {
	return c.truncated && (l == Recomputed || r == Recomputed)
}

// isStale: the export's and the pull's snapshots were taken at different
// times, and the newer side's value (or the moment its duration ends) falls
// after the older snapshot.
func (c *comparison) isStale(f field, l, r Side) bool {
	if c.export == nil || (l != Export && r != Export) {
		return false
	}
	exportAt, pullAt := c.export.updated, c.conv.UpdatedAt
	if !exportAt.Valid || !pullAt.Valid || exportAt.Unix == pullAt.Unix {
		return false
	}
	newer, olderAt := r, exportAt
	if exportAt.Unix > pullAt.Unix {
		newer, olderAt = Export, pullAt
	}
	at, ok := c.eventTime(newer, f)
	if !ok && clearedBy[f.Name] != "" {
		// The newer side no longer has the value: it is stale if the event
		// that clears it came after the older snapshot.
		at, ok = c.eventTime(newer, field{StatField: intercom.StatField{Name: clearedBy[f.Name], Kind: intercom.KindInstant}})
	}
	return ok && at > olderAt.Unix
}

// clearedBy names the event that unsets a field: a new assignment clears the
// API reading of last_assignment_admin_reply_at until someone replies.
var clearedBy = map[string]string{"last_assignment_admin_reply_at": "last_assignment_at"}

// eventTime is when a field's value came to be on a side: the timestamp
// itself, or the timestamp a duration ends at.
func (c *comparison) eventTime(s Side, f field) (int64, bool) {
	name := f.Name
	if f.Kind != intercom.KindInstant {
		name = endOf[baseName(f)]
	}
	st, stated := c.stats(s)
	end, ok := intercom.StatFieldByName(name)
	if st == nil || !ok || !stated.Has(end.Name) {
		return 0, false
	}
	v := end.Get(st)
	return v.N, v.Valid
}

// endOf names the timestamp each duration (and the closer's id) ends at.
var endOf = map[string]string{
	"time_to_assignment":          "first_admin_reply_at",
	"time_to_admin_reply":         "first_admin_reply_at",
	"time_to_first_close":         "first_close_at",
	"time_to_last_close":          "last_close_at",
	"time_to_last_close_by_human": "last_closed_by_human_at",
	"median_time_to_reply":        "last_admin_reply_at",
	"last_closed_by_id":           "last_close_at",
}

// baseName is a duration's name without _all_hours.
func baseName(f field) string {
	if f.Kind == intercom.KindSeconds && !f.Office {
		return f.Name[:len(f.Name)-len("_all_hours")]
	}
	return f.Name
}

// isTimezone: a timestamp differs by one of the workspace zone's UTC offsets,
// or by the daylight-saving hour between them.
func (c *comparison) isTimezone(f field, lv, rv intercom.Value) bool {
	if f.Kind != intercom.KindInstant || !lv.Valid || !rv.Valid {
		return false
	}
	d := abs(lv.N - rv.N)
	year := time.Unix(rv.N, 0).UTC().Year()
	_, winter := time.Date(year, time.January, 1, 12, 0, 0, 0, c.zone).Zone()
	_, summer := time.Date(year, time.July, 1, 12, 0, 0, 0, c.zone).Zone()
	for _, off := range []int64{int64(winter), int64(summer), int64(winter - summer)} {
		if off != 0 && d == abs(off) {
			return true
		}
	}
	return false
}

// isOfficeHours: one side holds the duration with office hours subtracted
// and the other the same duration over all hours, as the recomputation gives
// them (and they differ: the duration spans closed hours).
func (c *comparison) isOfficeHours(f field, lv, rv intercom.Value) bool {
	if f.Kind != intercom.KindSeconds || !lv.Valid || !rv.Valid {
		return false
	}
	base := baseName(f)
	office, okO := c.trusted(base)
	all, okA := c.trusted(base + "_all_hours")
	return okO && okA && office != all && ((lv.N == office && rv.N == all) || (lv.N == all && rv.N == office))
}

// reference reads a trustworthy value of a field from a side: the
// recomputation only when its history is complete.
func (c *comparison) reference(s Side, name string) (int64, bool) {
	if s == Recomputed && c.truncated {
		return 0, false
	}
	st, stated := c.stats(s)
	f, ok := intercom.StatFieldByName(name)
	if st == nil || !ok || !stated.Has(name) {
		return 0, false
	}
	v := f.Get(st)
	return v.N, v.Valid
}

// trusted reads a field from the recomputation, else from the API's
// statistics: the references the detectors compare against.
func (c *comparison) trusted(name string) (int64, bool) {
	if v, ok := c.reference(Recomputed, name); ok {
		return v, true
	}
	return c.reference(API, name)
}

// isAnchor: a duration differs by exactly the time from the conversation's
// creation to the customer's first message (in the duration's hours mode), or
// one side gives created_at as the first customer message.
func (c *comparison) isAnchor(f field, lv, rv intercom.Value) bool {
	created := c.conv.CreatedAt
	contact, ok := c.trusted("first_contact_reply_at")
	if !created.Valid || !ok || contact <= created.Unix || !lv.Valid || !rv.Valid {
		return false
	}
	switch {
	case f.Name == "first_contact_reply_at":
		return lv.N == created.Unix || rv.N == created.Unix
	case f.Kind != intercom.KindSeconds:
		return false
	}
	gap := contact - created.Unix
	if f.Office {
		gap = c.officeSeconds(created.Unix, contact)
	}
	return gap > 0 && abs(lv.N-rv.N) == gap
}

// isBotAuthor: on a first-reply field one side holds what the recomputation
// gives when bots count as teammates; on a last-close field, what it gives
// when only a human's close counts.
func (c *comparison) isBotAuthor(f field, lv, rv intercom.Value) bool {
	var alt, own intercom.Value
	switch baseName(f) {
	case "first_admin_reply_at", "time_to_admin_reply":
		st := c.statsWithBots()
		if st == nil {
			return false
		}
		alt, own = f.Get(st), f.Get(c.rec())
	case "last_close_at", "time_to_last_close":
		if c.rec() == nil || c.truncated {
			return false
		}
		human := map[string]string{
			"last_close_at": "last_closed_by_human_at", "time_to_last_close": "time_to_last_close_by_human",
			"time_to_last_close_all_hours": "time_to_last_close_by_human_all_hours",
		}[f.Name]
		hf, _ := intercom.StatFieldByName(human)
		alt, own = hf.Get(c.rec()), f.Get(c.rec())
	default:
		return false
	}
	return !alt.Equal(own) && (alt.Equal(lv) || alt.Equal(rv))
}

// isReopened: on a last-close field one side holds the first close's value,
// and the conversation was closed more than once.
func (c *comparison) isReopened(f field, lv, rv intercom.Value) bool {
	first := map[string]string{
		"last_close_at": "first_close_at", "time_to_last_close": "time_to_first_close",
		"time_to_last_close_all_hours": "time_to_first_close_all_hours",
	}[f.Name]
	if first == "" {
		return false
	}
	firstAt, ok1 := c.trusted("first_close_at")
	lastAt, ok2 := c.trusted("last_close_at")
	value, ok3 := c.trusted(first)
	if !ok1 || !ok2 || !ok3 || firstAt == lastAt {
		return false
	}
	return (lv.Valid && lv.N == value) || (rv.Valid && rv.N == value)
}

// definitionReading: one side holds what the recomputation gives under
// another documented reading (docs/metrics.md §6); it names the reading.
// Between the export and the API, each side holds what the recomputation
// gives under its own readings (the two sources follow different ones).
func (c *comparison) definitionReading(f field, l, r Side, lv, rv intercom.Value) string {
	if f.index < 0 || c.explored == nil || c.truncated || (c.legacy && legacyFields.HasIndex(f.index)) {
		return ""
	}
	if l == Export && r == API && c.variants[Export] != c.variants[API] {
		if f.Get(c.recFor[Export]).Equal(lv) && f.Get(c.recFor[API]).Equal(rv) {
			return "the export and the API follow different readings"
		}
	}
	base := c.variants[c.source]
	own := f.Get(c.rec())
	for _, v := range metrics.OtherVariants(base) {
		if !familyOfChange(base, v).Decides(f.Name) {
			continue
		}
		st := c.explored.Stats(v)
		alt := f.Get(&st)
		if !alt.Equal(own) && (alt.Equal(lv) || alt.Equal(rv)) {
			return metrics.Changed(base, v)
		}
	}
	return ""
}

// familyOfChange is the one family whose reading differs between v and w.
func familyOfChange(v, w metrics.Variants) metrics.Family {
	for _, f := range metrics.Families() {
		if v[f] != w[f] {
			return f
		}
	}
	return 0
}

// isRounding: the values are within the field's tolerance: a second for a
// duration (the export prints some as rounded floats), a minute for a
// timestamp of an export that lost its seconds in a spreadsheet.
func (c *comparison) isRounding(f field, l, r Side, lv, rv intercom.Value) bool {
	if !lv.Valid || !rv.Valid {
		return false
	}
	d := abs(lv.N - rv.N)
	switch f.Kind {
	case intercom.KindSeconds:
		return d <= 1
	case intercom.KindInstant:
		return c.export != nil && c.export.minuteTimes && (l == Export || r == Export) && d <= 59
	}
	return false
}

func (c *comparison) statsWithBots() *intercom.Statistics {
	if c.rec() == nil || c.truncated || len(c.conv.Parts) == 0 {
		return nil
	}
	if c.withBots[c.source] == nil {
		opts := c.opts.Metrics
		opts.BotsAsTeammates = true
		opts.Variants = c.variants[c.source]
		st := metrics.Recompute(c.conv, opts)
		c.withBots[c.source] = &st
	}
	return c.withBots[c.source]
}

func (c *comparison) officeSeconds(from, to int64) int64 {
	if c.opts.Metrics.Schedule == nil {
		return max(0, to-from)
	}
	return c.opts.Metrics.Schedule.Seconds(from, to)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
