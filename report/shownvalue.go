package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/icrecon/icrecon/intercom"
)

// HiddenValue stands for a rejected cell's value that may be personal data.
const HiddenValue = "(hidden: personal data; --include-pii shows it)"

// ShownValue is the value of a rejected record as the outputs show it: the
// one rule for every output (rejected.csv, the Rejected rows sheet,
// inspect, metrics' standard error, the sentence a run stops with).
//
// Without personal data, a value is shown only when its column is one
// icrecon maps that holds no personal data (an id, a time, a duration or
// count, a state or type, a dashboard figure) and the value has the shape
// of that column: what a spreadsheet or a tool may have made of such a value,
// or a typo in one ("2.1547E+14", "2025-13-01", "1h 2x", "12.5"). Anything
// else is HiddenValue: the value of any other column (a customer's name or
// e-mail address, a message, a whole record, a column icrecon does not
// know), and in a mapped column a value with words, words with spaces
// between them, letters of other scripts or an "@" — a name, an address or
// message text typed or pasted where an id or a time belongs.
func ShownValue(column, value string, includePersonalData bool) string {
	if includePersonalData || value == "" {
		return value
	}
	if !columnShape(column).fits(value) {
		return HiddenValue
	}
	return value
}

// shape is what the values of a column look like.
type shape uint8

const (
	shapeNone     shape = iota // personal, or a column icrecon does not know: never shown
	shapeID                    // digits, as Intercom's ids; signs, dots, an exponent; hex ids
	shapeTime                  // a date and time, or Unix seconds
	shapeAmount                // a duration or count: digits, units, separators
	shapeWord                  // a state or type: lower case, digits, _ . -
	shapePartType              // a part type, as intercom.LooksLikePartType says (inspect's rule too)
	shapeZone                  // a time zone name: America/Vancouver, UTC, Etc/GMT+12
	shapeLabel                 // a dashboard metric or hours mode, in its own words
)

// fits reports whether value has the shape, so that it may be shown.
func (s shape) fits(value string) bool {
	v := strings.TrimSpace(value)
	if s == shapeNone || strings.ContainsRune(v, '@') {
		return false
	}
	switch s {
	case shapePartType:
		return intercom.LooksLikePartType(v)
	case shapeWord:
		return len(v) <= 64 && allBytes(v, func(c byte) bool {
			return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
		})
	case shapeZone:
		return len(v) <= 64 && allBytes(v, func(c byte) bool {
			return isASCIILetter(c) || '0' <= c && c <= '9' || c == '/' || c == '_' || c == '+' || c == '-'
		}) && (strings.ContainsAny(v, "/0123456789") || strings.ToUpper(v) == v)
	case shapeID:
		if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
			return false // "215470000001050 my card number leaked"
		}
	}
	// Every run of letters must be a word the column's values use (a
	// month, a unit), or one letter (an exponent, T and Z, a typo), or in
	// an id hex digits among digits (a contact's 6762f0f31bb6…).
	hasDigit := strings.ContainsAny(v, "0123456789")
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i
		for j < len(v) && isASCIILetter(v[j]) {
			j++
		}
		if j == i {
			return false // a letter of another script: no column's words are written in one
		}
		if !s.wordFits(strings.ToLower(v[i:j]), hasDigit) {
			return false
		}
		i = j
	}
	return true
}

// wordFits reports whether a run of letters, in lower case, may stand in a
// value of the shape.
func (s shape) wordFits(w string, hasDigit bool) bool {
	if len(w) == 1 || valueWords[w] {
		return true
	}
	switch s {
	case shapeID:
		return hasDigit && allBytes(w, func(c byte) bool { return 'a' <= c && c <= 'f' })
	case shapeTime:
		return timeWords[w]
	case shapeAmount:
		return unitWords[w]
	case shapeLabel:
		return labelWords[w]
	}
	return false
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return s != ""
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func wordSet(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// valueWords are what a tool writes for no value or a number it could not
// make, in any column.
var valueWords = wordSet("true false null none nil nan inf infinity undefined")

// timeWords are the words of dates and times as spreadsheets and tools
// write them: months, weekdays, AM/PM, ordinals, zone abbreviations.
var timeWords = wordSet(
	"january february march april may june july august september october november december",
	"jan feb mar apr jun jul aug sep sept oct nov dec",
	"monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun",
	"am pm at st nd rd th",
	"utc gmt pst pdt mst mdt cst cdt est edt akst akdt hst bst ist cet cest eet eest wet west jst kst aest aedt acst nzst nzdt",
)

// unitWords are the units a duration or count may be typed with.
var unitWords = wordSet(
	"ms sec secs second seconds min mins minute minutes hr hrs hour hours",
	"day days wk wks week weeks mo mos month months yr yrs year years and",
)

// labelWords are the words of the dashboard metrics' labels and of the
// hours modes (intercom.MetricLabels, intercom.ParseHours' words).
var labelWords = func() map[string]bool {
	m := wordSet("within in office hours all")
	for _, ml := range intercom.MetricLabels {
		for _, l := range append([]string{ml.ID}, ml.Labels...) {
			for _, w := range strings.FieldsFunc(strings.ToLower(l), func(r rune) bool { return !unicode.IsLetter(r) }) {
				m[w] = true
			}
		}
	}
	return m
}()

// columnShape is the shape of a rejected record's column: an export
// column icrecon maps (by its header, whatever zone suffix it has), a
// dashboard column, or an API field icrecon reads (by the last field of its
// path: conversation_parts.conversation_parts[3].created_at is a time).
// The lists fail safe: a column missing from them has its value hidden.
func columnShape(column string) shape {
	if column == "" {
		return shapeNone
	}
	if s, ok := exportShapes[columnKey(column)]; ok {
		return s
	}
	if s, ok := exportShapes[columnKey(withoutParenthesis(column))]; ok {
		return s
	}
	if s, ok := dashboardShapes[column]; ok {
		return s
	}
	return apiShapes[jsonLeaf(column)]
}

// exportShapes are the Reports export columns icrecon maps (parse's
// exportRow) less the personal ones ("User name", "User email", "Title",
// the assignees' names), by columnKey.
var exportShapes = func() map[string]shape {
	m := map[string]shape{}
	add := func(s shape, columns ...string) {
		for _, c := range columns {
			m[columnKey(c)] = s
		}
	}
	add(shapeID, "Conversation ID", "Last closed by ID", "Teammate currently assigned ID", "Team currently assigned ID")
	add(shapeTime, "Conversation started at", "Conversation created at", "Conversation updated at",
		"Conversation first replied at", "Conversation first closed at", "Conversation last closed at",
		"First assignment at", "Last assignment at", "Last teammate assigned first reply at")
	add(shapeAmount, "First response time (seconds)", "First response time only within office hours (seconds)",
		"Time to close (seconds)", "Time to close within office hours (seconds)",
		"Time to first close (seconds)", "Time to first close within office hours (seconds)",
		"Time to assignment before first admin reply (seconds)",
		"Time to assignment before first admin reply within office hours (seconds)",
		"Last teammate rating", "Number of reassignments", "Replies sent")
	add(shapeWord, "Started by", "Conversation source", "Channel", "Current conversation state",
		"Conversation tag", "Conversation priority")
	return m
}()

// columnKey matches export headers as the export reader does: without a BOM
// or zero-width spaces, commas or case, white space folded.
func columnKey(s string) string {
	s = strings.Trim(s, "\ufeff\u200b")
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, ",", "")), " "))
}

// withoutParenthesis drops a final " (…)": the time zone Intercom appends
// to timestamp headers.
func withoutParenthesis(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		return s[:i]
	}
	return s
}

// dashboardShapes are the columns of a figures file.
var dashboardShapes = map[string]shape{
	"metric": shapeLabel, "from": shapeTime, "to": shapeTime, "value": shapeAmount,
	"timezone": shapeZone, "hours": shapeLabel,
}

// apiShapes are the API fields icrecon reads whose values are ids, types,
// times or numbers, by the last field of their path.
var apiShapes = func() map[string]shape {
	m := map[string]shape{
		"id": shapeID, "admin_assignee_id": shapeID, "team_assignee_id": shapeID,
		"created_at": shapeTime, "updated_at": shapeTime, "deleted_at": shapeTime,
		"total_count": shapeAmount, "reply_times": shapeAmount, "rating": shapeAmount,
	}
	for _, k := range []string{"type", "state", "priority", "delivered_as", "channel",
		"app_package_code", "from_ai_agent", "is_ai_answer"} {
		m[k] = shapeWord
	}
	m["part_type"] = shapePartType
	for _, f := range intercom.StatFields {
		switch f.Kind {
		case intercom.KindInstant:
			m[f.Name] = shapeTime
		case intercom.KindID:
			m[f.Name] = shapeID
		default:
			m[f.Name] = shapeAmount
		}
	}
	return m
}()

// jsonLeaf is the last field of a JSON path (statistics.reply_times[2] →
// reply_times); "" when the path ends in an array element of anything else.
func jsonLeaf(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		if path[:i] != "reply_times" {
			return ""
		}
		path = path[:i]
	}
	return path
}
