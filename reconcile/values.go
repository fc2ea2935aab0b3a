package reconcile

import (
	"math"

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

// The instants figureValues keeps, as indexes of its times.
const (
	tCreated       = iota
	tContact       // first_contact_reply_at
	tFirstReply    // by a teammate
	tFirstReplyAny // by a teammate or a bot
	tFirstClose
	tLastClose
	numTimes
)

// wideValues are a side's figure values as plain numbers (noTime,
// noDuration when unset): the form they are computed in, and kept as such
// for the rare conversation whose values do not fit figureValues.
type wideValues struct {
	times            [numTimes]int64
	dur              [numDurations][2]int64
	firstReplyDurAny [2]int64 // time to the first reply by anyone
}

// figureValues are the few values of one side of a conversation that the
// figures and the conversations list need. They are kept for every
// conversation, so compactly: instants as Unix seconds in 32 bits (until
// 2106; 0 when unset), durations as seconds in 32 bits (68 years; -1 when
// unset). A side with a value outside those ranges keeps its wide form.
type figureValues struct {
	times            [numTimes]uint32
	dur              [numDurations][2]int32
	firstReplyDurAny [2]int32
	reopens          int16 // -1 when the side does not state it
	set              bool
	initiator        intercom.Initiator
	wide             *wideValues // only when a value does not fit
}

// compact turns wide values into figureValues.
func compact(w *wideValues, initiator intercom.Initiator, reopens int64) figureValues {
	v := figureValues{set: true, initiator: initiator, reopens: -1}
	if reopens >= 0 {
		v.reopens = int16(min(reopens, math.MaxInt16))
	}
	fits := true
	for i, t := range w.times {
		switch {
		case t == noTime:
		case t > 0 && t <= math.MaxUint32:
			v.times[i] = uint32(t)
		default:
			fits = false
		}
	}
	fitSpan := func(d int64) int32 {
		if d < noDuration || d > math.MaxInt32 {
			fits = false
		}
		return int32(d)
	}
	for i := range w.dur {
		for h := range w.dur[i] {
			v.dur[i][h] = fitSpan(w.dur[i][h])
		}
	}
	for h := range w.firstReplyDurAny {
		v.firstReplyDurAny[h] = fitSpan(w.firstReplyDurAny[h])
	}
	if !fits {
		keep := *w
		v.wide = &keep
	}
	return v
}

// time is one of the instants, Unix seconds or noTime.
func (v *figureValues) time(i int) int64 {
	if v.wide != nil {
		return v.wide.times[i]
	}
	if v.times[i] == 0 {
		return noTime
	}
	return int64(v.times[i])
}

// duration is one of the durations in an hours mode, or noDuration.
func (v *figureValues) duration(i, hours int) int64 {
	if v.wide != nil {
		return v.wide.dur[i][hours]
	}
	return int64(v.dur[i][hours])
}

// replyDurationAny is the time to the first reply by anyone, or noDuration.
func (v *figureValues) replyDurationAny(hours int) int64 {
	if v.wide != nil {
		return v.wide.firstReplyDurAny[hours]
	}
	return int64(v.firstReplyDurAny[hours])
}

func (v *figureValues) created() int64       { return v.time(tCreated) }
func (v *figureValues) contact() int64       { return v.time(tContact) }
func (v *figureValues) firstReply() int64    { return v.time(tFirstReply) }
func (v *figureValues) firstReplyAny() int64 { return v.time(tFirstReplyAny) }
func (v *figureValues) lastClose() int64     { return v.time(tLastClose) }

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
	if c := v.contact(); c != noTime {
		return c
	}
	return v.created()
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
	var w wideValues
	w.times = [numTimes]int64{tCreated: unix(c.CreatedAt), tContact: unix(c.StartedAt),
		tFirstReply: unix(st.FirstAdminReplyAt), tFirstClose: unix(st.FirstCloseAt), tLastClose: unix(st.LastCloseAt)}
	w.times[tFirstReplyAny] = w.times[tFirstReply]
	w.dur = [numDurations][2]int64{
		{seconds(st.TimeToAdminReply), seconds(st.TimeToAdminReplyAllHours)},
		{seconds(st.TimeToLastClose), seconds(st.TimeToLastCloseAllHours)},
		{seconds(st.TimeToFirstClose), seconds(st.TimeToFirstCloseAllHours)},
	}
	w.firstReplyDurAny = w.dur[firstResponse]
	return compact(&w, c.Initiator, -1)
}

// apiValues reads a pulled conversation's values: the recomputation when the
// history is complete, else the API's own statistics (all-hours durations
// then come from its timestamps, since the API states none).
func apiValues(c *intercom.Conversation, rec *intercom.Statistics, truncated bool, firstBot intercom.Instant, opts metrics.Options) figureValues {
	st, fromParts := rec, true
	if rec == nil || truncated {
		st, fromParts = &c.Reported, false
	}
	var w wideValues
	contact, firstReply := unix(st.FirstContactReplyAt), unix(st.FirstAdminReplyAt)
	w.times = [numTimes]int64{tCreated: unix(c.CreatedAt), tContact: contact,
		tFirstReply: firstReply, tFirstClose: unix(st.FirstCloseAt), tLastClose: unix(st.LastCloseAt)}
	reopens := int64(-1)
	if st.CountReopens.Valid {
		reopens = int64(max(0, st.CountReopens.N))
	}
	if fromParts {
		w.dur = [numDurations][2]int64{
			{seconds(st.TimeToAdminReply), seconds(st.TimeToAdminReplyAllHours)},
			{seconds(st.TimeToLastClose), seconds(st.TimeToLastCloseAllHours)},
			{seconds(st.TimeToFirstClose), seconds(st.TimeToFirstCloseAllHours)},
		}
	} else {
		w.dur = [numDurations][2]int64{
			{seconds(st.TimeToAdminReply), since(contact, firstReply)},
			{seconds(st.TimeToLastClose), since(contact, w.times[tLastClose])},
			{seconds(st.TimeToFirstClose), since(contact, w.times[tFirstClose])},
		}
	}
	w.times[tFirstReplyAny], w.firstReplyDurAny = firstReply, w.dur[firstResponse]
	if bot := unix(firstBot); bot != noTime && contact != noTime && (firstReply == noTime || bot < firstReply) {
		w.times[tFirstReplyAny] = bot
		w.firstReplyDurAny = [2]int64{officeSeconds(opts, contact, bot), max(0, bot-contact)}
	}
	return compact(&w, c.Initiator, reopens)
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

// storedKeys are the API's own keyValues as a record keeps them: compactly,
// as figureValues keep theirs, wide only when a value does not fit.
type storedKeys struct {
	times [2]uint32
	durs  [2]int32
	wide  *keyValues
}

func reportedKeys(st *intercom.Statistics) storedKeys {
	w := wideValues{times: [numTimes]int64{noTime, noTime, noTime, noTime, noTime, noTime}}
	w.times[tFirstReply], w.times[tLastClose] = unix(st.FirstAdminReplyAt), unix(st.LastCloseAt)
	w.dur[firstResponse][office], w.dur[timeToClose][office] = seconds(st.TimeToAdminReply), seconds(st.TimeToLastClose)
	v := compact(&w, 0, -1)
	k := storedKeys{times: [2]uint32{v.times[tFirstReply], v.times[tLastClose]}, durs: [2]int32{v.dur[firstResponse][office], v.dur[timeToClose][office]}}
	if v.wide != nil {
		keys := v.keys()
		k.wide = &keys
	}
	return k
}

func (k storedKeys) keys() keyValues {
	if k.wide != nil {
		return *k.wide
	}
	v := figureValues{}
	v.times[tFirstReply], v.times[tLastClose] = k.times[0], k.times[1]
	v.dur[firstResponse][office], v.dur[timeToClose][office] = k.durs[0], k.durs[1]
	return v.keys()
}

func (v *figureValues) keys() keyValues {
	return keyValues{v.firstReply(), v.lastClose(), v.duration(firstResponse, office), v.duration(timeToClose, office)}
}
