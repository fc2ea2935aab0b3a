package parse

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/oneline"
)

// exportColumn is one of the export columns icrecon maps.
type exportColumn uint8

const (
	colID exportColumn = iota
	colStartedAt
	colCreatedAt
	colUpdatedAt
	colFirstRepliedAt
	colFirstClosedAt
	colLastClosedAt
	colFirstAssignmentAt
	colLastAssignmentAt
	colLastAssignedReply
	colFirstResponse
	colFirstResponseOH
	colTimeToClose
	colTimeToCloseOH
	colTimeToFirstClose
	colTimeToFirstCloseOH
	colTimeToAssign
	colTimeToAssignOH
	colLastClosedByID
	colStartedBy
	colSource
	colChannel
	colState
	colAdminAssignee
	colTeamAssignee
	colTags
	colPriority
	colURL
	colTitle
	colRating
	colTeamName
	colAdminName
	colReassignments
	colReplies
	colUserName
	colUserEmail
	exportColumns // how many there are

	// unmappedColumn stands for a column of the file icrecon does not map.
	unmappedColumn exportColumn = 255
)

// exportHeaders names each mapped column by its header with the time-zone
// suffix removed, spelled as canonical spells it (without commas).
var exportHeaders = [exportColumns]string{
	colID:                 "Conversation ID",
	colStartedAt:          "Conversation started at",
	colCreatedAt:          "Conversation created at",
	colUpdatedAt:          "Conversation updated at",
	colFirstRepliedAt:     "Conversation first replied at",
	colFirstClosedAt:      "Conversation first closed at",
	colLastClosedAt:       "Conversation last closed at",
	colFirstAssignmentAt:  "First assignment at",
	colLastAssignmentAt:   "Last assignment at",
	colLastAssignedReply:  "Last teammate assigned first reply at",
	colFirstResponse:      "First response time (seconds)",
	colFirstResponseOH:    "First response time only within office hours (seconds)",
	colTimeToClose:        "Time to close (seconds)",
	colTimeToCloseOH:      "Time to close within office hours (seconds)",
	colTimeToFirstClose:   "Time to first close (seconds)",
	colTimeToFirstCloseOH: "Time to first close within office hours (seconds)",
	colTimeToAssign:       "Time to assignment before first admin reply (seconds)",
	colTimeToAssignOH:     "Time to assignment before first admin reply within office hours (seconds)",
	colLastClosedByID:     "Last closed by ID",
	colStartedBy:          "Started by",
	colSource:             "Conversation source",
	colChannel:            "Channel",
	colState:              "Current conversation state",
	colAdminAssignee:      "Teammate currently assigned ID",
	colTeamAssignee:       "Team currently assigned ID",
	colTags:               "Conversation tag",
	colPriority:           "Conversation priority",
	colURL:                "Conversation URL",
	colTitle:              "Title",
	colRating:             "Last teammate rating",
	colTeamName:           "Team currently assigned",
	colAdminName:          "Teammate currently assigned",
	colReassignments:      "Number of reassignments",
	colReplies:            "Replies sent",
	colUserName:           "User name",
	colUserEmail:          "User email",
}

// exportRow holds one row's cells of the mapped columns, as text, by
// exportColumn; a column the file lacks is "". The conversion to typed
// values is ours, so each failure names its column.
type exportRow [exportColumns]string

// columnPlan says which exportRow cell each column of a file fills, or
// unmappedColumn. It is made once per file from the header row, so a row
// is decoded by indexing, with no reflection and no lookup by name.
type columnPlan struct {
	byCell []exportColumn // by the cell's position in the record
	// mapped are the positions of the mapped cells: a real export has 93
	// columns of which icrecon maps about 35, and walking only those is
	// a twentieth of the read.
	mapped []mappedCell
}

type mappedCell struct {
	cell int
	col  exportColumn
}

// add appends the file's next column.
func (p *columnPlan) add(col exportColumn) {
	if col != unmappedColumn {
		p.mapped = append(p.mapped, mappedCell{len(p.byCell), col})
	}
	p.byCell = append(p.byCell, col)
}

// place records where a record's mapped cells are, and under keepUnmapped
// its other cells, in column order: cells index the record's text, which
// starts at base in its batch's.
func (p *columnPlan) place(row *pendingRow, cells []span, base int, keepUnmapped bool) {
	if !keepUnmapped {
		for _, m := range p.mapped {
			if m.cell >= len(cells) {
				break // mapped is in cell order
			}
			c := cells[m.cell]
			row.cells[m.col] = span{base + c.from, base + c.to}
		}
		return
	}
	for i, c := range cells[:min(len(cells), len(p.byCell))] {
		c = span{base + c.from, base + c.to}
		switch col := p.byCell[i]; {
		case col != unmappedColumn:
			row.cells[col] = c
		default:
			row.unmapped = append(row.unmapped, c)
		}
	}
}

// parenSuffix matches the words in parentheses that end a header: the
// " (America/Vancouver)" Intercom appends to every timestamp header, or
// the "(seconds)" of a duration. Spaces inside are no part of a zone's name.
var parenSuffix = regexp.MustCompile(`\s*\(\s*([^()]*?)\s*\)\s*$`)

// zoneName is the shape of an IANA zone's name: only a suffix of this shape
// is looked up as a zone.
var zoneName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$`)

// utcOffset is an offset from UTC written where a zone's name goes:
// "+05:30", "UTC-8", "GMT+0100".
var utcOffset = regexp.MustCompile(`(?i)^(?:UTC|GMT)?\s*[+\-\x{2212}]\s*\d{1,2}(?::?\d{2})?$`)

// exportHeader is one column of an export as written and as understood.
type exportHeader struct {
	Written   string         // as in the file
	Canonical string         // zone suffix removed, spelled as Intercom does, if we map it
	Zone      *time.Location // from the suffix; nil when the header has none
	// ZoneProblem says, after the column's name, why what follows a
	// timestamp column's name in parentheses is no zone icrecon can use
	// ("names a time zone that does not exist, …"); the reader refuses the
	// file. "" when there is no problem.
	ZoneProblem string
	Mapped      bool
	Column      exportColumn // the column it is, if Mapped; else unmappedColumn
}

// readHeader understands one header cell: strips a BOM or zero-width
// characters, the zone suffix, and matches our columns without regard to
// case or spacing.
func readHeader(written string) exportHeader {
	h := exportHeader{Written: written, Column: unmappedColumn}
	name := strings.TrimSpace(strings.Trim(written, "\ufeff\u200b"))
	if m := parenSuffix.FindStringSubmatch(name); m != nil {
		if loc, ok := LoadZone(m[1]); ok {
			h.Zone, name = loc, strings.TrimSpace(name[:len(name)-len(m[0])])
		}
	}
	// Whatever else follows a timestamp column's name in parentheses is a
	// zone icrecon cannot use: a misspelling, an offset, a stray word.
	// Left unmapped, every time in the file would be dropped unseen.
	// (Other columns end in words in parentheses: "(seconds)".)
	if i := strings.IndexByte(name, '('); h.Zone == nil && i >= 0 && isTimestampColumn(name[:i]) {
		h.ZoneProblem = zoneProblem(strings.TrimSpace(name[i+1:]))
		name = strings.TrimSpace(name[:i])
	}
	h.Canonical = canonical(name)
	if col, ok := columnNamed(name); ok {
		h.Canonical, h.Mapped, h.Column = exportHeaders[col], true, col
	}
	return h
}

// zoneProblem says why rest, what follows the "(" after a timestamp
// column's name, is no zone.
func zoneProblem(rest string) string {
	inner, closed := strings.CutSuffix(rest, ")")
	inner = strings.TrimSpace(inner)
	switch {
	case !closed:
		return fmt.Sprintf("opens a parenthesis for its time zone and does not close it, %s; write the zone's IANA name in parentheses, such as (America/Vancouver)", oneline.Quote(rest))
	case inner == "":
		return "has empty parentheses where the time zone goes; write the zone's IANA name in them, such as America/Vancouver, or remove them and give --timezone"
	case utcOffset.MatchString(inner):
		return fmt.Sprintf("gives a UTC offset, %s, where the time zone goes; icrecon needs the zone's IANA name, such as Asia/Kolkata or America/Vancouver, because a place's offset changes with daylight saving", oneline.Quote(inner))
	}
	return fmt.Sprintf("names a time zone that does not exist, %s; check the spelling (IANA names, such as America/Vancouver)", oneline.Quote(inner))
}

// LoadZone loads an IANA zone name given by a file or a flag, the one rule
// for them all; "Local" is Go's, not a zone a user can name, and only a
// name of a zone's shape is looked up (no "..", no absolute path).
func LoadZone(name string) (*time.Location, bool) {
	if !zoneName.MatchString(name) || name == "Local" {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// columnNamed finds the mapped column a header names, without its zone.
func columnNamed(name string) (exportColumn, bool) {
	key := headerKey(name)
	for col, c := range exportHeaders {
		if headerKey(c) == key {
			return exportColumn(col), true
		}
	}
	return unmappedColumn, false
}

func isTimestampColumn(name string) bool {
	col, ok := columnNamed(name)
	return ok && timestampColumns[exportHeaders[col]]
}

// canonical is a header's name as icrecon keys it: without commas (Intercom
// writes "Time to close, within office hours" and "Time to close within
// office hours" alike), white space folded.
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
