package reconcile

import (
	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
)

// The durations dashboard figures take medians of.
const (
	firstResponse    = iota // time_to_admin_reply
	timeToClose             // time_to_last_close
	timeToFirstClose        // time_to_first_close
	numDurations
)

// durationNames are the API names of the figure durations.
var durationNames = [numDurations]string{"time_to_admin_reply", "time_to_last_close", "time_to_first_close"}

// Hours modes, as indexes of figureValues.dur.
const (
	office   = 0
	allHours = 1
)

// noDuration marks a duration that is not set.
const noDuration = -1

// figureValues are the few values of one side of a conversation that the
// figures and the conversations list need; kept for every conversation, so
// they are plain numbers (noTime, noDuration when unset).
type figureValues struct {
	set              bool
	initiator        intercom.Initiator
	created          int64
	contact          int64 // first_contact_reply_at
	firstReply       int64 // by a teammate
	firstReplyAny    int64 // by a teammate or a bot
	firstClose       int64
	lastClose        int64
	reopens          int32 // -1 when the side does not state it
	dur              [numDurations][2]int64
	firstReplyDurAny [2]int64 // time to the first reply by anyone
}

// values are the record's values as the figures use them: the pull's where
// the conversation was pulled, else the export's (every conversation known
// counts, docs/reconcile.md §3).
func (rec *record) values() *figureValues {
	if rec.inAPI {
		return &rec.api
	}
	return &rec.exp
}

// threadStart is when the message thread began: the customer's first
// message, or the conversation's creation when the customer never wrote.
func (v *figureValues) threadStart() int64 {
	if v.contact != noTime {
		return v.contact
	}
	return v.created
}

func unix(i intercom.Instant) int64 {
	if !i.Valid {
		return noTime
	}
	return i.Unix
}

func seconds(s intercom.Seconds) int64 {
	if !s.Valid {
		return noDuration
	}
	return s.N
}

// exportValues reads an export row's values, as the naive figures use them.
func exportValues(c *intercom.Conversation) figureValues {
	st := &c.Reported
	v := figureValues{
		set: true, initiator: c.Initiator, created: unix(c.CreatedAt), contact: unix(c.StartedAt),
		firstReply: unix(st.FirstAdminReplyAt), firstClose: unix(st.FirstCloseAt), lastClose: unix(st.LastCloseAt),
		reopens: -1,
	}
	v.firstReplyAny = v.firstReply
	v.dur = [numDurations][2]int64{
		{seconds(st.TimeToAdminReply), seconds(st.TimeToAdminReplyAllHours)},
		{seconds(st.TimeToLastClose), seconds(st.TimeToLastCloseAllHours)},
		{seconds(st.TimeToFirstClose), seconds(st.TimeToFirstCloseAllHours)},
	}
	v.firstReplyDurAny = v.dur[firstResponse]
	return v
}

// apiValues reads a pulled conversation's values: the recomputation when the
// history is complete, else the API's own statistics (all-hours durations
// then come from its timestamps, since the API states none).
func apiValues(c *intercom.Conversation, rec *intercom.Statistics, truncated bool, firstBot intercom.Instant, opts metrics.Options) figureValues {
	st, fromParts := rec, true
	if rec == nil || truncated {
		st, fromParts = &c.Reported, false
	}
	v := figureValues{
		set: true, initiator: c.Initiator, created: unix(c.CreatedAt), contact: unix(st.FirstContactReplyAt),
		firstReply: unix(st.FirstAdminReplyAt), firstClose: unix(st.FirstCloseAt), lastClose: unix(st.LastCloseAt),
		reopens: -1,
	}
	if st.CountReopens.Valid {
		v.reopens = int32(st.CountReopens.N)
	}
	if fromParts {
		v.dur = [numDurations][2]int64{
			{seconds(st.TimeToAdminReply), seconds(st.TimeToAdminReplyAllHours)},
			{seconds(st.TimeToLastClose), seconds(st.TimeToLastCloseAllHours)},
			{seconds(st.TimeToFirstClose), seconds(st.TimeToFirstCloseAllHours)},
		}
	} else {
		v.dur = [numDurations][2]int64{
			{seconds(st.TimeToAdminReply), since(v.contact, v.firstReply)},
			{seconds(st.TimeToLastClose), since(v.contact, v.lastClose)},
			{seconds(st.TimeToFirstClose), since(v.contact, v.firstClose)},
		}
	}
	v.firstReplyAny, v.firstReplyDurAny = v.firstReply, v.dur[firstResponse]
	if bot := unix(firstBot); bot != noTime && v.contact != noTime && (v.firstReply == noTime || bot < v.firstReply) {
		v.firstReplyAny = bot
		v.firstReplyDurAny = [2]int64{officeSeconds(opts, v.contact, bot), max(0, bot-v.contact)}
	}
	return v
}

func since(from, to int64) int64 {
	if from == noTime || to == noTime {
		return noDuration
	}
	return max(0, to-from)
}

func officeSeconds(opts metrics.Options, from, to int64) int64 {
	if opts.Schedule == nil {
		return max(0, to-from)
	}
	return opts.Schedule.Seconds(from, to)
}

// durationCauses picks, for each figure duration, the cause of the
// difference between the export's value and the recomputed one (or the API's
// when there is no trustworthy recomputation): the median bridges name their
// value steps by it.
func durationCauses(diffs []Difference, recomputed, exported bool) [numDurations][2]uint8 {
	var out [numDurations][2]uint8
	left, other := Export, Recomputed
	if !recomputed {
		other = API
	}
	if !exported {
		left, other = API, Recomputed // no export row: the naive values are the API's own
	}
	for _, d := range diffs {
		if d.Left != left || d.Right != other {
			continue
		}
		for i, name := range durationNames {
			switch d.Field {
			case name:
				out[i][office] = uint8(d.Cause) + 1
			case name + "_all_hours":
				out[i][allHours] = uint8(d.Cause) + 1
			}
		}
	}
	return out
}

// naiveRow is an export row as an analyst counts it, duplicates included.
type naiveRow struct {
	id     string
	values figureValues
}

// keyValues are the values the conversations list shows for each side.
type keyValues struct {
	firstReply, lastClose  int64 // noTime when unset
	firstResponse, toClose int64 // office hours; noDuration when unset
}

func reportedKeys(st *intercom.Statistics) keyValues {
	return keyValues{unix(st.FirstAdminReplyAt), unix(st.LastCloseAt), seconds(st.TimeToAdminReply), seconds(st.TimeToLastClose)}
}

func (v *figureValues) keys() keyValues {
	return keyValues{v.firstReply, v.lastClose, v.dur[firstResponse][office], v.dur[timeToClose][office]}
}
