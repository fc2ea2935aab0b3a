package parse

import (
	"regexp"
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
)

// exportRow holds the cells of the export columns icrecon maps, by their
// header with the time-zone suffix removed. All cells are read as text; the
// conversion to typed values is ours, so each failure names its column.
// gocsv reads a comma in a tag as the start of its options, so the tags are
// the headers with their commas left out (see canonical).
type exportRow struct {
	ID                 string `csv:"Conversation ID"`
	StartedAt          string `csv:"Conversation started at"`
	CreatedAt          string `csv:"Conversation created at"`
	UpdatedAt          string `csv:"Conversation updated at"`
	FirstRepliedAt     string `csv:"Conversation first replied at"`
	FirstClosedAt      string `csv:"Conversation first closed at"`
	LastClosedAt       string `csv:"Conversation last closed at"`
	FirstAssignmentAt  string `csv:"First assignment at"`
	LastAssignmentAt   string `csv:"Last assignment at"`
	LastAssignedReply  string `csv:"Last teammate assigned first reply at"`
	FirstResponse      string `csv:"First response time (seconds)"`
	FirstResponseOH    string `csv:"First response time only within office hours (seconds)"`
	TimeToClose        string `csv:"Time to close (seconds)"`
	TimeToCloseOH      string `csv:"Time to close within office hours (seconds)"`
	TimeToFirstClose   string `csv:"Time to first close (seconds)"`
	TimeToFirstCloseOH string `csv:"Time to first close within office hours (seconds)"`
	TimeToAssign       string `csv:"Time to assignment before first admin reply (seconds)"`
	TimeToAssignOH     string `csv:"Time to assignment before first admin reply within office hours (seconds)"`
	LastClosedByID     string `csv:"Last closed by ID"`
	StartedBy          string `csv:"Started by"`
	Source             string `csv:"Conversation source"`
	Channel            string `csv:"Channel"`
	State              string `csv:"Current conversation state"`
	AdminAssignee      string `csv:"Teammate currently assigned ID"`
	TeamAssignee       string `csv:"Team currently assigned ID"`
	Tags               string `csv:"Conversation tag"`
	Priority           string `csv:"Conversation priority"`
	URL                string `csv:"Conversation URL"`
	Title              string `csv:"Title"`
	Rating             string `csv:"Last teammate rating"`
	TeamName           string `csv:"Team currently assigned"`
	AdminName          string `csv:"Teammate currently assigned"`
	Reassignments      string `csv:"Number of reassignments"`
	Replies            string `csv:"Replies sent"`
	UserName           string `csv:"User name"`
	UserEmail          string `csv:"User email"`
}

// mappedColumns lists the canonical header of every exportRow field.
var mappedColumns = structTags(exportRow{})

// zoneSuffix matches the " (America/Vancouver)" Intercom appends to every
// timestamp header; it is a zone only if the name loads as one.
var zoneSuffix = regexp.MustCompile(`\s*\(([A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*)\)\s*$`)

// exportHeader is one column of an export as written and as understood.
type exportHeader struct {
	Written   string         // as in the file
	Canonical string         // zone suffix removed, spelled as Intercom does, if we map it
	Zone      *time.Location // from the suffix; nil when the header has none
	Mapped    bool
}

// readHeader understands one header cell: strips a BOM or zero-width
// characters, the zone suffix, and matches our columns without regard to
// case or spacing.
func readHeader(written string) exportHeader {
	h := exportHeader{Written: written}
	name := strings.TrimSpace(strings.Trim(written, "\ufeff\u200b"))
	if m := zoneSuffix.FindStringSubmatch(name); m != nil {
		if loc, err := time.LoadLocation(m[1]); err == nil && m[1] != "Local" {
			h.Zone = loc
			name = strings.TrimSpace(name[:len(name)-len(m[0])])
		}
	}
	h.Canonical = canonical(name)
	key := headerKey(name)
	for _, c := range mappedColumns {
		if headerKey(c) == key {
			h.Canonical, h.Mapped = c, true
		}
	}
	return h
}

// canonical is a header's name as icrecon keys it: without the commas that
// gocsv cannot take in a tag, white space folded.
func canonical(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, ",", "")), " ")
}

func headerKey(s string) string { return strings.ToLower(canonical(s)) }

// timestampColumns are the mapped columns that hold local date-times.
var timestampColumns = map[string]bool{
	"Conversation started at": true, "Conversation created at": true, "Conversation updated at": true,
	"Conversation first replied at": true, "Conversation first closed at": true, "Conversation last closed at": true,
	"First assignment at": true, "Last assignment at": true, "Last teammate assigned first reply at": true,
}

// columnStates names the statistics field each export column states.
var columnStates = map[string]string{
	"Conversation started at":                                                   "first_contact_reply_at",
	"Conversation first replied at":                                             "first_admin_reply_at",
	"Conversation first closed at":                                              "first_close_at",
	"Conversation last closed at":                                               "last_close_at",
	"First assignment at":                                                       "first_assignment_at",
	"Last assignment at":                                                        "last_assignment_at",
	"Last teammate assigned first reply at":                                     "last_assignment_admin_reply_at",
	"Last closed by ID":                                                         "last_closed_by_id",
	"First response time (seconds)":                                             "time_to_admin_reply_all_hours",
	"First response time only within office hours (seconds)":                    "time_to_admin_reply",
	"Time to close (seconds)":                                                   "time_to_last_close_all_hours",
	"Time to close within office hours (seconds)":                               "time_to_last_close",
	"Time to first close (seconds)":                                             "time_to_first_close_all_hours",
	"Time to first close within office hours (seconds)":                         "time_to_first_close",
	"Time to assignment before first admin reply (seconds)":                     "time_to_assignment_all_hours",
	"Time to assignment before first admin reply within office hours (seconds)": "time_to_assignment",
}

// appIDInURL finds the workspace id in a conversation URL
// (https://app.intercom.com/a/apps/<app_id>/inbox/...); "" when there is none.
func appIDInURL(url string) string {
	_, rest, found := strings.Cut(url, "/apps/")
	if !found {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return ""
		}
	}
	return id
}

// columnAttributes names the conversation attribute each export column
// states ("Started by" and "Conversation source" together state the
// initiator).
var columnAttributes = map[string]intercom.AttributeSet{
	"Current conversation state":     intercom.AttrState,
	"Teammate currently assigned ID": intercom.AttrAdminAssignee,
	"Team currently assigned ID":     intercom.AttrTeamAssignee,
	"Teammate currently assigned":    intercom.AttrAdminAssigneeName,
	"Team currently assigned":        intercom.AttrTeamAssigneeName,
	"Conversation tag":               intercom.AttrTags,
	"Channel":                        intercom.AttrChannel,
	"Conversation priority":          intercom.AttrPriority,
	"Title":                          intercom.AttrTitle,
	"Started by":                     intercom.AttrInitiator,
	"Conversation source":            intercom.AttrInitiator,
	"Last teammate rating":           intercom.AttrRating,
	"Conversation updated at":        intercom.AttrUpdatedAt,
	"Number of reassignments":        intercom.AttrReassignments,
	"Replies sent":                   intercom.AttrReplies,
}
