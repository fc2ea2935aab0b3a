package metrics

import (
	"slices"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/officehours"
)

// Options say how to recompute: the workspace's office hours, who counts as a
// bot, and which reading of each ambiguous definition to use.
type Options struct {
	// Schedule gives office hours; nil means all hours (24/7).
	Schedule *officehours.Schedule
	Bots     intercom.Bots
	Variants Variants
	// BotsAsTeammates counts a bot's visible part as an admin reply: not
	// Intercom's definition, but the reading a difference may reveal (the
	// bot_author cause) and a neighbour the definition search tries.
	BotsAsTeammates bool
}

// Recompute derives every statistics field from the conversation's opening
// message and parts, as docs/metrics.md defines them, under opts' readings.
// Everything after the first contact event is measured from it. The result
// states every field; fields that do not apply are unset.
func Recompute(c *intercom.Conversation, opts Options) intercom.Statistics {
	var f facts
	f.walk(c, &opts, opts.Variants[FamilyBodyEvents])
	return f.stats(&opts, opts.Variants)
}

// Exploration is what a conversation's parts say under every reading: one
// walk per reading of body_events (the second only when a human admin's
// close, assignment or open with a body makes it matter), from which the
// statistics under any readings are assembled without the parts.
type Exploration struct {
	opts  Options
	facts [2]*facts // by body_events reading; [1] nil when it equals [0]
}

// Explore walks the conversation's parts once (twice when body_events
// matters).
func Explore(c *intercom.Conversation, opts Options) *Exploration {
	e := &Exploration{}
	e.explore(c, opts, new(facts), func() *facts { return new(facts) })
	return e
}

// An Explorer explores one conversation after another in the same memory:
// what its Explore returns is valid until the next call. A reader's worker
// that recomputes each conversation and keeps only the results uses one,
// instead of leaving a kilobyte of garbage per conversation.
type Explorer struct {
	e     Exploration
	facts [2]facts
}

// Explore is the package's Explore, in x's memory.
func (x *Explorer) Explore(c *intercom.Conversation, opts Options) *Exploration {
	x.e.explore(c, opts, x.facts[BodyEventsReply].reset(), x.facts[BodyEventsEvent].reset)
	return &x.e
}

// explore walks the parts into reply, and into event's facts as well when
// body_events' readings differ.
func (e *Exploration) explore(c *intercom.Conversation, opts Options, reply *facts, event func() *facts) {
	*e = Exploration{opts: opts}
	e.facts[BodyEventsReply] = reply
	reply.walk(c, &opts, BodyEventsReply)
	if reply.bodyEvent {
		e.facts[BodyEventsEvent] = event()
		e.facts[BodyEventsEvent].walk(c, &opts, BodyEventsEvent)
	}
}

// reset makes f as new, keeping the pairs' memory.
func (f *facts) reset() *facts {
	pairs := f.pairs
	*f = facts{}
	for i := range pairs {
		f.pairs[i] = pairs[i][:0]
	}
	return f
}

// Stats are the statistics under the readings v.
func (e *Exploration) Stats(v Variants) intercom.Statistics {
	return e.under(v).stats(&e.opts, v)
}

// StatsWith are the statistics under the readings v and another schedule
// (one learned after the parts were walked; nil means all hours).
func (e *Exploration) StatsWith(sch *officehours.Schedule, v Variants) intercom.Statistics {
	opts := e.opts
	opts.Schedule = sch
	return e.under(v).stats(&opts, v)
}

// Replies counts the admin replies after the first contact event under the
// readings v.
func (e *Exploration) Replies(v Variants) int { return e.under(v).replies }

// AssignmentsAfterReply counts the assignments after the first admin reply
// under the readings v.
func (e *Exploration) AssignmentsAfterReply(v Variants) int { return e.under(v).assignsAfterReply }

// Pair is a customer message and the teammate reply that answers it.
type Pair struct{ From, To int64 }

// Pairs are the reply pairs under the default readings, when every reading
// of reply_pairing finds the same ones (no bot answer or run of customer
// messages makes them differ); nil otherwise.
func (e *Exploration) Pairs() []Pair {
	f := e.facts[BodyEventsReply]
	latest := f.pairs[PairLatest]
	if !slices.Equal(latest, f.pairs[PairFirstOfRun]) || !slices.Equal(latest, f.pairs[PairBotsBreak]) {
		return nil
	}
	out := make([]Pair, len(latest))
	for i, p := range latest {
		out[i] = Pair{p.from, p.to}
	}
	return out
}

// Distinguishes reports whether the readings of family can give different
// values on this conversation (an exploration without a human body event
// cannot tell body_events' readings apart, for instance).
func (e *Exploration) Distinguishes(f Family) bool {
	return f != FamilyBodyEvents || e.facts[BodyEventsEvent] != nil
}

func (e *Exploration) under(v Variants) *facts {
	if f := e.facts[v[FamilyBodyEvents]]; f != nil {
		return f
	}
	return e.facts[BodyEventsReply]
}

// Reply pairings, indexes of facts.pairs.
const numPairings = 3

// pair is a customer message and the admin reply that answers it.
type pair struct{ from, to int64 }

// facts are what one pass over a conversation's events finds under one
// reading of body_events: every timestamp and count that no other family
// changes, and what the other families choose from.
type facts struct {
	st      intercom.Statistics // the timestamps and counts of one reading
	started bool                // the first contact event has happened
	fcr     int64               // its time
	parts   int

	closed  bool // the conversation is closed (for counting reopens)
	replied bool // a first admin reply has happened
	// replies counts the admin replies, assignsAfterReply the assignments
	// after the first of them (the export's "Replies sent" and the custom
	// reports' reassignments).
	replies, assignsAfterReply int
	// bodyEvent: a human admin's close, assignment or open with a body came
	// after the first contact event, so body_events' readings differ.
	bodyEvent bool

	lastAssignBeforeReply    intercom.Instant // help reading; time_to_assignment=last_before_reply
	awaitingReplyAfterAssign bool             // api reading: an assignment has no reply after it yet
	replyAfterLastAssign     intercom.Instant

	// Reply pairing state: the last visible part that was not a bot's,
	// the customer's latest visible message and the first of their run,
	// and, for bots_break, the last visible part of anyone.
	lastNonBotIsContact  bool
	latestContactAt      int64
	runStartAt           int64
	prevVisibleIsContact bool
	prevVisibleAt        int64

	pairs [numPairings][]pair
}

// author kinds for reply pairing.
const (
	byContact = iota
	byBot
	byTeammate
)

// walk passes over the opening message and the parts in order.
func (f *facts) walk(c *intercom.Conversation, opts *Options, bodyEvents uint8) {
	f.parts = len(c.Parts)
	f.start(c, opts)
	for i := range c.Parts {
		f.part(&c.Parts[i], opts, bodyEvents)
	}
}

// start handles the opening message, which is the first contact event when a
// contact wrote it, and a visible part either way.
func (f *facts) start(c *intercom.Conversation, opts *Options) {
	if !c.CreatedAt.Valid {
		return
	}
	t := c.CreatedAt.Unix
	kind := byTeammate
	switch {
	case c.SourceIsContactEvent():
		kind = byContact
		f.contactEvent(t)
	case opts.Bots.IsBot(c.SourceAuthor) && !opts.BotsAsTeammates:
		kind = byBot
	}
	f.visible(kind, t)
}

func (f *facts) part(p *intercom.Part, opts *Options, bodyEvents uint8) {
	if !p.CreatedAt.Valid {
		return
	}
	t := p.CreatedAt.Unix
	kind := authorKind(p.Author, opts)
	if !f.started {
		if intercom.IsContactEvent(*p) {
			f.contactEvent(t)
		}
		if intercom.IsVisible(*p) {
			f.visible(kind, t)
		}
		return
	}
	if kind == byTeammate && intercom.IsBodyEvent(*p) {
		f.bodyEvent = true
	}
	reply := intercom.IsVisible(*p) && kind == byTeammate && (bodyEvents == BodyEventsReply || !intercom.IsBodyEvent(*p))
	if reply {
		f.adminReply(t)
	}
	if intercom.IsAssignment(*p) {
		f.assignment(t)
	}
	if intercom.IsClose(*p) {
		f.close(p, t, opts)
	} else if f.closed && (intercom.IsExplicitReopen(*p) || intercom.IsContactEvent(*p)) {
		f.closed = false
		f.st.CountReopens.N++
	}
	if intercom.IsContactEvent(*p) {
		f.st.LastContactReplyAt = intercom.At(t)
	}
	if intercom.IsVisible(*p) {
		f.visible(kind, t)
	}
}

func authorKind(a intercom.Author, opts *Options) int {
	switch {
	case intercom.IsContact(a):
		return byContact
	case opts.BotsAsTeammates && opts.Bots.IsBot(a):
		return byTeammate
	case opts.Bots.IsBot(a):
		return byBot
	case opts.Bots.IsHumanAdmin(a):
		return byTeammate
	}
	return byTeammate // a team or an author type Intercom may add: not the customer, not a bot
}

// contactEvent marks the first contact event; later ones only move
// last_contact_reply_at.
func (f *facts) contactEvent(t int64) {
	f.started, f.fcr = true, t
	f.st.FirstContactReplyAt = intercom.At(t)
	f.st.LastContactReplyAt = intercom.At(t)
}

// visible keeps the reply-pairing state: a bot's visible part is skipped by
// every pairing but bots_break; a customer's extends or starts their run; a
// teammate's ends it.
func (f *facts) visible(kind int, t int64) {
	f.prevVisibleIsContact, f.prevVisibleAt = kind == byContact, t
	switch kind {
	case byContact:
		if !f.lastNonBotIsContact {
			f.runStartAt = t
		}
		f.latestContactAt, f.lastNonBotIsContact = t, true
	case byTeammate:
		f.lastNonBotIsContact = false
	}
}

// adminReply records a reply, and pairs it with the customer message it
// answers under each pairing (before visible moves the state on).
func (f *facts) adminReply(t int64) {
	at := intercom.At(t)
	if !f.replied {
		f.replied = true
		f.st.FirstAdminReplyAt = at
	}
	f.replies++
	f.st.LastAdminReplyAt = at
	if f.awaitingReplyAfterAssign {
		f.awaitingReplyAfterAssign = false
		f.replyAfterLastAssign = at
	}
	if f.lastNonBotIsContact {
		f.pairs[PairLatest] = append(f.pairs[PairLatest], pair{f.latestContactAt, t})
		f.pairs[PairFirstOfRun] = append(f.pairs[PairFirstOfRun], pair{f.runStartAt, t})
	}
	if f.prevVisibleIsContact {
		f.pairs[PairBotsBreak] = append(f.pairs[PairBotsBreak], pair{f.prevVisibleAt, t})
	}
}

func (f *facts) assignment(t int64) {
	at := intercom.At(t)
	if !f.st.FirstAssignmentAt.Valid {
		f.st.FirstAssignmentAt = at
	}
	f.st.LastAssignmentAt = at
	f.st.CountAssignments.N++
	if !f.replied {
		f.lastAssignBeforeReply = at
	} else {
		f.assignsAfterReply++
	}
	f.awaitingReplyAfterAssign = true
	f.replyAfterLastAssign = intercom.Instant{}
}

func (f *facts) close(p *intercom.Part, t int64, opts *Options) {
	at := intercom.At(t)
	if !f.st.FirstCloseAt.Valid {
		f.st.FirstCloseAt = at
	}
	f.st.LastCloseAt = at
	f.st.LastClosedByID = p.Author.ID
	if opts.Bots.IsHumanAdmin(p.Author) {
		f.st.LastClosedByHumanAt = at
	}
	f.closed = true
}

// stats assembles the statistics under the readings v.
func (f *facts) stats(opts *Options, v Variants) intercom.Statistics {
	st := f.st
	st.Stated = intercom.AllFields()
	st.CountReopens.Valid, st.CountAssignments.Valid = true, true
	st.CountConversationParts = intercom.CountOf(f.parts + 1)
	if v[FamilyParts] == PartsOnly {
		st.CountConversationParts = intercom.CountOf(f.parts)
	}
	if !f.started {
		return st
	}
	st.LastAssignmentAdminReplyAt = f.replyAfterLastAssign
	if v[FamilyLastAssignmentReply] == LastAssignmentHelp {
		st.LastAssignmentAdminReplyAt = f.assignedBeforeReply()
	}
	w := durations{sch: opts.Schedule, from: f.fcr}
	st.TimeToAssignment, st.TimeToAssignmentAllHours = w.to(f.assignmentEnd(v[FamilyAssignment]), v[FamilyAssignmentHours])
	st.TimeToAdminReply, st.TimeToAdminReplyAllHours = w.to(st.FirstAdminReplyAt, v[FamilyAdminReplyHours])
	st.TimeToFirstClose, st.TimeToFirstCloseAllHours = w.to(st.FirstCloseAt, v[FamilyFirstCloseHours])
	st.TimeToLastClose, st.TimeToLastCloseAllHours = w.to(st.LastCloseAt, v[FamilyLastCloseHours])
	st.TimeToLastCloseByHuman, st.TimeToLastCloseByHumanAllHours = w.to(st.LastClosedByHumanAt, HoursOffice)
	st.ReplyTimes, st.ReplyTimesAllHours = w.replyTimes(f.pairs[v[FamilyReplyPairing]])
	rounding := v[FamilyMedianRounding]
	st.MedianTimeToReply = MedianOf(st.ReplyTimes, rounding)
	st.MedianTimeToReplyAllHours = MedianOf(st.ReplyTimesAllHours, rounding)
	if v[FamilyMedianHours] == HoursAll {
		st.MedianTimeToReply = st.MedianTimeToReplyAllHours
	}
	return st
}

// assignedBeforeReply is the last assignment after the first contact event
// and before the first admin reply; unset without an admin reply.
func (f *facts) assignedBeforeReply() intercom.Instant {
	if !f.replied {
		return intercom.Instant{}
	}
	return f.lastAssignBeforeReply
}

// assignmentEnd is where time_to_assignment ends under a reading.
func (f *facts) assignmentEnd(reading uint8) intercom.Instant {
	switch reading {
	case AssignFirstReplied:
		if !f.replied {
			return intercom.Instant{}
		}
		return f.st.FirstAssignmentAt
	case AssignLastBeforeReply:
		return f.assignedBeforeReply()
	}
	return f.st.FirstAssignmentAt
}

// durations measures from the first contact event.
type durations struct {
	sch  *officehours.Schedule
	from int64
}

// to gives the office-hours and all-hours seconds to end; a part listed
// after the first contact event but stamped earlier counts 0. Under the
// hours reading all, the office field holds the all-hours value.
func (d durations) to(end intercom.Instant, hours uint8) (office, all intercom.Seconds) {
	if !end.Valid {
		return intercom.Seconds{}, intercom.Seconds{}
	}
	all = intercom.Secs(max(0, end.Unix-d.from))
	if hours == HoursAll {
		return all, all
	}
	return intercom.Secs(officeSeconds(d.sch, d.from, end.Unix)), all
}

func (d durations) replyTimes(pairs []pair) (office, all []int64) {
	for _, p := range pairs {
		office = append(office, officeSeconds(d.sch, p.from, p.to))
		all = append(all, max(0, p.to-p.from))
	}
	return office, all
}

func officeSeconds(sch *officehours.Schedule, from, to int64) int64 {
	if sch == nil {
		return max(0, to-from)
	}
	return sch.Seconds(from, to)
}

// Median is the middle value; for an even count the mean of the two middle
// values rounded down, as Intercom computes median_time_to_reply. Unset for
// an empty list.
func Median(xs []int64) intercom.Seconds { return MedianOf(xs, RoundDown) }

// MedianOf is the median under a median_rounding reading: for an even
// count, the mean of the two middle values rounded down, half up, or (exact)
// kept — which whole seconds can only hold rounded down.
func MedianOf(xs []int64, rounding uint8) intercom.Seconds {
	if len(xs) == 0 {
		return intercom.Seconds{}
	}
	var buf [32]int64 // most conversations have few replies: no allocation
	sorted := append(buf[:0], xs...)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return intercom.Secs(sorted[mid])
	}
	sum := sorted[mid-1] + sorted[mid]
	if rounding == RoundHalfUp {
		return intercom.Secs((sum + 1) / 2)
	}
	return intercom.Secs(sum / 2)
}

// FirstBotReplyAt is when a bot first answered the customer: the first
// visible part by a bot after the first contact event; unset when none.
// Figures use it to tell conversations only a bot replied to.
func FirstBotReplyAt(c *intercom.Conversation, opts Options) intercom.Instant {
	started := c.CreatedAt.Valid && c.SourceIsContactEvent()
	for i := range c.Parts {
		p := &c.Parts[i]
		switch {
		case !started:
			started = intercom.IsContactEvent(*p)
		case intercom.IsVisible(*p) && !intercom.IsContact(p.Author) && opts.Bots.IsBot(p.Author):
			return p.CreatedAt
		}
	}
	return intercom.Instant{}
}
