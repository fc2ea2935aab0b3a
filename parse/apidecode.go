package parse

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/jsonscan"
	"github.com/icrecon/icrecon/internal/oneline"
)

// jpath locates a JSON value for error messages, such as
// conversation_parts.conversation_parts[3].author.id. Each container the
// decoder enters adds a segment on its own stack frame, pointing to the one
// it lies in (nil is the top-level value); a field's own key stays apart
// until something is wrong with it. Nothing is copied or allocated for the
// fields that read well: building each field's path in full cost an eighth
// of the decoding.
type jpath struct {
	parent *jpath
	key    string
	index  int // -1 when key applies
}

func (p *jpath) field(key string) jpath { return jpath{parent: p, key: key, index: -1} }
func (p *jpath) elem(i int) jpath       { return jpath{parent: p, index: i} }

// String renders the path, parent first. It walks up from the end once for
// each segment rather than collecting the segments: a pointer kept in a
// slice would make every path escape to the heap.
func (p *jpath) String() string {
	depth := 0
	for q := p; q != nil; q = q.parent {
		depth++
	}
	var b strings.Builder
	for up := depth - 1; up >= 0; up-- {
		s := p
		for range up {
			s = s.parent
		}
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// pathOf renders the path of field key of the container at p, or of p
// itself when key is "".
func pathOf(p *jpath, key string) string {
	if key == "" {
		return p.String()
	}
	f := p.field(key)
	return f.String()
}

// fieldError is a value of the right JSON syntax but the wrong meaning.
type fieldError struct {
	path   string
	value  string
	reason string
}

// decoder turns one scanned JSON value into conversations; one per worker.
type decoder struct {
	s       jsonscan.Scanner
	broke   *recordsBreak // where the JSON of an array of records broke
	strs    interner
	failed  *fieldError
	deleted bool // the record has deleted_at: an entry of the deleted list
	lean    bool // see APIOptions.Lean
	// partsBuf is storage for a conversation's parts while they are read;
	// when lean, the conversation keeps it until prepare returns.
	partsBuf []intercom.Part
	// convs are emitted conversations to decode into again; nil unless
	// APIOptions.ReuseConversations.
	convs *sync.Pool
}

// newConversation is an empty conversation from origin: an emitted one
// reused, or a new one.
func (d *decoder) newConversation(origin intercom.Origin) *intercom.Conversation {
	if d.convs != nil {
		if c, ok := d.convs.Get().(*intercom.Conversation); ok {
			*c = intercom.Conversation{Origin: origin}
			return c
		}
	}
	return &intercom.Conversation{Origin: origin}
}

// fail records what is wrong with field key of the container at p (p
// itself when key is ""); the first failure of a record is its reject.
func (d *decoder) fail(p *jpath, key, value, reason string) {
	if d.failed == nil {
		d.failed = &fieldError{path: pathOf(p, key), value: oneline.Shorten(value, 80), reason: reason}
	}
}

// check records a type error from the scanner against the field's path.
func (d *decoder) check(p *jpath, key string, err error) {
	if err != nil {
		d.checkAs(p, key, err, "")
	}
}

// checkAs is check with a reason of the caller's ("is not a Unix time").
func (d *decoder) checkAs(p *jpath, key string, err error, reason string) {
	te, ok := err.(*jsonscan.TypeError)
	if !ok {
		return
	}
	if reason == "" {
		reason = "is not " + te.Want
	}
	value := string(te.Raw)
	if unquoted, err := strconv.Unquote(value); err == nil && strings.HasPrefix(value, `"`) {
		value = unquoted
	}
	d.fail(p, key, value, reason)
}

// begin enters the object or array at p; a value of another type is
// recorded against p and skipped.
func (d *decoder) begin(k jsonscan.Kind, p *jpath) bool {
	ok, err := d.s.Begin(k)
	d.check(p, "", err)
	return ok
}

// The readers below read field key of the container at p (p itself when
// key is ""), recording a value of the wrong type against its path.

func (d *decoder) str(p *jpath, key string) string {
	b, _, err := d.s.StrBytes()
	d.check(p, key, err)
	return d.strs.getBytes(b)
}

// text reads a string that is unique to its record (an id), not worth sharing.
func (d *decoder) text(p *jpath, key string) string {
	b, _, err := d.s.StrBytes()
	d.check(p, key, err)
	return string(b)
}

// id reads a conversation's id by intercom.ConversationID, the rule the
// export reader follows too. The id is checked in the scanner's buffer: only
// one that is an id is copied (the one allocation a digit id costs), so a
// 10 MB "id" is refused without being copied.
func (d *decoder) id(p *jpath, key string) string {
	b, _, err := d.s.StrBytes()
	d.check(p, key, err)
	id, problem := intercom.ConversationID(b)
	if problem == intercom.IDOK {
		return string(id)
	}
	d.failID(p, key, id, problem)
	return ""
}

// failID records why the text of an id is not one. An empty or null id
// is left to finish, which says it is missing.
func (d *decoder) failID(p *jpath, key string, id []byte, problem intercom.IDProblem) {
	switch problem {
	case intercom.IDTooLong:
		d.fail(p, key, string(id[:min(len(id), 100)]), idTooLong(utf8.RuneCount(id)))
	case intercom.IDNumber:
		// An id written as 215470000001000.0 or 2.15470000001E14 by a tool
		// that read it as a float: the digits may be rounded, and even when
		// not, it is not the id Intercom wrote.
		d.fail(p, key, string(id), "was turned into a number with a fraction or exponent by a tool that re-wrote the pull, so the id may be lost (Intercom's ids are digits); pull again and keep the ids as Intercom writes them")
	case intercom.IDNotDigits:
		d.fail(p, key, string(id), "is not a conversation id (Intercom's ids are digits)")
	case intercom.IDLeadingZero:
		d.fail(p, key, string(id), intercom.LeadingZeroReason)
	}
}

// email reads an author's address; when lean, only Operator's is kept (it
// marks the bot), and no other address is ever turned into a string.
func (d *decoder) email(p *jpath, key string) string {
	b, _, err := d.s.StrBytes()
	d.check(p, key, err)
	if d.lean && !isOperatorAddress(b) {
		return ""
	}
	return d.strs.getBytes(b)
}

// isOperatorAddress is intercom.IsOperatorEmail without allocating for the
// addresses that are not Operator's.
func isOperatorAddress(b []byte) bool {
	const domain = "@intercom.io"
	b = bytes.TrimSpace(b)
	if len(b) < len(domain) || !bytes.EqualFold(b[len(b)-len(domain):], []byte(domain)) {
		return false
	}
	return intercom.IsOperatorEmail(string(b))
}

func (d *decoder) int(p *jpath, key string) (int64, bool) {
	n, set, err := d.s.Int()
	d.check(p, key, err)
	return n, set
}

func (d *decoder) instant(p *jpath, key string) intercom.Instant {
	n, set, err := d.s.Int()
	if err != nil {
		d.checkAs(p, key, err, unixTimeReason)
	}
	if set && (n < 0 || n > 1<<40) {
		d.fail(p, key, strconv.FormatInt(n, 10), unixTimeReason)
		return intercom.Instant{}
	}
	return intercom.Instant{Unix: n, Valid: set}
}

func (d *decoder) seconds(p *jpath, key string) intercom.Seconds {
	n, set := d.int(p, key)
	// Negative values are kept: the API's statistics are its own, and
	// icrecon compares them as given. Past the bound either way, a value is
	// no duration at all.
	switch {
	case set && n > intercom.MaxDurationSeconds:
		d.fail(p, key, strconv.FormatInt(n, 10), tooLongDuration)
		return intercom.Seconds{}
	case set && n < -intercom.MaxDurationSeconds:
		d.fail(p, key, strconv.FormatInt(n, 10), "is a negative duration of more than 30,000 years, which no conversation has")
		return intercom.Seconds{}
	}
	return intercom.Seconds{N: n, Valid: set}
}

func (d *decoder) count(p *jpath, key string) intercom.Count {
	n, set := d.int(p, key)
	if set && n < 0 {
		d.fail(p, key, strconv.FormatInt(n, 10), "is a negative count")
	}
	return intercom.Count{N: int(n), Valid: set}
}

func (d *decoder) boolean(p *jpath, key string) bool {
	b, _, err := d.s.Bool()
	d.check(p, key, err)
	return b
}

const unixTimeReason = "is not a Unix time (whole seconds since 1970, as the API writes them)"

// topLevel is what one top-level JSON value turned out to be.
type topLevel struct {
	typ      string
	convs    []*intercom.Conversation // the conversations it holds, in order
	page     bool                     // a list or search page, or an array
	errorMsg string                   // set for an Intercom error.list body
}

// decodeTop reads the top-level values of data, usually one: a
// conversation, a list or search page, an array of conversations, or an
// Intercom error body. Records it cannot read come back as rejects (with
// the element index for pages).
//
// Several values one after another on the line ({…}{…} or {…} […]) are read
// each in turn, as if they were on lines of their own: only once a value
// ends short of the line's end is more done than for one.
func (d *decoder) decodeTop(data []byte, origin intercom.Origin, emit func(*intercom.Conversation, *Reject)) {
	d.s.Reset(data)
	for d.decodeNextTop(data, origin, emit) {
	}
}

// decodeNextTop reads the top-level value at the scanner's position and
// reports whether another object or array follows it on the line.
func (d *decoder) decodeNextTop(data []byte, origin intercom.Origin, emit func(*intercom.Conversation, *Reject)) bool {
	d.broke = nil
	switch d.s.Peek() {
	case jsonscan.Array:
		d.decodeArray(origin, emit)
	case jsonscan.Object:
		d.decodeObject(origin, emit)
	default:
		emit(nil, &Reject{Value: oneline.Shorten(string(data), 40), Reason: "is not a JSON object or array of conversations"})
		return false
	}
	if d.s.Err() == nil && d.s.Offset() < len(data) {
		if next := d.s.Peek(); next == jsonscan.Object || next == jsonscan.Array {
			return true
		}
	}
	// A syntax error is reported once, for the rest of the value; the
	// conversations decoded before it were already handed on. Inside an
	// array of records, the records it hides are counted too.
	err := d.s.End()
	se, isSyntax := err.(*jsonscan.SyntaxError) // a type assertion: errors.As would allocate for every value
	switch {
	case err == nil:
	case d.broke != nil && isSyntax:
		b := d.broke
		c := newRestEstimate(origin.Line, b.outer, true, b.record-1, int64(b.start-b.arrayStart))
		at := min(max(se.Offset, b.start), len(data))
		c.bytes = int64(at - b.start)
		c.plain.feed(data[b.start:at])
		c.fork()
		c.feed(data[at:])
		first, cause := syntaxSentences(b.record, b.start == se.Offset, se.Msg, fmt.Sprintf("byte %d of the line", se.Offset))
		u := brokenRecords(c, b.record, origin.Line, first, cause, "line")
		for i := range u.count {
			r := u.reject(i, 0)
			emit(nil, &r)
		}
	default:
		emit(nil, &Reject{Reason: "is not valid JSON from here on: " + err.Error()})
	}
	return false
}

// recordsBreak is where the JSON of an array of records broke.
type recordsBreak struct {
	record     int // the record it broke in, or before
	start      int // where that record starts
	arrayStart int // where the array's first element starts
	outer      int // containers around the array
}

// elements reads the elements of the array just entered as records; if the
// JSON breaks among them, d.broke says where.
func (d *decoder) elements(origin intercom.Origin, outer int, emit func(*intercom.Conversation, *Reject)) {
	arrayStart := d.s.Offset()
	for i := 0; ; i++ {
		if !d.s.NextElem() {
			var se *jsonscan.SyntaxError
			if errors.As(d.s.Err(), &se) {
				d.broke = &recordsBreak{record: i + 1, start: se.Offset, arrayStart: arrayStart, outer: outer}
			}
			return
		}
		start := d.s.Offset()
		o := origin
		o.Record = i + 1
		d.decodeRecord(o, emit)
		if d.s.Err() != nil {
			d.broke = &recordsBreak{record: i + 1, start: start, arrayStart: arrayStart, outer: outer}
			return
		}
	}
}

// decodeElement reads one element of an array or page cut out by the
// splitter: one result, a conversation or a reject.
func (d *decoder) decodeElement(data []byte, origin intercom.Origin, emit func(*intercom.Conversation, *Reject)) {
	d.s.Reset(data)
	emitted := false
	d.decodeRecord(origin, func(c *intercom.Conversation, r *Reject) {
		emitted = true
		emit(c, r)
	})
	if err := d.s.End(); err != nil && !emitted {
		msg := err.Error()
		var se *jsonscan.SyntaxError
		if errors.As(err, &se) {
			msg = fmt.Sprintf("%s at line %d", se.Msg, origin.Line+bytes.Count(data[:min(se.Offset, len(data))], []byte{'\n'}))
		}
		emit(nil, &Reject{Record: origin.Record, Reason: "is not valid JSON: " + msg})
	}
}

func (d *decoder) decodeArray(origin intercom.Origin, emit func(*intercom.Conversation, *Reject)) {
	d.begin(jsonscan.Array, nil)
	d.elements(origin, 0, emit)
}

// decodeObject handles a conversation, a page of them, or an error body. The
// kind is only known once "type" or "conversations" is seen, and keys come in
// any order, so conversation fields are decoded as they come and dropped if
// the object turns out to be a page.
func (d *decoder) decodeObject(origin intercom.Origin, emit func(*intercom.Conversation, *Reject)) {
	var pageConvs []pageItem
	c := d.newConversation(origin)
	d.failed, d.deleted = nil, false
	var typ, errorMsg string
	isPage := false
	var root *jpath
	d.begin(jsonscan.Object, nil)
	for {
		key, ok := d.s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "type":
			typ = d.str(root, "type")
		case "conversations":
			isPage = true
			pageConvs = d.decodePage(origin)
		case "errors":
			errorMsg = d.errorList()
		default:
			d.conversationField(c, key, root)
		}
	}
	switch {
	case isPage:
		for _, item := range pageConvs {
			emit(item.conv, item.reject)
		}
	case d.s.Err() != nil:
		// reported by decodeTop
	case typ == "error.list" || errorMsg != "":
		emit(nil, &Reject{Reason: errorBodyReason(oneline.Shorten(errorMsg, 200))})
	case typ != "" && typ != "conversation":
		emit(nil, &Reject{Column: "type", InJSON: true, Value: oneline.Shorten(typ, 60), Reason: "says this record is not a conversation"})
	default:
		emit(d.finish(c))
	}
}

type pageItem struct {
	conv   *intercom.Conversation
	reject *Reject
}

func (d *decoder) decodePage(origin intercom.Origin) []pageItem {
	var items []pageItem
	ok, err := d.s.Begin(jsonscan.Array)
	if te, isType := err.(*jsonscan.TypeError); isType {
		return []pageItem{{reject: &Reject{Column: "conversations", InJSON: true, Value: oneline.Shorten(string(te.Raw), 60), Reason: "is not a list of conversations"}}}
	}
	if !ok {
		return nil
	}
	d.elements(origin, 1, func(c *intercom.Conversation, r *Reject) {
		items = append(items, pageItem{c, r})
	})
	return items
}

// decodeRecord reads one element of a page or array, which must be a
// conversation object.
func (d *decoder) decodeRecord(origin intercom.Origin, emit func(*intercom.Conversation, *Reject)) {
	if d.s.Peek() != jsonscan.Object {
		raw := d.s.Raw()
		if d.s.Err() != nil {
			return // not JSON: the caller counts it where the JSON breaks
		}
		emit(nil, &Reject{Record: origin.Record, Value: oneline.Shorten(string(raw), 60), Reason: "is not a conversation object"})
		return
	}
	c := d.newConversation(origin)
	d.failed, d.deleted = nil, false
	var typ string
	var root *jpath
	d.begin(jsonscan.Object, nil)
	for {
		key, ok := d.s.NextKey()
		if !ok {
			break
		}
		if string(key) == "type" {
			typ = d.str(root, "type")
			continue
		}
		d.conversationField(c, key, root)
	}
	if d.s.Err() != nil {
		return // reported once by decodeTop
	}
	if typ != "" && typ != "conversation" {
		emit(nil, &Reject{Record: origin.Record, Column: "type", InJSON: true, Value: oneline.Shorten(typ, 60), Reason: "says this record is not a conversation"})
		return
	}
	cv, rej := d.finish(c)
	if rej != nil {
		rej.Record = origin.Record
	}
	emit(cv, rej)
}

// finish validates what a conversation must have.
func (d *decoder) finish(c *intercom.Conversation) (*intercom.Conversation, *Reject) {
	if f := d.failed; f != nil {
		return nil, &Reject{Column: f.path, InJSON: true, Value: f.value, Reason: f.reason}
	}
	switch {
	case c.ID == "":
		return nil, &Reject{Column: "id", InJSON: true, Reason: "is missing, so the conversation cannot be matched"}
	case d.deleted:
		return nil, &Reject{Column: "deleted_at", InJSON: true, Reason: "is set: this is an entry of the deleted-conversations list (GET /conversations/deleted), which carries no conversation data"}
	case !c.CreatedAt.Valid:
		return nil, &Reject{Column: "created_at", InJSON: true, Reason: "is missing, so the conversation cannot be placed in time"}
	}
	if !c.StartedAt.Valid {
		c.StartedAt = c.Reported.FirstContactReplyAt
	}
	c.PartsRead = len(c.Parts)
	return c, nil
}

func (d *decoder) conversationField(c *intercom.Conversation, key []byte, root *jpath) {
	switch string(key) {
	case "id":
		c.ID = d.id(root, "id")
	case "created_at":
		c.CreatedAt = d.instant(root, "created_at")
	case "updated_at":
		c.UpdatedAt = d.instant(root, "updated_at")
		c.Attributes |= intercom.AttrUpdatedAt
	case "state":
		c.State = intercom.NormalizeState(d.str(root, "state"))
		c.Attributes |= intercom.AttrState
	case "priority":
		c.Priority = d.str(root, "priority")
		c.Attributes |= intercom.AttrPriority
	case "admin_assignee_id":
		c.AdminAssigneeID = intercom.NormalizeAssignee(d.str(root, "admin_assignee_id"))
		c.Attributes |= intercom.AttrAdminAssignee
	case "team_assignee_id":
		c.TeamAssigneeID = intercom.NormalizeAssignee(d.str(root, "team_assignee_id"))
		c.Attributes |= intercom.AttrTeamAssignee
	case "title":
		// Message text: compared with the export's, shown only with
		// --include-pii.
		c.Title = d.text(root, "title")
		c.Attributes |= intercom.AttrTitle
	case "conversation_rating":
		c.Rating = d.rating(root.field("conversation_rating"))
		c.Attributes |= intercom.AttrRating
	case "source":
		d.source(c, root.field("source"))
	case "first_contact_reply":
		d.firstContactReply(c, root.field("first_contact_reply"))
	case "statistics":
		d.statistics(&c.Reported, root.field("statistics"))
	case "conversation_parts":
		d.partsList(c, root.field("conversation_parts"))
	case "tags":
		c.Tags = d.tags(root.field("tags"))
		c.Attributes |= intercom.AttrTags
	case "teammates":
		if d.lean {
			d.s.Skip()
		} else {
			c.Teammates = d.teammates(root.field("teammates"))
		}
	case "channel":
		d.channel(c, root.field("channel"))
	case "deleted_at":
		d.deleted = !d.s.IsNull()
		if d.deleted {
			d.s.Skip()
		}
	default:
		d.s.Skip()
	}
}

// rating reads conversation_rating.rating (null when the customer never
// rated).
func (d *decoder) rating(p jpath) intercom.Count {
	if d.s.Peek() != jsonscan.Object {
		d.s.Skip()
		return intercom.Count{}
	}
	var n intercom.Count
	d.begin(jsonscan.Object, &p)
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return n
		}
		if string(key) == "rating" {
			n = d.count(&p, "rating")
			continue
		}
		d.s.Skip()
	}
}

func (d *decoder) source(c *intercom.Conversation, p jpath) {
	if !d.begin(jsonscan.Object, &p) {
		return
	}
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return
		}
		switch string(key) {
		case "delivered_as":
			raw := d.str(&p, "delivered_as")
			c.InitiatorRaw = raw
			c.Initiator, _ = intercom.InitiatorFromDeliveredAs(raw)
			c.Attributes |= intercom.AttrInitiator
		case "author":
			c.SourceAuthor = d.author(p.field("author"))
		case "type":
			if c.Channel == "" {
				c.Channel = d.str(&p, "type")
				c.Attributes |= intercom.AttrChannel
			} else {
				d.s.Skip()
			}
		default:
			d.s.Skip()
		}
	}
}

func (d *decoder) channel(c *intercom.Conversation, p jpath) {
	if d.s.Peek() != jsonscan.Object {
		d.s.Skip()
		return
	}
	d.begin(jsonscan.Object, nil)
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return
		}
		if string(key) == "initial" {
			if ch := d.str(&p, "initial"); ch != "" {
				c.Channel = ch
				c.Attributes |= intercom.AttrChannel
			}
			continue
		}
		d.s.Skip()
	}
}

func (d *decoder) firstContactReply(c *intercom.Conversation, p jpath) {
	if !d.begin(jsonscan.Object, &p) {
		return
	}
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return
		}
		if string(key) == "created_at" {
			c.StartedAt = d.instant(&p, "created_at")
			continue
		}
		d.s.Skip()
	}
}

func (d *decoder) statistics(st *intercom.Statistics, p jpath) {
	if !d.begin(jsonscan.Object, &p) {
		return
	}
	st.Stated = intercom.APIFields
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return
		}
		k := string(key)
		switch k {
		case "first_contact_reply_at":
			st.FirstContactReplyAt = d.instant(&p, k)
		case "first_assignment_at":
			st.FirstAssignmentAt = d.instant(&p, k)
		case "first_admin_reply_at":
			st.FirstAdminReplyAt = d.instant(&p, k)
		case "first_close_at":
			st.FirstCloseAt = d.instant(&p, k)
		case "last_assignment_at":
			st.LastAssignmentAt = d.instant(&p, k)
		case "last_assignment_admin_reply_at":
			st.LastAssignmentAdminReplyAt = d.instant(&p, k)
		case "last_contact_reply_at":
			st.LastContactReplyAt = d.instant(&p, k)
		case "last_admin_reply_at":
			st.LastAdminReplyAt = d.instant(&p, k)
		case "last_close_at":
			st.LastCloseAt = d.instant(&p, k)
		case "last_closed_by_id":
			st.LastClosedByID = intercom.NormalizeAssignee(d.str(&p, k))
		case "count_reopens":
			st.CountReopens = d.count(&p, k)
		case "count_assignments":
			st.CountAssignments = d.count(&p, k)
		case "count_conversation_parts":
			st.CountConversationParts = d.count(&p, k)
		case "time_to_assignment":
			st.TimeToAssignment = d.seconds(&p, k)
		case "time_to_admin_reply":
			st.TimeToAdminReply = d.seconds(&p, k)
		case "time_to_first_close":
			st.TimeToFirstClose = d.seconds(&p, k)
		case "time_to_last_close":
			st.TimeToLastClose = d.seconds(&p, k)
		case "median_time_to_reply":
			st.MedianTimeToReply = d.seconds(&p, k)
		case "reply_times":
			st.ReplyTimes = d.intList(p.field(k))
		default:
			d.s.Skip()
		}
	}
}

func (d *decoder) intList(p jpath) []int64 {
	if !d.begin(jsonscan.Array, &p) {
		return nil
	}
	list := []int64{}
	for i := 0; d.s.NextElem(); i++ {
		ep := p.elem(i)
		if n, set := d.int(&ep, ""); set {
			list = append(list, n)
		}
	}
	return list
}

func (d *decoder) partsList(c *intercom.Conversation, p jpath) {
	if !d.begin(jsonscan.Object, &p) {
		return
	}
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return
		}
		switch string(key) {
		case "conversation_parts":
			c.HasParts = true
			d.parts(c, p.field("conversation_parts"))
		case "total_count":
			c.PartsTotal = d.count(&p, "total_count")
		default:
			d.s.Skip()
		}
	}
}

func (d *decoder) parts(c *intercom.Conversation, p jpath) {
	if !d.begin(jsonscan.Array, &p) {
		return
	}
	parts := d.partsBuf[:0]
	for i := 0; d.s.NextElem(); i++ {
		ep := p.elem(i)
		if d.s.Peek() != jsonscan.Object {
			d.fail(&ep, "", string(d.s.Raw()), "is not a conversation part")
			continue
		}
		part := d.part(ep)
		if !part.CreatedAt.Valid && d.failed == nil {
			d.fail(&ep, "created_at", "", "is missing, so the part cannot be placed in time")
		}
		parts = append(parts, part)
	}
	if d.lean {
		// decodeChunk takes the storage back once prepare returns.
		c.Parts, d.partsBuf = parts, nil
		return
	}
	// Collected in the decoder's storage and copied once, at their number:
	// grown part by part, c.Parts cost four or five allocations a
	// conversation and twice its size in copies.
	c.Parts = append(c.Parts, parts...)
	d.partsBuf = parts[:0]
}

func (d *decoder) part(p jpath) intercom.Part {
	var part intercom.Part
	d.begin(jsonscan.Object, nil)
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return part
		}
		switch string(key) {
		case "id":
			if d.lean {
				d.s.Skip()
			} else {
				part.ID = d.text(&p, "id")
			}
		case "part_type":
			part.Type = d.str(&p, "part_type")
		case "body":
			part.HasBody = d.s.HasText()
		case "created_at":
			part.CreatedAt = d.instant(&p, "created_at")
		case "author":
			part.Author = d.author(p.field("author"))
		case "assigned_to":
			part.AssignedTo = d.reference(p.field("assigned_to"))
		case "app_package_code":
			part.AppPackageCode = d.str(&p, "app_package_code")
		default:
			d.s.Skip()
		}
	}
}

func (d *decoder) author(p jpath) intercom.Author {
	var a intercom.Author
	if !d.begin(jsonscan.Object, &p) {
		return a
	}
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return a
		}
		switch string(key) {
		case "type":
			a.Type = d.str(&p, "type")
		case "id":
			a.ID = d.str(&p, "id")
		case "name":
			if d.lean {
				d.s.Skip()
			} else {
				a.Name = d.str(&p, "name")
			}
		case "email":
			a.Email = d.email(&p, "email")
		case "from_ai_agent":
			a.FromAIAgent = d.boolean(&p, "from_ai_agent")
		case "is_ai_answer":
			a.IsAIAnswer = d.boolean(&p, "is_ai_answer")
		default:
			d.s.Skip()
		}
	}
}

// reference reads {type, id} and returns the id ("" for null or nobody).
func (d *decoder) reference(p jpath) string {
	if !d.begin(jsonscan.Object, &p) {
		return ""
	}
	var id, typ string
	for {
		key, ok := d.s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "id":
			id = d.str(&p, "id")
		case "type":
			typ = d.str(&p, "type")
		default:
			d.s.Skip()
		}
	}
	if typ == "nobody_admin" {
		return ""
	}
	return intercom.NormalizeAssignee(id)
}

// tags reads {type: tag.list, tags: [{name}]} or a bare array of tags.
func (d *decoder) tags(p jpath) []string {
	switch d.s.Peek() {
	case jsonscan.Array:
		return d.namedList(p, "name")
	case jsonscan.Object:
		var names []string
		d.begin(jsonscan.Object, nil)
		for {
			key, ok := d.s.NextKey()
			if !ok {
				return names
			}
			if string(key) == "tags" {
				names = d.namedList(p.field("tags"), "name")
				continue
			}
			d.s.Skip()
		}
	}
	d.s.Skip()
	return nil
}

// teammates reads teammates.teammates (2.16) or the legacy teammates.admins.
func (d *decoder) teammates(p jpath) []string {
	if !d.begin(jsonscan.Object, &p) {
		return nil
	}
	var ids []string
	for {
		key, ok := d.s.NextKey()
		if !ok {
			return ids
		}
		if k := string(key); k == "teammates" || k == "admins" {
			ids = append(ids, d.namedList(p.field(k), "id")...)
			continue
		}
		d.s.Skip()
	}
}

// namedList collects one field of each object in an array.
func (d *decoder) namedList(p jpath, field string) []string {
	if !d.begin(jsonscan.Array, &p) {
		return nil
	}
	var out []string
	for i := 0; d.s.NextElem(); i++ {
		ep := p.elem(i)
		if !d.begin(jsonscan.Object, &ep) {
			continue
		}
		for {
			key, ok := d.s.NextKey()
			if !ok {
				break
			}
			if string(key) == field {
				out = append(out, d.str(&ep, field))
				continue
			}
			d.s.Skip()
		}
	}
	return out
}

// errorList reads Intercom's {"type":"error.list","errors":[{code,message}]}.
func (d *decoder) errorList() string {
	if !d.begin(jsonscan.Array, nil) {
		return ""
	}
	var msgs []string
	for d.s.NextElem() {
		if !d.begin(jsonscan.Object, nil) {
			continue
		}
		var code, msg string
		for {
			key, ok := d.s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "code":
				code, _, _ = d.s.Str()
			case "message":
				msg, _, _ = d.s.Str()
			default:
				d.s.Skip()
			}
		}
		if m := strings.Trim(code+": "+msg, ": "); m != "" {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, "; ")
}
