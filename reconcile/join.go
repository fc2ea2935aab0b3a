package reconcile

import (
	"fmt"
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
)

// Options say how to reconcile.
type Options struct {
	// Metrics gives the office hours, bots and variants of the recomputation.
	Metrics metrics.Options
	// Zone is the workspace's time zone: the figures' default and the
	// timezone detector's reference. Nil means the export's, else UTC.
	Zone *time.Location
	// Period, when set, limits the conversations reconciled to those whose
	// thread starts within it; the others are counted as outside the period.
	Period *Period
	// OnDifference receives every difference as it is found, in input order.
	OnDifference func(Difference) error
	// KeepPersonalData keeps each conversation's customer name and e-mail
	// from the export, for an evidence bundle asked to include them.
	KeepPersonalData bool
	// Pinned are the families whose reading Metrics.Variants pins
	// (--variant): learning leaves them alone.
	Pinned [metrics.NumFamilies]bool
	// ExportTakenAt is when the export was taken, for exports that state no
	// "Conversation updated at" and hold no other time (the stale cause).
	ExportTakenAt time.Time
	// ZoneSource and ScheduleSource say where Zone and the office hours came
	// from ("workspace.yaml", "--timezone"), for the figures' definition line.
	ZoneSource, ScheduleSource string
	// PullWindow is the period the pulls' manifests say they cover (zero
	// when some pull has no manifest): the coverage check's reach.
	PullWindow Window
	// LegacyFiles are API files pulled with an Intercom-Version before 2.6
	// (a pull's manifest says so): their part histories fold assignments
	// and workflow events into comments.
	LegacyFiles map[string]bool
}

// Window is a span of time [From, To).
type Window struct{ From, To time.Time }

// Period is a span of whole days, both inclusive, in a zone.
type Period struct {
	From, To intercom.Date
	Zone     *time.Location
}

// contains reports whether the instant falls within the period.
func (p *Period) contains(unix int64) bool {
	start, end := p.From.Start(p.Zone).Unix(), p.To.Start(p.Zone).AddDate(0, 0, 1).Unix()
	return unix >= start && unix < end
}

// Reconciler joins the sources. Feed it every export first (AddExport), then
// every API pull (PrepareAPI in the reader's workers, AddAPI in order), then
// call Finish.
type Reconciler struct {
	opts    Options
	records []*record
	// recordArena is the block new records are taken from (newRecord).
	recordArena []record
	// exportIDs is written while exports are added and only read after, when
	// the API reader's workers look rows up concurrently; apiIDs, the ids
	// only the pulls have, is written in input order by AddAPI alone.
	exportIDs map[string]int32
	apiIDs    map[string]int32
	scratch   sync.Pool // of *prepareScratch, for PrepareAPI in the reader's workers
	outcomes  sync.Pool // of *APIOutcome, from AddAPI back to PrepareAPI
	// exportRecords is records as it stood after the exports: what the
	// workers may read while AddAPI appends.
	exportRecords []*record
	files         []string   // origins' file names, by index
	dupRows       []naiveRow // duplicate export rows, for the naive figures
	exportZone    *time.Location
	apiStarted    bool
	exportSeen    bool // an export row was added
	accounting    Accounting
	fields        map[fieldPair]*FieldResult
	// Learning (learn.go): the observed conversations until Learn, then
	// each source's readings, the fields each source states nowhere, and
	// what was decided.
	observed       []*Observation
	usableObserved int
	variants       [3]metrics.Variants  // by source: Export, API
	notStatedBy    [3]intercom.FieldSet // by side
	learning       *Learning
	legacy         int // pulled conversations in the part shape of API 2.5 or earlier
	patterns       map[fieldPair]*pattern
	stated         [3]intercom.FieldSet // by side: the fields any record states
	symbols        symbols              // words export rows repeat, for their attributes
	exportLatest   int64                // the latest time an export row holds
	exportReach    span                 // first to last thread start of the export rows
	pullCreated    span                 // first to last created_at of the pulled conversations
	attrCompared   [2][]int             // per attribute: compared, ambiguous
	// compared counts, per pair and field (StatFields, then created_at),
	// the conversations compared: an array, since it is counted for every
	// field of every conversation.
	compared [len(pairs)][]int
}

// New returns a Reconciler.
func New(opts Options) *Reconciler {
	r := &Reconciler{opts: opts, exportIDs: map[string]int32{}, apiIDs: map[string]int32{}, fields: map[fieldPair]*FieldResult{}, patterns: map[fieldPair]*pattern{}}
	r.variants[Export], r.variants[API] = opts.Metrics.Variants, opts.Metrics.Variants
	r.scratch.New = newPrepareScratch
	r.outcomes.New = func() any { return new(APIOutcome) }
	return r
}

// record is what the reconciliation keeps of one conversation: the status,
// the causes of its differences, and the values the figures need.
type record struct {
	id        string
	inExport  bool
	inAPI     bool
	truncated bool
	outside   bool // the thread starts outside --period
	causes    CauseSet
	// export is the export's row, for comparison. The workers read it; it is
	// released once its conversation is committed, so atomically.
	export   atomic.Pointer[exportSide]
	exp, api figureValues
	// apiOwn are the API's own statistics, kept only when there is no
	// export: they are the naive value then.
	apiOwn *figureValues
	// valueCause is, per figure duration and hours mode, the cause+1 of the
	// difference between the export's value and the recomputed one (0: none).
	valueCause [numDurations][2]uint8
	// reported holds the API's own key values, for the conversations list.
	reported storedKeys
	personal *[2]string // customer name and e-mail, only when asked for
	// Where the export row (else the API record) is: files[file], line.
	file, line int32
}

// exportSide is an export row as the comparison needs it.
type exportSide struct {
	stats       packedStats
	attrs       exportAttributes
	created     intercom.Instant
	updated     intercom.Instant
	minuteTimes bool
	fractions   []intercom.Fraction // durations typed with a fraction of a second
}

// SetExportZone records the zone of the export's timestamp columns, which
// the naive figures use.
func (r *Reconciler) SetExportZone(loc *time.Location) {
	if r.exportZone == nil {
		r.exportZone = loc
	}
}

// AddExport takes one accepted or duplicate export row. It keeps no pointer
// to c, only its strings and slices, so the reader may reuse c's memory
// (parse.ExportOptions.ReuseConversations).
func (r *Reconciler) AddExport(c *intercom.Conversation, duplicate bool) error {
	if r.apiStarted {
		return fmt.Errorf("reconcile: exports must be added before API pulls")
	}
	r.exportSeen = true
	values := exportValues(c)
	r.exportReach = r.exportReach.widen(values.threadStart())
	if duplicate {
		r.dupRows = append(r.dupRows, naiveRow{id: c.ID, values: values})
		return nil
	}
	side := &exportSide{stats: pack(&c.Reported), attrs: r.exportAttributes(c), created: c.CreatedAt, updated: c.UpdatedAt, minuteTimes: c.MinuteTimes, fractions: c.Fractions}
	r.stated[Export] |= c.Reported.Stated
	r.noteExportTimes(c)
	r.exportIDs[c.ID] = int32(len(r.records))
	rec := r.newRecord(c.ID)
	rec.inExport, rec.exp = true, values
	rec.export.Store(side)
	if r.opts.KeepPersonalData {
		rec.personal = &[2]string{c.CustomerName, c.CustomerEmail}
	}
	r.records = append(r.records, rec)
	r.locate(r.records[len(r.records)-1], c.Origin)
	r.exportRecords = r.records
	return nil
}

// ExportLedger tells the export reader which ids it has met before
// (parse.Ledger): an id is new until AddExport has added a row of it, so
// AddExport must take every id the ledger admits, before the next. It looks
// the records up rather than keeping a set of its own: one map of every id
// fewer.
func (r *Reconciler) ExportLedger() ExportLedger { return ExportLedger{r} }

// ExportLedger is the export's parse.Ledger; see Reconciler.ExportLedger.
type ExportLedger struct{ r *Reconciler }

// Admit reports whether id is new to the exports.
func (l ExportLedger) Admit(id string) bool {
	_, seen := l.r.exportIDs[id]
	return !seen
}

// APILedger is ExportLedger for the pulls, whose ids are new until AddAPI
// has added a record of them.
func (r *Reconciler) APILedger() APILedger { return APILedger{r} }

// APILedger is the pulls' parse.Ledger; see Reconciler.APILedger.
type APILedger struct{ r *Reconciler }

// Admit reports whether id is new to the pulls.
func (l APILedger) Admit(id string) bool {
	if i, ok := l.r.exportIDs[id]; ok {
		return !l.r.records[i].inAPI
	}
	_, seen := l.r.apiIDs[id]
	return !seen
}

// CountExport adds one export file's tally to the accounting.
func (r *Reconciler) CountExport(read, rejected, duplicates int) {
	r.accounting.ExportRows += read
	r.accounting.ExportRejected += rejected
	r.accounting.ExportDuplicates += duplicates
}

// CountAPI adds one API file's tally to the accounting.
func (r *Reconciler) CountAPI(read, rejected, duplicates int) {
	r.accounting.APIRecords += read
	r.accounting.APIRejected += rejected
	r.accounting.APIDuplicates += duplicates
}

// APIOutcome is what PrepareAPI found for one pulled conversation.
type APIOutcome struct {
	diffs      []Difference
	compared   [len(pairs)]intercom.FieldSet
	createdCmp bool
	values     figureValues
	valueCause [numDurations][2]uint8
	reported   storedKeys
	legacy     bool
	recomputed bool // the pull carried parts
	// exportRow is the record of the export's row of this id, or -1: found
	// once, in PrepareAPI, for AddAPI too.
	exportRow int32
	apiOwn    *figureValues // the API's own statistics, without an export
	// attrCompared and attrAmbiguous are the attributes compared, and of
	// those the ones the vocabularies could not settle.
	attrCompared, attrAmbiguous intercom.AttributeSet
}

// PrepareAPI recomputes one pulled conversation, compares it with the
// export's row of the same id and explains every difference, while its parts
// are in memory. It runs in the API reader's workers, so it only reads what
// the export phase built; the parts are dropped when it returns.
func (r *Reconciler) PrepareAPI(c *intercom.Conversation) *APIOutcome {
	s := r.scratch.Get().(*prepareScratch)
	defer func() {
		c.Parts = nil
		s.cmp = comparison{} // holds nothing of this conversation while pooled
		r.scratch.Put(s)
	}()
	s.cmp = comparison{conv: c, api: &c.Reported, truncated: c.Truncated(), legacy: r.isLegacy(c),
		opts: &r.opts, zone: r.workspaceZone(), variants: &r.variants, notStated: &r.notStatedBy}
	cmp := &s.cmp
	// The export's row is gone once a first record of this id was added:
	// this one is then a duplicate, whose outcome AddAPI drops.
	exportRow := int32(-1)
	if i, ok := r.exportIDs[c.ID]; ok {
		exportRow = i
		if side := r.exportRecords[exportRow].export.Load(); side != nil {
			cmp.export = side
			side.stats.unpackInto(&cmp.exportStats)
			cmp.exportAttrs = &side.attrs
		}
	}
	cmp.exportTakenAt = r.exportTakenAt()
	var firstBot intercom.Instant
	if c.HasParts {
		cmp.explored = s.explorer.Explore(c, r.opts.Metrics)
		s.recFor[API] = cmp.explored.Stats(r.variants[API])
		cmp.recFor[API], cmp.recFor[Export] = &s.recFor[API], &s.recFor[API]
		if r.variants[Export] != r.variants[API] {
			s.recFor[Export] = cmp.explored.Stats(r.variants[Export])
			cmp.recFor[Export] = &s.recFor[Export]
		}
		firstBot = metrics.FirstBotReplyAt(c, r.opts.Metrics)
	}
	out := r.outcomes.Get().(*APIOutcome)
	*out = APIOutcome{diffs: cmp.compare(), createdCmp: cmp.export != nil && cmp.export.created.Valid, legacy: cmp.legacy, recomputed: cmp.explored != nil, exportRow: exportRow}
	attrDiffs, attrCompared, attrAmbiguous := cmp.compareAttributes(&r.symbols)
	out.diffs = append(out.diffs, attrDiffs...)
	out.attrCompared, out.attrAmbiguous = attrCompared, attrAmbiguous
	for i, p := range pairs {
		cmp.source = p[0]
		if _, ls := cmp.stats(p[0]); ls != 0 {
			if _, rs := cmp.stats(p[1]); rs != 0 {
				out.compared[i] = ls & rs
			}
		}
	}
	// The figures follow the dashboard's readings: the export's, Intercom's
	// reporting pipeline, when there is one.
	figureRec := cmp.recFor[API]
	if len(r.exportRecords) > 0 {
		figureRec = cmp.recFor[Export]
	}
	out.values = apiValues(c, figureRec, cmp.truncated || cmp.legacy, firstBot, r.opts.Metrics)
	if !r.exportSeen {
		own := apiValues(c, nil, true, intercom.Instant{}, r.opts.Metrics)
		out.apiOwn = &own
	}
	out.reported = reportedKeys(&c.Reported)
	out.valueCause = durationCauses(out.diffs, figureRec != nil && !cmp.truncated && !cmp.legacy, cmp.export != nil)
	return out
}

// prepareScratch is the memory PrepareAPI works in, reused from one
// conversation to the next (Reconciler.scratch): the comparison, the parts'
// exploration and the recomputed statistics are garbage once the outcome is
// made, about 2 KB a conversation otherwise. Nothing of it may reach the
// outcome.
type prepareScratch struct {
	cmp      comparison
	explorer metrics.Explorer
	recFor   [2]intercom.Statistics // by Side, as comparison.recFor
}

func newPrepareScratch() any { return new(prepareScratch) }

// AddAPI takes one pulled conversation with what PrepareAPI found, in input
// order. A duplicate id keeps its first record. Neither keeps a pointer to
// c, so the reader may reuse its memory (parse.APIOptions.ReuseConversations),
// and out is PrepareAPI's again once AddAPI returns.
func (r *Reconciler) AddAPI(c *intercom.Conversation, out *APIOutcome, duplicate bool) error {
	defer r.outcomes.Put(out)
	r.apiStarted = true
	if duplicate {
		return nil
	}
	r.stated[API] |= c.Reported.Stated
	if c.CreatedAt.Valid {
		r.pullCreated = r.pullCreated.widen(c.CreatedAt.Unix)
	}
	if out.recomputed {
		r.stated[Recomputed] = intercom.AllFields()
	}
	rec := r.recordFor(c, out.exportRow)
	rec.inAPI, rec.truncated, rec.api, rec.valueCause, rec.reported, rec.apiOwn = true, c.Truncated(), out.values, out.valueCause, out.reported, out.apiOwn
	rec.export.Store(nil) // compared: the export row is no longer needed
	if out.legacy {
		r.legacy++
	}
	rec.outside = r.outsidePeriod(rec)
	if rec.outside {
		return nil
	}
	r.countCompared(out)
	for _, d := range out.diffs {
		rec.causes = rec.causes.Add(d.Cause)
		r.fieldResult(d.Field, d.Left, d.Right).add(d.Cause)
		r.notePattern(d)
		if r.opts.OnDifference != nil {
			if err := r.opts.OnDifference(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordFor finds the record of a pulled conversation, the export row's
// (exportRow, as PrepareAPI found it) or its own, adding it when only the
// pulls have it.
func (r *Reconciler) recordFor(c *intercom.Conversation, exportRow int32) *record {
	if exportRow >= 0 {
		return r.records[exportRow]
	}
	if i, ok := r.apiIDs[c.ID]; ok {
		return r.records[i]
	}
	r.apiIDs[c.ID] = int32(len(r.records))
	rec := r.newRecord(c.ID)
	r.locate(rec, c.Origin)
	r.records = append(r.records, rec)
	return rec
}

// recordBlock is how many records are allocated together.
const recordBlock = 4096

// newRecord returns a new record for id. Records are allocated in blocks:
// the figures walk every record a few dozen times, and records side by side
// in memory are read several times faster than records scattered over the
// heap (at 500k conversations the walks took 3.4 s of CPU scattered).
func (r *Reconciler) newRecord(id string) *record {
	if len(r.recordArena) == cap(r.recordArena) {
		r.recordArena = make([]record, 0, recordBlock)
	}
	r.recordArena = r.recordArena[:len(r.recordArena)+1]
	rec := &r.recordArena[len(r.recordArena)-1]
	rec.id = id
	return rec
}

// locate records where a conversation was read, sharing file names.
func (r *Reconciler) locate(rec *record, o intercom.Origin) {
	if n := len(r.files); n == 0 || r.files[n-1] != o.File {
		r.files = append(r.files, o.File)
	}
	rec.file, rec.line = int32(len(r.files)-1), int32(o.Line)
}

func (r *Reconciler) hasExport() bool { return r.exportSeen }
func (r *Reconciler) hasPulls() bool  { return r.apiStarted }

// outsidePeriod: with --period, a conversation whose thread starts outside
// it on every side it has is not reconciled.
func (r *Reconciler) outsidePeriod(rec *record) bool {
	p := r.opts.Period
	if p == nil {
		return false
	}
	for _, v := range []*figureValues{&rec.exp, &rec.api} {
		if v.set && v.threadStart() != noTime && p.contains(v.threadStart()) {
			return false
		}
	}
	return true
}

// fieldPair keys the per-field tallies.
type fieldPair struct {
	field       string
	left, right Side
}

func (r *Reconciler) fieldResult(name string, l, rs Side) *FieldResult {
	k := fieldPair{name, l, rs}
	f := r.fields[k]
	if f == nil {
		f = &FieldResult{Field: name, Left: l, Right: rs, Causes: map[Cause]int{}}
		r.fields[k] = f
	}
	return f
}

func (r *Reconciler) countCompared(out *APIOutcome) {
	if r.attrCompared[0] == nil {
		r.attrCompared = [2][]int{make([]int, len(attributes)), make([]int, len(attributes))}
	}
	for i, a := range attributes {
		if out.attrCompared.Has(a.set) {
			r.attrCompared[0][i]++
		}
		if out.attrAmbiguous.Has(a.set) {
			r.attrCompared[1][i]++
		}
	}
	n := len(intercom.StatFields)
	for i := range pairs {
		if r.compared[i] == nil {
			r.compared[i] = make([]int, n+1)
		}
		for set := uint64(out.compared[i]); set != 0; set &= set - 1 {
			r.compared[i][bits.TrailingZeros64(set)]++
		}
	}
	if out.createdCmp {
		r.compared[0][n]++
	}
}

// settleCompared moves the compared counts into the field results.
func (r *Reconciler) settleCompared() {
	for i, a := range attributes {
		if r.attrCompared[0] == nil || r.attrCompared[0][i] == 0 {
			continue
		}
		f := r.fieldResult(a.name, Export, a.right)
		f.Compared += r.attrCompared[0][i]
		f.Ambiguous += r.attrCompared[1][i]
	}
	for i, p := range pairs {
		for j, n := range r.compared[i] {
			if n == 0 {
				continue
			}
			name := createdAtField.Name
			if j < len(intercom.StatFields) {
				name = intercom.StatFields[j].Name
			}
			r.fieldResult(name, p[0], p[1]).Compared += n
		}
	}
}

// FieldResult tallies one field of one pair of sides.
type FieldResult struct {
	Field       string
	Left, Right Side
	Compared    int
	Differ      int
	// Ambiguous counts the comparisons the two vocabularies could not
	// settle (never a difference).
	Ambiguous int
	Causes    map[Cause]int
}

// Equal is the number of conversations on which the sides agree.
func (f *FieldResult) Equal() int { return f.Compared - f.Differ }

// Unexplained is the number of differences no detector explains.
func (f *FieldResult) Unexplained() int { return f.Causes[Unexplained] }

func (f *FieldResult) add(c Cause) {
	f.Differ++
	f.Causes[c]++
}

// Accounting says what became of every record and every conversation.
type Accounting struct {
	ExportRows, ExportRejected, ExportDuplicates int
	APIRecords, APIRejected, APIDuplicates       int
	Conversations, Matched, ExportOnly, APIOnly  int
	OutsidePeriod                                int
}

// check asserts the accounting identities; a failure is a bug in icrecon.
func (a Accounting) check() error {
	if a.Matched+a.ExportOnly+a.APIOnly+a.OutsidePeriod != a.Conversations {
		return fmt.Errorf("reconcile: conversations do not add up: %d matched + %d export only + %d API only + %d outside the period != %d (this is a bug in icrecon; please report it)",
			a.Matched, a.ExportOnly, a.APIOnly, a.OutsidePeriod, a.Conversations)
	}
	return nil
}

// Status names where a conversation was found.
func (rec *record) status() string {
	switch {
	case rec.outside:
		return "outside_period"
	case rec.inExport && rec.inAPI:
		return "matched"
	case rec.inExport:
		return "export_only"
	}
	return "api_only"
}

const noTime = math.MinInt64
