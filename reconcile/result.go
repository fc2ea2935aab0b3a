package reconcile

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/icrecon/icrecon/intercom"
)

// Result is the reconciliation of all inputs.
type Result struct {
	Accounting Accounting
	Fields     []*FieldResult // by field, then pair
	Figures    []FigureResult
	// Differences counts every difference by cause.
	Differences map[Cause]int
	// Learning is what was learned of the office hours and each source's
	// readings (docs/metrics.md §8).
	Learning *Learning
	// Findings are fields that disagree, unexplained, on a large share of
	// the conversations compared.
	Findings []Finding
	// Legacy counts pulled conversations in the part shape of API 2.5 or
	// earlier: their assignment and reply fields were not recomputed.
	Legacy int
	// statedBy says, per statistics field, which sides state it anywhere.
	statedBy [3]intercom.FieldSet
	records  []*record
	files    []string
}

// Finish settles every conversation's status, checks the accounting, and
// reconciles the dashboard figures.
func (r *Reconciler) Finish(figures []intercom.Figure) (*Result, error) {
	switch {
	case r.learning != nil:
	case !r.apiStarted:
		r.Learn() // no pull was read: the export alone may still show the office hours
	default:
		// Pulls were compared without learning first: nothing learned.
		r.learning = &Learning{Schedule: ScheduleChoice{Source: "none", Schedule: r.opts.Metrics.Schedule}}
		if r.opts.Metrics.Schedule != nil {
			r.learning.Schedule.Source = "given"
		}
	}
	for _, rec := range r.records {
		rec.export.Store(nil) // the comparisons are done
	}
	r.exportIDs, r.apiIDs, r.exportRecords = nil, nil, nil
	a := &r.accounting
	a.Conversations = len(r.records)
	for _, rec := range r.records {
		rec.outside = r.outsidePeriod(rec)
		switch rec.status() {
		case "matched":
			a.Matched++
		case "export_only":
			a.ExportOnly++
		case "api_only":
			a.APIOnly++
		default:
			a.OutsidePeriod++
		}
	}
	if err := a.check(); err != nil {
		return nil, err
	}
	r.settleCompared()
	res := &Result{Accounting: *a, Differences: map[Cause]int{}, records: r.records, files: r.files, Learning: r.learning, Legacy: r.legacy}
	for side, stated := range r.stated {
		res.statedBy[side] = stated &^ r.notStatedBy[side]
	}
	for _, f := range r.fields {
		res.Fields = append(res.Fields, f)
		for c, n := range f.Causes {
			res.Differences[c] += n
		}
	}
	sort.Slice(res.Fields, func(i, j int) bool {
		a, b := res.Fields[i], res.Fields[j]
		if a.Field != b.Field {
			return fieldOrder(a.Field) < fieldOrder(b.Field)
		}
		if a.Left != b.Left {
			return a.Left < b.Left
		}
		return a.Right < b.Right
	})
	res.Findings = r.findings(res.Fields)
	var err error
	if res.Figures, err = r.figures(figures); err != nil {
		return nil, err
	}
	return res, nil
}

// figures reconciles every figure, on every core; each only reads the
// records, and the results keep the figures' order.
func (r *Reconciler) figures(figures []intercom.Figure) ([]FigureResult, error) {
	results := make([]FigureResult, len(figures))
	errs := make([]error, len(figures))
	next := make(chan int, len(figures))
	for i := range figures {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(figures)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = r.figureSafely(figures[i])
			}
		}()
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

// figureSafely is figure with a bug turned into an error rather than a
// crash: figures run on their own goroutines, where a panic would end the
// process with a stack trace.
func (r *Reconciler) figureSafely(f intercom.Figure) (res FigureResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error in the figure %s: %v (this is a bug in icrecon; please report it with the command you ran)", f.Metric, p)
		}
	}()
	return r.figure(f)
}

// fieldOrder sorts created_at first, then the statistics in their order,
// then the attributes.
func fieldOrder(name string) int {
	if name == createdAtField.Name {
		return -1
	}
	if i := attributeIndex(name); i >= 0 {
		return len(intercom.StatFields) + i
	}
	return intercom.StatFieldIndex(name)
}

// StatedBy lists the sides that state a field somewhere in this run.
func (res *Result) StatedBy(field string) []Side {
	var out []Side
	for _, side := range []Side{Export, API, Recomputed} {
		if res.statedBy[side].Has(field) {
			out = append(out, side)
		}
	}
	return out
}

// Unexplained counts the differences no detector explains and the figures
// left with a residual.
func (res *Result) Unexplained() (differences, figures int) {
	for _, f := range res.Figures {
		if f.Open() {
			figures++
		}
	}
	return res.Differences[Unexplained], figures
}

// ConversationRow is one line of the conversations list.
type ConversationRow struct {
	ID        string
	Status    string
	Initiator intercom.Initiator
	CreatedAt intercom.Instant
	StartedAt intercom.Instant
	Truncated bool
	Causes    CauseSet
	Origin    intercom.Origin
	// Key values on each side: the export's, the API's own statistics, and
	// the recomputation (the API's own when the history is truncated).
	Export, API, Recomputed KeyValues
	InExport, InAPI         bool
	// CustomerName and CustomerEmail are set only when the reconciliation
	// was asked to keep personal data.
	CustomerName, CustomerEmail string
}

// KeyValues are a side's first reply, last close, and their durations from
// the customer's first message (office hours subtracted).
type KeyValues struct {
	FirstReplyAt, LastCloseAt      intercom.Instant
	FirstResponseTime, TimeToClose intercom.Seconds
}

func (k keyValues) public() KeyValues {
	return KeyValues{instant(k.firstReply), instant(k.lastClose), duration(k.firstResponse), duration(k.toClose)}
}

func duration(d int64) intercom.Seconds {
	if d == noDuration {
		return intercom.Seconds{}
	}
	return intercom.Secs(d)
}

// EachConversation calls fn for every conversation, in the order they were
// first read.
func (res *Result) EachConversation(fn func(ConversationRow) error) error {
	for _, rec := range res.records {
		v := &rec.api
		if !rec.inAPI {
			v = &rec.exp
		}
		row := ConversationRow{ID: rec.id, Status: rec.status(), Initiator: v.initiator,
			CreatedAt: instant(v.created()), StartedAt: instant(v.contact()), Truncated: rec.truncated,
			Causes: rec.causes, Origin: intercom.Origin{File: res.files[rec.file], Line: int(rec.line)},
			InExport: rec.inExport, InAPI: rec.inAPI}
		if rec.inExport {
			row.Export = rec.exp.keys().public()
		}
		if rec.inAPI {
			row.API, row.Recomputed = rec.reported.keys().public(), rec.api.keys().public()
		}
		if rec.personal != nil {
			row.CustomerName, row.CustomerEmail = rec.personal[0], rec.personal[1]
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

func instant(t int64) intercom.Instant {
	if t == noTime {
		return intercom.Instant{}
	}
	return intercom.At(t)
}
