package reconcile

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
)

// scope says which conversations a metric is about.
type scope uint8

const (
	scopeAll             scope = iota // every conversation
	scopeCustomerStarted              // began with the customer's message (UserMessage)
	scopeContact                      // has a customer message
	scopeReplied                      // has a teammate reply
	scopeClosed                       // has a close, by anyone
	scopeReopened                     // reopened after the customer's first message
)

var scopeNames = [...]string{"all conversations", "began by the customer", "has a customer message", "has a teammate reply", "has a close", "reopened"}

// basis is the timestamp that puts a conversation in a period.
type basis uint8

const (
	basisCreated basis = iota
	basisContact
	basisFirstReply
	basisLastClose
)

var basisNames = [...]string{"created_at", "first_contact_reply_at", "first_admin_reply_at", "last_close_at"}

// definition is one reading of a dashboard metric over one period.
type definition struct {
	scope    scope
	basis    basis
	value    int // -1 for a count, else the duration (firstResponse …)
	hours    int // office or allHours, for durations
	bots     bool
	zone     *time.Location
	from, to intercom.Date
	rounding uint8 // median_rounding's reading: how an even count's median is rounded
}

// span is the period as Unix seconds in the definition's zone.
func (d definition) span() span {
	start := d.from.Start(d.zone)
	return span{start.Unix(), d.to.Start(d.zone).AddDate(0, 0, 1).Unix()}
}

// registry holds Intercom's definitions of the dashboard metrics
// (docs/reconcile.md §3): each report buckets a metric by its own timestamp.
var registry = map[string]definition{
	"new_inbound_conversations":      {scope: scopeCustomerStarted, basis: basisCreated, value: -1},
	"new_conversations":              {scope: scopeContact, basis: basisContact, value: -1},
	"conversations_first_replied_to": {scope: scopeReplied, basis: basisFirstReply, value: -1},
	"closed_conversations":           {scope: scopeClosed, basis: basisLastClose, value: -1},
	"reopened_conversations":         {scope: scopeReopened, basis: basisContact, value: -1},
	"median_first_response_time":     {scope: scopeReplied, basis: basisContact, value: firstResponse},
	"median_time_to_close":           {scope: scopeClosed, basis: basisContact, value: timeToClose},
	"median_time_to_first_close":     {scope: scopeClosed, basis: basisContact, value: timeToFirstClose},
}

// inScope reports whether a conversation's values fall in the definition's scope.
func (d definition) inScope(v *figureValues) bool {
	if !v.set {
		return false
	}
	switch d.scope {
	case scopeAll:
		return true
	case scopeCustomerStarted:
		return v.initiator == intercom.Customer && v.contact() != noTime
	}
	return v.contact() != noTime && d.hasSubject(v)
}

// hasSubject: the reply, close or reopen the metric is about happened (a
// bot's reply counts only when the definition counts bots as teammates).
func (d definition) hasSubject(v *figureValues) bool {
	switch d.scope {
	case scopeReplied:
		return d.reply(v) != noTime
	case scopeClosed:
		return v.lastClose() != noTime
	case scopeReopened:
		return v.reopens > 0
	}
	return true
}

func (d definition) reply(v *figureValues) int64 {
	if d.bots {
		return v.firstReplyAny()
	}
	return v.firstReply()
}

func (d definition) basisTime(v *figureValues) int64 {
	switch d.basis {
	case basisCreated:
		return v.created()
	case basisContact:
		return v.contact()
	case basisFirstReply:
		return d.reply(v)
	}
	return v.lastClose()
}

// valueOf is the duration the definition takes a median of.
func (d definition) valueOf(v *figureValues, hours int) int64 {
	if d.value == firstResponse && d.bots {
		return v.replyDurationAny(hours)
	}
	return v.duration(d.value, hours)
}

// span is a period as Unix seconds [start, end).
type span struct{ start, end int64 }

func (s span) has(t int64) bool { return t != noTime && t >= s.start && t < s.end }

// widen is the span that also holds t (the zero span holds nothing yet).
func (s span) widen(t int64) span {
	switch {
	case t == noTime:
		return s
	case s.start == 0 && s.end == 0:
		return span{t, t}
	}
	return span{min(s.start, t), max(s.end, t)}
}

// FigureResult is one dashboard figure reconciled.
type FigureResult struct {
	Figure      intercom.Figure
	Zone        *time.Location
	Count       bool
	TargetHours intercom.Hours // the hours mode the recomputation uses
	Naive       float64        // NaN when there is nothing to take a median of
	Recomputed  float64
	Bridge      []Step
	Residual    float64
	Best        Candidate
	Candidates  []Candidate // ranked; empty when the definition was not in doubt
	// Coverage names the sources whose span does not reach over the
	// figure's period: its residual is not unexplained.
	Coverage []string
	// NotChecked names what the inputs given cannot show (without a pull:
	// bot answers, truncated histories…): named once, never a residual to
	// ask Intercom about.
	NotChecked []string
	// Applied says the zone, hours mode and office hours used and where
	// each came from.
	Applied string
	// Notes are other things the figure's reader should know.
	Notes []string
}

// Open is whether the figure leaves something unexplained: a residual no
// coverage gap or unchecked input accounts for.
func (f FigureResult) Open() bool {
	return f.Residual != 0 && !math.IsNaN(f.Residual) && len(f.Coverage) == 0 && len(f.NotChecked) == 0
}

// Step is one line of a bridge.
type Step struct {
	Cause string
	Delta float64 // NaN when a median is undefined on either side
	Value float64 // the figure after the step
	IDs   []string
}

// Candidate is one reading of a figure's definition and its value.
type Candidate struct {
	Description string
	Value       float64
	Distance    float64
	Changes     int
}

// figure reconciles one dashboard figure.
func (r *Reconciler) figure(f intercom.Figure) (FigureResult, error) {
	def, ok := registry[f.Metric]
	if !ok {
		return FigureResult{}, fmt.Errorf("no definition for metric %q", f.Metric)
	}
	res := FigureResult{Figure: f, Zone: r.figureZone(f), Count: def.value < 0}
	def.zone, def.from, def.to = res.Zone, f.From, f.To
	// Only the API states a median (median_time_to_reply): its rounding is
	// the evidence for the dashboard's.
	def.rounding = r.variants[API][metrics.FamilyMedianRounding]
	naiveHours := allHours
	if f.Hours == intercom.HoursOffice {
		naiveHours = office
	}
	def.hours = naiveHours
	if res.Count {
		res.TargetHours = ""
	} else if f.Hours != intercom.HoursUnknown {
		res.TargetHours = f.Hours
	}
	cands := r.candidates(def)
	if !res.Count && f.Hours == intercom.HoursUnknown {
		// The hours mode is unknown: take the one whose value is nearer.
		res.Candidates = r.search(def, f, cands)
		def.hours = res.Candidates[0].hours()
		res.TargetHours = hoursName(def.hours)
	}
	res.Recomputed = r.evaluate(def, cands)
	b := bridge{r: r, def: def, fig: f, naiveHours: naiveHours, zone: res.Zone, cands: cands}
	var err error
	if res.Naive, res.Bridge, err = b.walk(res.Recomputed); err != nil {
		return res, err
	}
	last := res.Naive
	if n := len(res.Bridge); n > 0 {
		last = res.Bridge[n-1].Value
	}
	res.Residual = f.Value - last
	if res.Candidates == nil && res.Residual != 0 {
		res.Candidates = r.search(def, f, cands)
	}
	res.Best = r.describe(def, res.Recomputed, f.Value)
	if len(res.Candidates) > 0 {
		res.Best = res.Candidates[0]
	}
	res.Coverage = r.coverage(def.span())
	res.NotChecked = r.notChecked()
	res.Applied = r.applied(f, res)
	if def.scope == scopeReopened {
		if n := r.exportOnlyNear(cands); n > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%d conversations only the export has are left out: the export states no reopens", n))
		}
	}
	return res, nil
}

// exportOnlyNear counts the candidates only the export has.
func (r *Reconciler) exportOnlyNear(cands []int32) int {
	n := 0
	for _, i := range cands {
		if rec := r.records[i]; rec.inExport && !rec.inAPI {
			n++
		}
	}
	return n
}

// coverage names the sources that do not reach over the period: it starts
// more than a day before a source's first time, or ends more than a day
// after its last (docs/reconcile.md §3, Coverage).
func (r *Reconciler) coverage(p span) []string {
	var out []string
	for _, c := range []struct {
		name  string
		has   bool
		reach span
	}{{"export", r.hasExport(), r.exportReach}, {"api", r.hasPulls(), r.pullReach()}} {
		if c.has && (c.reach.start == 0 || p.start < c.reach.start-86400 || p.end > c.reach.end+86400) {
			out = append(out, c.name)
		}
	}
	return out
}

// pullReach is the pulls' manifest window when every pull has one, else the
// span of their conversations' creation times.
func (r *Reconciler) pullReach() span {
	if w := r.opts.PullWindow; w.To.After(w.From) {
		return span{w.From.Unix(), w.To.Unix()}
	}
	return r.pullCreated
}

// notChecked names what the inputs cannot show (docs/reconcile.md §3).
func (r *Reconciler) notChecked() []string {
	switch {
	case !r.hasPulls():
		return []string{"without an API pull: bot answers, truncated histories, the API's own statistics, and conversations the export does not list"}
	case !r.hasExport():
		return []string{"without an export: duplicate rows, the export's own values, and conversations the pulls do not hold"}
	}
	return nil
}

// applied says the zone, hours and office hours a figure used, and where
// each came from.
func (r *Reconciler) applied(f intercom.Figure, res FigureResult) string {
	zone := "UTC (no zone given or found)"
	switch {
	case f.Zone != "":
		zone = res.Zone.String() + " (the dashboard row)"
	case r.opts.Zone != nil:
		zone = r.opts.Zone.String() + " (" + orWord(r.opts.ZoneSource, "given") + ")"
	case r.exportZone != nil:
		zone = r.exportZone.String() + " (the export's headers)"
	}
	parts := []string{"zone " + zone}
	if res.Count {
		return parts[0] // a count has no durations: neither hours mode nor schedule applies
	}
	mode := "durations over " + string(res.TargetHours) + " hours (the dashboard row)"
	if f.Hours == intercom.HoursUnknown {
		mode = "durations over " + string(res.TargetHours) + " hours (not on the dashboard row: the nearer of the two to its value)"
	}
	parts = append(parts, mode)
	if res.TargetHours == intercom.HoursOffice {
		schedule := "schedule: none, so all hours"
		if l := r.learning; l != nil && l.Schedule.Schedule != nil {
			source := l.Schedule.Source
			if source == "given" {
				source = orWord(r.opts.ScheduleSource, "given")
			}
			schedule = "schedule " + l.Schedule.Schedule.String() + " (" + source + ")"
		}
		parts = append(parts, schedule)
	}
	return strings.Join(parts, "; ")
}

func orWord(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// figureZone is the zone a figure's period is read in.
func (r *Reconciler) figureZone(f intercom.Figure) *time.Location {
	if f.Zone != "" {
		if loc, err := time.LoadLocation(f.Zone); err == nil {
			return loc
		}
	}
	return r.workspaceZone()
}

// workspaceZone is the zone given, else the export's, else UTC.
func (r *Reconciler) workspaceZone() *time.Location {
	switch {
	case r.opts.Zone != nil:
		return r.opts.Zone
	case r.exportZone != nil:
		return r.exportZone
	}
	return time.UTC
}

// candidates are the records that can count for a figure's period under
// any reading the bridge or the search uses: those with a thread start,
// creation, first message, reply or close within a day of the period (a day
// covers every time zone).
func (r *Reconciler) candidates(d definition) []int32 {
	span := d.span()
	lo, hi := span.start-86400, span.end+86400
	near := func(t int64) bool { return t != noTime && t >= lo && t < hi }
	var out []int32
	nearAny := func(v *figureValues) bool {
		return near(v.created()) || near(v.contact()) || near(v.firstReplyAny()) || near(v.firstReply()) || near(v.lastClose())
	}
	for i, rec := range r.records {
		if rec.inExport && (near(rec.exp.threadStart()) || nearAny(&rec.exp)) || rec.inAPI && nearAny(&rec.api) {
			out = append(out, int32(i))
		}
	}
	return out
}

// evaluate computes a definition over every conversation known among
// cands: the pull's values where it was pulled, the export's elsewhere.
func (r *Reconciler) evaluate(d definition, cands []int32) float64 {
	period := d.span()
	var count int
	var values []int64
	for _, i := range cands {
		v := r.records[i].values()
		if !d.inScope(v) || !period.has(d.basisTime(v)) {
			continue
		}
		if d.value < 0 {
			count++
		} else if x := d.valueOf(v, d.hours); x != noDuration {
			values = append(values, x)
		}
	}
	if d.value < 0 {
		return float64(count)
	}
	return d.median(values)
}

// median is the middle value; for an even count the mean of the two middle
// values, rounded down (or as median_rounding's reading says: half up, or
// kept exact); NaN when empty.
// It reorders values: the bridges take a median of every cohort they pass
// through, so selection (linear) rather than sorting.
func (d definition) median(values []int64) float64 {
	n := len(values)
	if n == 0 {
		return math.NaN()
	}
	upper := selectKth(values, n/2)
	if n%2 == 1 {
		return float64(upper)
	}
	lower := slices.Max(values[:n/2]) // selection left the smaller half first
	switch d.rounding {
	case metrics.RoundHalfUp:
		return float64((lower + upper + 1) / 2)
	case metrics.RoundExact:
		return float64(lower+upper) / 2
	}
	return float64((lower + upper) / 2)
}

// selectKth reorders xs so that xs[k] is the value a sort would put there,
// smaller or equal values before it, and returns it (Hoare's selection with
// a median-of-three pivot).
func selectKth(xs []int64, k int) int64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

func hoursName(h int) intercom.Hours {
	if h == office {
		return intercom.HoursOffice
	}
	return intercom.HoursAll
}

// search evaluates the neighbours of the registry's definition and ranks
// them by distance to the dashboard value, then by how few things they change.
func (r *Reconciler) search(reg definition, f intercom.Figure, cands []int32) []Candidate {
	var out []Candidate
	for _, d := range neighbours(reg) {
		v := r.evaluate(d, cands)
		c := r.describe(d, v, f.Value)
		c.Changes = changes(reg, d)
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		switch {
		case a.Distance != b.Distance:
			if a.Distance < b.Distance || math.IsNaN(b.Distance) {
				return -1
			}
			return 1
		}
		return a.Changes - b.Changes
	})
	return out
}

// neighbours lists the readings near the registry's: basis × scope × hours
// × bots × zone.
func neighbours(reg definition) []definition {
	bases := uniq(reg.basis, basisCreated, basisContact)
	scopes := []scope{reg.scope}
	if reg.scope == scopeCustomerStarted || reg.scope == scopeContact {
		scopes = append(scopes, scopeAll)
	}
	if reg.scope == scopeCustomerStarted {
		scopes = append(scopes, scopeContact)
	}
	hours := []int{reg.hours}
	if reg.value >= 0 {
		hours = uniq(reg.hours, office, allHours)
	}
	bots := []bool{false}
	if reg.scope == scopeReplied {
		bots = append(bots, true)
	}
	zones := []*time.Location{reg.zone}
	if reg.zone.String() != "UTC" {
		zones = append(zones, time.UTC)
	}
	var out []definition
	for _, b := range bases {
		for _, s := range scopes {
			for _, h := range hours {
				for _, bot := range bots {
					for _, z := range zones {
						d := reg
						d.basis, d.scope, d.hours, d.bots, d.zone = b, s, h, bot, z
						out = append(out, d)
					}
				}
			}
		}
	}
	return out
}

func uniq[T comparable](first T, rest ...T) []T {
	out := []T{first}
	for _, x := range rest {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func changes(a, b definition) int {
	n := 0
	for _, differ := range []bool{a.basis != b.basis, a.scope != b.scope, a.hours != b.hours && a.value >= 0, a.bots != b.bots, a.zone.String() != b.zone.String()} {
		if differ {
			n++
		}
	}
	return n
}

func (r *Reconciler) describe(d definition, value, dashboard float64) Candidate {
	parts := []string{"scope=" + scopeNames[d.scope], "basis=" + basisNames[d.basis]}
	if d.value >= 0 {
		parts = append(parts, "hours="+string(hoursName(d.hours)))
	}
	if d.scope == scopeReplied {
		bots := "excluded"
		if d.bots {
			bots = "counted as teammates"
		}
		parts = append(parts, "bots="+bots)
	}
	parts = append(parts, "zone="+d.zone.String())
	return Candidate{Description: strings.Join(parts, " "), Value: value, Distance: math.Abs(value - dashboard)}
}

// hours reads the hours mode back from a candidate's description.
func (c Candidate) hours() int {
	if strings.Contains(c.Description, "hours=office") {
		return office
	}
	return allHours
}

// typedPrecision is the unit of the smallest part of a typed duration: "14m"
// and "1h 12m" are to the minute, "00:14:00" and "840" to the second.
func typedPrecision(raw string) float64 {
	raw = strings.ToLower(raw)
	if strings.Contains(raw, ":") {
		return 1
	}
	if _, err := strconv.ParseFloat(strings.TrimSpace(raw), 64); err == nil {
		return 1
	}
	finest := 0.0
	for _, m := range unitWord.FindAllStringSubmatch(raw, -1) {
		unit := map[byte]float64{'d': 86400, 'h': 3600, 'm': 60, 's': 1}[m[1][0]]
		if unit > 0 && (finest == 0 || unit < finest) {
			finest = unit
		}
	}
	if finest == 0 {
		return 1
	}
	return finest
}

var unitWord = regexp.MustCompile(`\d\s*([a-z]+)`)
