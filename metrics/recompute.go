package metrics

import (
	"slices"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/officehours"
)

// Options say how to recompute: the workspace's office hours, who counts as a
// bot, and which reading of an ambiguous definition to use.
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
// message and parts, as docs/metrics.md defines them. Everything after the
// first contact event is measured from it. The result states every field;
// fields that do not apply are unset.
func Recompute(c *intercom.Conversation, opts Options) intercom.Statistics {
	var w walk
	w.opts = &opts
	w.v = opts.Variants.withDefaults()
	w.start(c)
	for i := range c.Parts {
		w.part(&c.Parts[i])
	}
	st := w.finish()
	st.CountConversationParts = intercom.CountOf(len(c.Parts))
	return st
}

// walk is the state of one pass over a conversation's events.
type walk struct {
	opts *Options
	v    Variants
	st   intercom.Statistics

	started       bool  // the first contact event has happened
	fcr           int64 // its time
	closed        bool  // the conversation is closed (for counting reopens)
	replied       bool  // a first admin reply has happened
	prevIsContact bool  // the previous visible part was the customer's
	prevVisibleAt int64

	lastAssignBeforeReply    intercom.Instant // help reading; also time_to_assignment
	awaitingReplyAfterAssign bool             // api reading: an assignment has no reply after it yet
	replyAfterLastAssign     intercom.Instant

	replyOffice, replyAll []int64
}

// start handles the opening message, which is the first contact event when a
// contact wrote it, and a visible part either way.
func (w *walk) start(c *intercom.Conversation) {
	if !c.CreatedAt.Valid {
		return
	}
	t := c.CreatedAt.Unix
	isContact := c.SourceIsContactEvent()
	if isContact {
		w.contactEvent(t)
	}
	w.prevIsContact, w.prevVisibleAt = isContact, t
}

func (w *walk) part(p *intercom.Part) {
	if !p.CreatedAt.Valid {
		return
	}
	t := p.CreatedAt.Unix
	if !w.started {
		if intercom.IsContactEvent(*p) {
			w.contactEvent(t)
		}
		w.visible(p, t)
		return
	}
	if w.isAdminReply(p) {
		w.adminReply(t)
	}
	if intercom.IsAssignment(*p) {
		w.assignment(t)
	}
	if intercom.IsClose(*p) {
		w.close(p, t)
	} else if w.closed && (intercom.IsExplicitReopen(*p) || intercom.IsContactEvent(*p)) {
		w.closed = false
		w.st.CountReopens.N++
	}
	if intercom.IsContactEvent(*p) {
		w.st.LastContactReplyAt = intercom.At(t)
	}
	w.visible(p, t)
}

// contactEvent marks the first contact event; later ones only move
// last_contact_reply_at.
func (w *walk) contactEvent(t int64) {
	w.started, w.fcr = true, t
	w.st.FirstContactReplyAt = intercom.At(t)
	w.st.LastContactReplyAt = intercom.At(t)
}

// visible remembers the last part the customer saw and who wrote it, for
// reply times.
func (w *walk) visible(p *intercom.Part, t int64) {
	if intercom.IsVisible(*p) {
		w.prevIsContact, w.prevVisibleAt = intercom.IsContact(p.Author), t
	}
}

// isAdminReply: a visible part by a human admin; a close, assignment or open
// carrying a body counts only under body_events=reply.
func (w *walk) isAdminReply(p *intercom.Part) bool {
	if !intercom.IsVisible(*p) || !w.isTeammate(p.Author) {
		return false
	}
	return w.v.BodyEvents == BodyEventsReply || !intercom.IsBodyEvent(*p)
}

func (w *walk) isTeammate(a intercom.Author) bool {
	if w.opts.BotsAsTeammates && !intercom.IsContact(a) && w.opts.Bots.IsBot(a) {
		return true
	}
	return w.opts.Bots.IsHumanAdmin(a)
}

func (w *walk) adminReply(t int64) {
	at := intercom.At(t)
	if !w.replied {
		w.replied = true
		w.st.FirstAdminReplyAt = at
	}
	w.st.LastAdminReplyAt = at
	if w.awaitingReplyAfterAssign {
		w.awaitingReplyAfterAssign = false
		w.replyAfterLastAssign = at
	}
	if w.prevIsContact {
		w.replyAll = append(w.replyAll, max(0, t-w.prevVisibleAt))
		w.replyOffice = append(w.replyOffice, w.officeSeconds(w.prevVisibleAt, t))
	}
}

func (w *walk) assignment(t int64) {
	at := intercom.At(t)
	if !w.st.FirstAssignmentAt.Valid {
		w.st.FirstAssignmentAt = at
	}
	w.st.LastAssignmentAt = at
	w.st.CountAssignments.N++
	if !w.replied {
		w.lastAssignBeforeReply = at
	}
	w.awaitingReplyAfterAssign = true
	w.replyAfterLastAssign = intercom.Instant{}
}

func (w *walk) close(p *intercom.Part, t int64) {
	at := intercom.At(t)
	if !w.st.FirstCloseAt.Valid {
		w.st.FirstCloseAt = at
	}
	w.st.LastCloseAt = at
	w.st.LastClosedByID = p.Author.ID
	if w.opts.Bots.IsHumanAdmin(p.Author) {
		w.st.LastClosedByHumanAt = at
	}
	w.closed = true
}

// finish computes the durations from the timestamps found.
func (w *walk) finish() intercom.Statistics {
	st := w.st
	st.Stated = intercom.AllFields()
	st.CountReopens.Valid, st.CountAssignments.Valid = true, true
	if !w.started {
		return st
	}
	switch w.v.LastAssignmentAdminReply {
	case LastAssignmentHelp:
		if w.replied {
			st.LastAssignmentAdminReplyAt = w.lastAssignBeforeReply
		}
	default:
		st.LastAssignmentAdminReplyAt = w.replyAfterLastAssign
	}
	var assignedBeforeReply intercom.Instant
	if w.replied {
		assignedBeforeReply = w.lastAssignBeforeReply
	}
	st.TimeToAssignment, st.TimeToAssignmentAllHours = w.durations(assignedBeforeReply)
	if w.v.TimeToAssignmentHours == HoursAll {
		st.TimeToAssignment = st.TimeToAssignmentAllHours
	}
	st.TimeToAdminReply, st.TimeToAdminReplyAllHours = w.durations(st.FirstAdminReplyAt)
	st.TimeToFirstClose, st.TimeToFirstCloseAllHours = w.durations(st.FirstCloseAt)
	st.TimeToLastClose, st.TimeToLastCloseAllHours = w.durations(st.LastCloseAt)
	st.TimeToLastCloseByHuman, st.TimeToLastCloseByHumanAllHours = w.durations(st.LastClosedByHumanAt)
	st.ReplyTimes, st.ReplyTimesAllHours = w.replyOffice, w.replyAll
	st.MedianTimeToReply = Median(w.replyOffice)
	st.MedianTimeToReplyAllHours = Median(w.replyAll)
	return st
}

// durations gives the office-hours and all-hours seconds from the first
// contact event to end; a part listed after it but stamped earlier counts 0.
func (w *walk) durations(end intercom.Instant) (office, all intercom.Seconds) {
	if !end.Valid {
		return intercom.Seconds{}, intercom.Seconds{}
	}
	return intercom.Secs(w.officeSeconds(w.fcr, end.Unix)), intercom.Secs(max(0, end.Unix-w.fcr))
}

func (w *walk) officeSeconds(from, to int64) int64 {
	if w.opts.Schedule == nil {
		return max(0, to-from)
	}
	return w.opts.Schedule.Seconds(from, to)
}

// Median is the middle value; for an even count the mean of the two middle
// values, rounded half up. Unset for an empty list.
func Median(xs []int64) intercom.Seconds {
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
	return intercom.Secs((sorted[mid-1] + sorted[mid] + 1) / 2)
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
