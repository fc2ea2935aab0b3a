package reconcile

import (
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
)

// Attributes are what a conversation is, beside its statistics: its state,
// assignees, tags, channel, priority, title, how it began, its rating, when
// it was last updated, and two counts the export states (reassignments,
// replies sent). The export and the API each have their own words for them
// (intercom/vocabulary.go maps them); a stale export shows here first.

// attribute is one attribute compared between the export and the API (or,
// for replies sent, the recomputation).
type attribute struct {
	name     string
	set      intercom.AttributeSet
	kind     intercom.FieldKind
	right    Side // API, or Recomputed for what only the parts tell
	personal bool // message text: its values are shown only with --include-pii
}

var attributes = []attribute{
	{"state", intercom.AttrState, intercom.KindID, API, false},
	{"admin_assignee_id", intercom.AttrAdminAssignee, intercom.KindID, API, false},
	{"team_assignee_id", intercom.AttrTeamAssignee, intercom.KindID, API, false},
	{"tags", intercom.AttrTags, intercom.KindID, API, false},
	{"channel", intercom.AttrChannel, intercom.KindID, API, false},
	{"priority", intercom.AttrPriority, intercom.KindID, API, false},
	{"title", intercom.AttrTitle, intercom.KindID, API, true},
	{"initiator", intercom.AttrInitiator, intercom.KindID, API, false},
	{"rating", intercom.AttrRating, intercom.KindCount, API, false},
	{"updated_at", intercom.AttrUpdatedAt, intercom.KindInstant, API, false},
	{"reassignments", intercom.AttrReassignments, intercom.KindCount, API, false},
	{"replies_sent", intercom.AttrReplies, intercom.KindCount, Recomputed, false},
}

// attributeIndex is an attribute's position in attributes, or -1.
func attributeIndex(name string) int {
	for i, a := range attributes {
		if a.name == name {
			return i
		}
	}
	return -1
}

// symbols shares the words export rows repeat (states, ids, channels, tag
// cells) as small numbers: an export row's attributes are kept until its
// conversation is pulled, for every row. Written while the exports are
// read, only read after.
type symbols struct {
	ids   map[string]uint32
	words []string // by id; 0 is ""
}

func (s *symbols) id(w string) uint32 {
	if w == "" {
		return 0
	}
	if s.ids == nil {
		s.ids, s.words = map[string]uint32{}, []string{""}
	}
	if i, ok := s.ids[w]; ok {
		return i
	}
	s.words = append(s.words, w)
	s.ids[w] = uint32(len(s.words) - 1)
	return uint32(len(s.words) - 1)
}

func (s *symbols) word(i uint32) string {
	if i == 0 {
		return ""
	}
	return s.words[i]
}

// exportAttributes is an export row's attributes, compactly.
type exportAttributes struct {
	stated                                  intercom.AttributeSet
	initiator                               intercom.Initiator
	state, admin, team, tags, channel, prio uint32 // symbols
	initiatorWords                          uint32
	title                                   string // only with --include-pii; else its hash
	titleHash                               uint64
	rating, reassignments, replies          int32 // -1 when unset
}

func (r *Reconciler) exportAttributes(c *intercom.Conversation) exportAttributes {
	s := &r.symbols
	a := exportAttributes{stated: c.Attributes, initiator: c.Initiator,
		state: s.id(c.State), admin: s.id(c.AdminAssigneeID), team: s.id(c.TeamAssigneeID),
		tags: s.id(strings.Join(c.Tags, ", ")), channel: s.id(c.Channel), prio: s.id(c.Priority),
		initiatorWords: s.id(c.InitiatorRaw), titleHash: hashText(c.Title),
		rating: count32(c.Rating), reassignments: count32(c.Reassignments), replies: count32(c.RepliesSent)}
	if r.opts.KeepPersonalData {
		a.title = c.Title
	}
	return a
}

func count32(c intercom.Count) int32 {
	if !c.Valid {
		return -1
	}
	return int32(c.N)
}

func countValue(n int32) intercom.Value {
	return intercom.Value{Kind: intercom.KindCount, N: int64(n), Valid: n >= 0}
}

func textValue(s string) intercom.Value {
	return intercom.Value{Kind: intercom.KindID, S: s, Valid: s != ""}
}

// hashText is FNV-1a of the trimmed text: titles are compared without
// keeping them.
func hashText(s string) uint64 {
	h := uint64(14695981039346656037)
	for _, b := range []byte(strings.TrimSpace(s)) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return h
}

// hiddenText stands for message text when personal data is not included.
const hiddenText = "(hidden: message text; --include-pii shows it)"

// compareAttributes compares every attribute both sides state and explains
// each difference. It returns the attributes compared and those the two
// vocabularies could not settle (ambiguous: never a difference).
func (c *comparison) compareAttributes(syms *symbols) (diffs []Difference, compared, ambiguous intercom.AttributeSet) {
	e := c.exportAttrs
	if c.export == nil || e == nil {
		return nil, 0, 0
	}
	for i, a := range attributes {
		if !e.stated.Has(a.set) || !c.rightStates(a) {
			continue
		}
		lv, rv, agreement := c.attributeValues(a, e, syms)
		compared |= a.set
		switch agreement {
		case intercom.Agree:
			continue
		case intercom.Ambiguous:
			ambiguous |= a.set
			continue
		}
		d := Difference{ConversationID: c.conv.ID, Field: a.name, Left: Export, Right: a.right, LeftValue: lv, RightValue: rv}
		d.Cause, d.Reading = c.attributeCause(i, lv, rv)
		diffs = append(diffs, d)
	}
	return diffs, compared, ambiguous
}

// rightStates: the API states the attribute, or the recomputation has the
// parts for one only they tell.
func (c *comparison) rightStates(a attribute) bool {
	switch a.name {
	case "reassignments":
		return c.api.Stated.Has("count_assignments") && c.api.CountAssignments.Valid
	case "replies_sent":
		return c.explored != nil && !c.legacy
	}
	return c.conv.Attributes.Has(a.set)
}

// attributeValues gives both sides' values of an attribute and whether
// they agree once mapped onto one vocabulary.
func (c *comparison) attributeValues(a attribute, e *exportAttributes, syms *symbols) (lv, rv intercom.Value, agreement intercom.Agreement) {
	api := c.conv
	same := func(x, y intercom.Value) intercom.Agreement {
		if x.Equal(y) {
			return intercom.Agree
		}
		return intercom.Disagree
	}
	switch a.name {
	case "state":
		lv, rv = textValue(syms.word(e.state)), textValue(api.State)
		return lv, rv, same(lv, rv)
	case "admin_assignee_id":
		lv, rv = textValue(syms.word(e.admin)), textValue(api.AdminAssigneeID)
		return lv, rv, same(lv, rv)
	case "team_assignee_id":
		lv, rv = textValue(syms.word(e.team)), textValue(api.TeamAssigneeID)
		return lv, rv, same(lv, rv)
	case "tags":
		cell := syms.word(e.tags)
		return textValue(cell), textValue(strings.Join(api.Tags, ", ")), intercom.SameTags(cell, api.Tags)
	case "channel":
		ch := syms.word(e.channel)
		return textValue(ch), textValue(api.Channel), intercom.SameChannel(ch, api.Channel)
	case "priority":
		p := syms.word(e.prio)
		return textValue(p), textValue(api.Priority), intercom.SamePriority(p, api.Priority)
	case "title":
		agreement = intercom.Disagree
		if e.titleHash == hashText(api.Title) {
			agreement = intercom.Agree
		}
		if !c.opts.KeepPersonalData {
			return textValue(hiddenText), textValue(hiddenText), agreement
		}
		return textValue(e.title), textValue(api.Title), agreement
	case "initiator":
		return textValue(syms.word(e.initiatorWords)), textValue(api.InitiatorRaw), intercom.SameInitiator(e.initiator, api.Initiator)
	case "rating":
		lv, rv = countValue(e.rating), countValue(count32(api.Rating))
		return lv, rv, same(lv, rv)
	case "updated_at":
		lv = intercom.Value{Kind: intercom.KindInstant, N: c.export.updated.Unix, Valid: c.export.updated.Valid}
		rv = intercom.Value{Kind: intercom.KindInstant, N: api.UpdatedAt.Unix, Valid: api.UpdatedAt.Valid}
		return lv, rv, same(lv, rv)
	case "reassignments":
		// "Number of reassignments" counts the assignments after the first.
		lv, rv = countValue(e.reassignments), countValue(int32(max(0, c.api.CountAssignments.N-1)))
		return lv, rv, same(lv, rv)
	case "replies_sent":
		lv, rv = countValue(e.replies), countValue(int32(c.explored.Replies(c.variants[Export])))
		return lv, rv, same(lv, rv)
	}
	return lv, rv, intercom.Ambiguous
}

// attributeCause: parts_truncated for what the recomputation counts from a
// cut history; stale when the snapshots differ in time; for updated_at,
// a whole zone offset is a timezone error first; a count that another
// documented reading gives is definition; otherwise unexplained.
func (c *comparison) attributeCause(i int, lv, rv intercom.Value) (Cause, string) {
	a := attributes[i]
	if a.right == Recomputed && c.truncated {
		return PartsTruncated, ""
	}
	if a.kind == intercom.KindInstant && c.isTimezone(field{StatField: intercom.StatField{Name: a.name, Kind: a.kind}, index: -1}, lv, rv) {
		return Timezone, ""
	}
	if c.snapshotsDiffer() {
		return Stale, ""
	}
	if reading := c.attributeReading(a, lv); reading != "" {
		return Definition, reading
	}
	return Unexplained, ""
}

// snapshotsDiffer: the pull's record was updated at another time than the
// export was taken — its "Conversation updated at", else the latest time
// the export holds, else --export-taken-at.
func (c *comparison) snapshotsDiffer() bool {
	pulled := c.conv.UpdatedAt
	if !pulled.Valid {
		return false
	}
	if c.export.updated.Valid {
		return c.export.updated.Unix != pulled.Unix
	}
	taken := c.exportTakenAt
	return !taken.IsZero() && pulled.Unix > taken.Unix()
}

// attributeReading: the export's count is what another documented reading
// gives: reassignments as the assignments after the first teammate reply
// (the custom reports' "reassigned after the first teammate reply"), replies
// sent under the other body_events reading.
func (c *comparison) attributeReading(a attribute, lv intercom.Value) string {
	if c.explored == nil || c.truncated || c.legacy || !lv.Valid {
		return ""
	}
	switch a.name {
	case "reassignments":
		if int64(c.explored.AssignmentsAfterReply(c.variants[Export])) == lv.N {
			return "reassignments=assignments after the first teammate reply"
		}
	case "replies_sent":
		base := c.variants[Export]
		other := base.With(metrics.FamilyBodyEvents, 1-base[metrics.FamilyBodyEvents])
		if int64(c.explored.Replies(other)) == lv.N {
			return metrics.Changed(base, other)
		}
	}
	return ""
}

// exportTakenAt is when the export was taken, for rows that do not say
// when they were last updated: the latest time any row holds, else the
// time --export-taken-at gives.
func (r *Reconciler) exportTakenAt() time.Time {
	if r.exportLatest > 0 {
		return time.Unix(r.exportLatest, 0)
	}
	return r.opts.ExportTakenAt
}

// noteExportTimes keeps the latest time an export row holds.
func (r *Reconciler) noteExportTimes(c *intercom.Conversation) {
	for _, t := range []intercom.Instant{c.CreatedAt, c.UpdatedAt, c.StartedAt, c.Reported.FirstAdminReplyAt,
		c.Reported.FirstCloseAt, c.Reported.LastCloseAt, c.Reported.LastAssignmentAt} {
		if t.Valid && t.Unix > r.exportLatest {
			r.exportLatest = t.Unix
		}
	}
}
