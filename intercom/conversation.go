package intercom

import (
	"fmt"
	"strings"
)

// Conversation is what every source is turned into. Fields a source does not
// carry stay unset: the CSV export has no parts, a list page has no parts and
// often no statistics, and neither is the same as "zero".
type Conversation struct {
	ID        string
	CreatedAt Instant // conversation created_at: when the thread object was made
	UpdatedAt Instant
	// StartedAt is the first customer message as the source states it
	// (CSV "Conversation started at", API first_contact_reply.created_at or
	// statistics.first_contact_reply_at). It differs from CreatedAt for
	// conversations that began with an outbound message.
	StartedAt Instant

	Initiator    Initiator
	InitiatorRaw string // the source's own words, kept verbatim for reports
	// SourceAuthor wrote the opening message (API source.author); CSV lacks it.
	SourceAuthor Author

	Channel         string
	State           string // open, closed, snoozed (lower case); other words kept as they came
	Priority        string // as the source writes it (2.16: none..urgent; earlier: priority, not_priority)
	AdminAssigneeID string // "" when unassigned; 2.16 says 0, earlier versions null
	TeamAssigneeID  string
	Tags            []string
	Teammates       []string // ids of admins who wrote a part (teammates.teammates, or legacy teammates.admins)
	AppID           string   // from the conversation URL, when the source has one
	// Title is the conversation's title or subject: message text, so
	// personal, shown only with --include-pii.
	Title string
	// Rating is the customer's last rating of the conversation, 1 to 5.
	Rating Count
	// The export's other attributes: the assignees' names, "Number of
	// reassignments" and "Replies sent" (the API states none of them).
	AdminAssigneeName, TeamAssigneeName string
	Reassignments, RepliesSent          Count
	// Attributes says which attributes the source states at all: a CSV
	// column that is present, an API field that is there.
	Attributes AttributeSet

	// Parts is the part history in order; only a conversation fetched by id
	// has it. A pipeline may drop it once folded into statistics: PartsRead
	// keeps the count the reader saw.
	Parts      []Part
	PartsRead  int
	HasParts   bool  // the source carried a parts list (possibly empty)
	PartsTotal Count // conversation_parts.total_count (the opening message not counted)

	// Reported holds the statistics as the source states them, never mixed
	// with what icrecon recomputes.
	Reported Statistics

	// Extra holds the cells of export columns icrecon does not map, in the
	// order of the reader's unmapped column list.
	Extra []string

	// CustomerName and CustomerEmail are personal data, from the export's
	// "User name" and "User email" columns. icrecon writes them nowhere
	// unless asked (--include-pii).
	CustomerName, CustomerEmail string

	// MinuteTimes is set when the source's timestamps lost their seconds (a
	// CSV re-saved by Excel), so comparisons allow a minute's difference.
	MinuteTimes bool

	// Fractions are the durations the source typed with a fraction of a
	// second (the export's "687.4"): the statistics hold them rounded to
	// the second, and a comparison shows the value as typed.
	Fractions []Fraction

	Origin Origin
}

// Fraction is a duration a source typed with a fraction of a second.
type Fraction struct {
	Field string // the statistics field, as in StatFields
	Typed string // the value as the source wrote it
}

// Truncated reports whether the part history is shorter than the source says
// it is: Intercom returns at most the 500 most recent parts.
func (c *Conversation) Truncated() bool {
	return c.HasParts && IsTruncated(c.PartsRead, c.PartsTotal, c.Reported.CountConversationParts)
}

// IsTruncated is the one rule for a cut part history: fewer parts read than
// conversation_parts.total_count, or fewer than statistics.
// count_conversation_parts − 1, since that count includes the opening
// message (real data: 61 parts, total_count 61, count_conversation_parts
// 62). A history with neither count stated is taken as complete.
func IsTruncated(read int, totalCount, countParts Count) bool {
	return totalCount.Valid && read < totalCount.N || countParts.Valid && read < countParts.N-1
}

// Origin locates a record in its input, for evidence and error messages.
type Origin struct {
	File   string
	Line   int // 1-based line where the record starts; 0 when not known
	Record int // 1-based record number within the file
}

// String reads "export.csv:812", "page.json record 4", or, for the fourth
// conversation of a page that starts on line 1, "page.json:1 record 4".
func (o Origin) String() string {
	switch {
	case o.Line > 0 && o.Record > 0:
		return fmt.Sprintf("%s:%d record %d", o.File, o.Line, o.Record)
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	case o.Record > 0:
		return fmt.Sprintf("%s record %d", o.File, o.Record)
	}
	return o.File
}

// NormalizeState lower-cases the states Intercom knows (the CSV writes "Open",
// the API "open") and keeps any other word as it came.
func NormalizeState(s string) string {
	t := strings.TrimSpace(s)
	for _, state := range knownStates {
		// As long as the state, EqualFold matches only its ASCII spellings:
		// what strings.ToLower turns into it (TestNormalizeStateAsLower),
		// without a new string for each row.
		if len(t) == len(state) && strings.EqualFold(t, state) {
			return state
		}
	}
	return t
}

var knownStates = [...]string{"open", "closed", "snoozed"}

// NormalizeAssignee maps the API's "unassigned" spellings (0, null, "") to "".
func NormalizeAssignee(id string) string {
	id = strings.TrimSpace(id)
	if id == "0" || id == "null" {
		return ""
	}
	return id
}

// AttributeSet is a set of conversation attributes (not statistics) a
// source states, by the Attr constants.
type AttributeSet uint16

// Conversation attributes the sources may both state.
const (
	AttrState AttributeSet = 1 << iota
	AttrAdminAssignee
	AttrTeamAssignee
	AttrTags
	AttrChannel
	AttrPriority
	AttrTitle
	AttrInitiator
	AttrRating
	AttrUpdatedAt
	AttrReassignments
	AttrReplies
	AttrAdminAssigneeName
	AttrTeamAssigneeName
)

// Has reports whether every attribute of a is in the set.
func (s AttributeSet) Has(a AttributeSet) bool { return s&a == a }
