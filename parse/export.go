package parse

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/oneline"
	"github.com/icrecon/icrecon/internal/ordered"
)

// Emit receives each conversation a reader accepts, in input order.
// duplicate is true when the source's Ledger has seen the id before; the
// record is counted as a duplicate and the caller may still prefer it (for
// instance when it is a newer snapshot).
type Emit func(c *intercom.Conversation, duplicate bool) error

// ExportOptions tune the Reports CSV reader.
type ExportOptions struct {
	// Zone applies to timestamp columns whose header carries no zone suffix.
	Zone *time.Location
	// Strict makes the first rejected row fatal.
	Strict bool
	// Ledger detects duplicate ids across files; nil means this file alone.
	Ledger Ledger
	// KeepUnmapped keeps the cells of unmapped columns in Conversation.Extra.
	KeepUnmapped bool
	// OnReject, when set, is given every rejected row in input order;
	// ExportInfo.Rejects keeps only the first 10,000.
	OnReject func(Reject) error
	// Workers convert rows in parallel; 0 means one per CPU. Output order
	// is the input order whatever the number.
	Workers int
	// ReuseConversations promises that emit keeps no pointer to the
	// conversation it is given once it returns (its strings and slices it
	// may keep): the reader then writes a later row into the same memory,
	// which spares allocating and collecting a kilobyte per row.
	ReuseConversations bool
}

// ExportInfo is what the reader learned about one export file.
type ExportInfo struct {
	File      FileInfo
	Tally     Tally
	Blank     int    // rows with no cells at all, skipped (Excel leaves them)
	Zone      string // the zone of the timestamp columns
	Delimiter string
	DateOrder DateOrder
	Mapped    []string // headers as written
	Unmapped  []string
	Rejects   []Reject
	Warnings  []Reject // rows read, with something the analyst should know
}

// ReadExport reads a Reports "Conversations" CSV export: any subset of its
// columns in any order, the zone taken from the headers, a BOM, CRLF, quoted
// newlines, and the same file after a round trip through Excel.
func ReadExport(o *Opened, opts ExportOptions, emit Emit) (*ExportInfo, error) {
	info := &ExportInfo{}
	if opts.Ledger == nil {
		opts.Ledger = IDSet{}
	}
	if bom, _ := o.Peek(3); string(bom) == string(utf8BOM) {
		o.Discard(3)
	}
	head, err := o.Peek(1 << 16)
	var cut *CutError
	switch {
	case len(strings.TrimSpace(string(head))) == 0 && errors.As(err, &cut):
		return nil, cut // a gzip file with no data to read
	case len(strings.TrimSpace(string(head))) == 0:
		return nil, fmt.Errorf("%s: the file is empty", o.Path)
	}
	delim := sniffDelimiter(firstLine(head))
	info.Delimiter = string(delim)

	var source io.Reader = o
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		// Old Mac line ends (Excel's "CSV (Macintosh)"): a bare CR each.
		source = crToLF{o}
	}
	records := newRecordSplitter(source, byte(delim))
	err = records.Read()
	switch {
	case errors.As(err, &cut):
		return nil, cut
	case err != nil:
		return nil, fmt.Errorf("%s: the header row cannot be read: %v", o.Path, err)
	}
	r := &exportReader{path: o.Path, info: info, opts: opts, records: records, comma: byte(delim), emit: emit}
	if err := r.readHeaders(records.Cells()); err != nil {
		return nil, err
	}
	info.DateOrder = r.sniffDateOrder(head, delim)
	err = r.readRows()
	info.Blank = r.blank
	if err != nil {
		return info, err
	}
	info.File = o.Info(KindExport)
	return info, info.Tally.Check(o.Path)
}

type exportReader struct {
	path         string
	info         *ExportInfo
	opts         ExportOptions
	records      *recordSplitter
	comma        byte
	emit         Emit
	headers      []exportHeader
	plan         columnPlan
	written      [exportColumns]string         // each mapped column's header as the file writes it
	zones        [exportColumns]*time.Location // each timestamp column's zone
	stated       intercom.FieldSet             // statistics the columns present state
	attributes   intercom.AttributeSet         // attributes the columns present state
	blank        int                           // rows of separators only, counted by the reading goroutine
	done         chan *rowBatch                // batches emitted, to be filled again
	decimalComma bool
}

// readHeaders maps the header row onto our columns (the plan each row is
// decoded by), records the zone, and refuses a file that cannot be matched
// to conversations.
func (r *exportReader) readHeaders(header []string) error {
	seen := map[string]int{}
	var zoneNames []string
	for i, written := range header {
		h := readHeader(written)
		if h.ZoneProblem != "" {
			return fmt.Errorf("%s: column %s %s", r.path, oneline.Quote(written), h.ZoneProblem)
		}
		r.headers = append(r.headers, h)
		r.plan.add(h.Column)
		if h.Mapped {
			if prev, dup := seen[h.Canonical]; dup {
				return fmt.Errorf("%s: the column %q appears twice (columns %d and %d); remove one and try again", r.path, h.Canonical, prev+1, i+1)
			}
			seen[h.Canonical] = i
			r.written[h.Column] = written
			r.zones[h.Column] = h.Zone
			r.info.Mapped = append(r.info.Mapped, written)
			if field, ok := columnStates[h.Canonical]; ok {
				r.stated = r.stated.With(field)
			}
			r.attributes |= columnAttributes[h.Canonical]
		} else {
			r.info.Unmapped = append(r.info.Unmapped, written)
		}
		if h.Zone != nil && !slices.Contains(zoneNames, h.Zone.String()) {
			zoneNames = append(zoneNames, h.Zone.String())
		}
	}
	if _, ok := seen["Conversation ID"]; !ok {
		return fmt.Errorf("%s: there is no \"Conversation ID\" column, so its rows cannot be matched to conversations; export the report again with the Conversation ID attribute", r.path)
	}
	r.info.Zone = strings.Join(zoneNames, ", ")
	if len(zoneNames) > 1 {
		// The zones are in the sentence, not its value: they are names
		// of zones that exist (readHeader refuses others), never personal,
		// and a warning without a column has its value hidden.
		r.warn(0, "", "", "the timestamp columns name different time zones ("+r.info.Zone+"); each column is read in its own")
	}
	return r.checkZones()
}

// checkZones gives every timestamp column a zone: its own suffix, else the
// --timezone option, else it is an error (local times without a zone are
// guesses).
func (r *exportReader) checkZones() error {
	for _, h := range r.headers {
		col := h.Canonical
		if !timestampColumns[col] || r.zones[h.Column] != nil {
			continue
		}
		if r.opts.Zone == nil {
			return fmt.Errorf("%s: the column %q does not say its time zone (Intercom writes it like \"%s (America/Vancouver)\"); give the workspace's zone with --timezone", r.path, col, col)
		}
		r.zones[h.Column] = r.opts.Zone
		if r.info.Zone == "" {
			r.info.Zone = r.opts.Zone.String()
		}
	}
	return nil
}

// readRows reads the rows on one goroutine, converts them (timestamps,
// zones, durations) on every core, and accounts for and emits them in file
// order.
func (r *exportReader) readRows() error {
	r.decimalComma = r.comma == ';'
	produce := func(send func(*rowBatch) bool) error { return r.readBatches(send) }
	convert := func() func(*rowBatch) *rowBatch {
		w := &converter{}
		return func(b *rowBatch) *rowBatch {
			r.convertBatch(b, w)
			return b
		}
	}
	workers := r.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	r.done = make(chan *rowBatch, 4*workers+1) // as many as ordered.Run keeps in flight
	return ordered.Run(workers, produce, convert, r.accept)
}

// rowBatch is a run of rows in file order.
type rowBatch struct {
	rows []pendingRow
	// text holds the rows as written, back to back, each followed by the
	// text of its cells that had to be unescaped; the workers make it one
	// string, and each cell a piece of it.
	text []byte
	// convs holds the rows' conversations under ReuseConversations,
	// written again each time the batch is filled.
	convs []intercom.Conversation
}

// emptyBatch is a batch to fill: one whose rows were emitted, or a new one.
// Reusing them spares allocating and clearing a quarter megabyte for every
// 256 rows.
func (r *exportReader) emptyBatch() *rowBatch {
	select {
	case b := <-r.done:
		b.rows, b.text = b.rows[:0], b.text[:0]
		return b
	default:
		return &rowBatch{rows: make([]pendingRow, 0, rowsPerBatch), text: make([]byte, 0, rowsPerBatch*1024)}
	}
}

// rowsPerBatch is small enough to keep every core busy, large enough that
// the hand-offs cost nothing.
const rowsPerBatch = 256

// pendingRow is a row read but not yet converted, then its outcome.
type pendingRow struct {
	cells    [exportColumns]span // each mapped cell's text in the batch's text
	unmapped []span              // the cells of unmapped columns, under KeepUnmapped
	line     int
	raw      span      // the row as written, in the batch's text
	csvErr   *Reject   // the CSV layer could not read this record
	cut      *CutError // the gzip data ends here: the rest is lost
	conv     *intercom.Conversation
	reject   *Reject
	warnings []Reject
}

func (r *exportReader) readBatches(send func(*rowBatch) bool) error {
	batch := r.emptyBatch()
	// add adds a row, and sends the batch once it is full; false once the
	// run is cancelled.
	add := func(row pendingRow) bool {
		batch.rows = append(batch.rows, row)
		if len(batch.rows) < rowsPerBatch {
			return true
		}
		if !send(batch) {
			return false
		}
		batch = r.emptyBatch()
		return true
	}
	for record := 1; ; record++ {
		err := r.records.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if stop, err := r.readFailed(err, record, batch, add, send); stop {
				return err
			}
			continue
		}
		raw, unescaped, cells := r.records.Record()
		// A row of nothing but separators is blank (spreadsheets leave
		// them); one with any cell filled, mapped or not, is a record.
		if isSeparatorsOnly(raw, r.comma) {
			r.blank++
			continue
		}
		if !add(r.pendingRow(batch, raw, unescaped, cells)) {
			return nil
		}
	}
	if len(batch.rows) > 0 {
		send(batch)
	}
	return nil
}

// readFailed handles a record the CSV layer could not read: a row with a
// reject, a cut gzip's end, or an error that stops the read. It is apart
// from readBatches because errors.As makes its targets escape: declared in
// the loop, they cost an allocation for every row.
func (r *exportReader) readFailed(err error, record int, batch *rowBatch, add func(pendingRow) bool, send func(*rowBatch) bool) (stop bool, _ error) {
	var pe *csv.ParseError
	var cut *CutError
	switch {
	case errors.As(err, &pe):
		if !add(pendingRow{csvErr: &Reject{Line: pe.StartLine, Reason: describeCSVError(pe, len(r.headers))}}) {
			return true, nil
		}
		// A quote out of place that runs over several lines swallowed
		// the rows on them: each line is counted as a rejected row,
		// never lost unseen (a quoted cell may hold a line break, so
		// the count may be high, never low).
		for line := pe.StartLine + 1; isQuoteError(pe) && line <= pe.Line; line++ {
			if !add(pendingRow{csvErr: &Reject{Line: line, Reason: fmt.Sprintf("was not read as a row: it lies inside the row of line %d, whose quote mark out of place runs on to line %d", pe.StartLine, pe.Line)}}) {
				return true, nil
			}
		}
		return false, nil
	case errors.As(err, &cut):
		// The rows before were read; the one it cuts, and any after, are
		// lost: one reject that says where.
		batch.rows = append(batch.rows, pendingRow{cut: cut})
		send(batch)
		return true, nil
	}
	send(batch)
	return true, fmt.Errorf("%s: reading stopped after record %d: %v", r.path, record, err)
}

// pendingRow copies a record into the batch's text and places its cells.
func (r *exportReader) pendingRow(batch *rowBatch, raw, unescaped []byte, cells []span) pendingRow {
	base := len(batch.text)
	batch.text = append(append(batch.text, raw...), unescaped...)
	row := pendingRow{line: r.records.Line(), raw: span{base, base + len(raw)}}
	r.plan.place(&row, cells, base, r.opts.KeepUnmapped)
	return row
}

// convertBatch converts each row; it only reads the reader's settings.
func (r *exportReader) convertBatch(b *rowBatch, w *converter) {
	text := string(b.text) // one copy, of which every cell is a piece
	for i := range b.rows {
		row := &b.rows[i]
		if row.csvErr != nil || row.cut != nil {
			continue
		}
		cells := &w.cells
		for col, c := range row.cells {
			cells[col] = text[c.from:c.to]
		}
		row.conv, row.reject, row.warnings = r.convert(cells, row.line, w, r.conversationFor(b, i))
		if row.reject != nil {
			row.reject.Raw = strings.Clone(oneline.Shorten(strings.TrimSpace(text[row.raw.from:row.raw.to]), 500))
			continue
		}
		for _, c := range row.unmapped {
			row.conv.Extra = append(row.conv.Extra, strings.Clone(text[c.from:c.to]))
		}
	}
}

// conversationFor is where row i of a batch is converted to: the batch's own
// memory under ReuseConversations, else a new conversation.
func (r *exportReader) conversationFor(b *rowBatch, i int) *intercom.Conversation {
	if !r.opts.ReuseConversations {
		return new(intercom.Conversation)
	}
	if len(b.convs) < len(b.rows) {
		b.convs = make([]intercom.Conversation, max(len(b.rows), rowsPerBatch))
	}
	b.convs[i] = intercom.Conversation{}
	return &b.convs[i]
}

// accept accounts for a batch's rows and emits them, in file order.
func (r *exportReader) accept(b *rowBatch) error {
	for i := range b.rows {
		row := &b.rows[i]
		switch {
		case row.cut != nil:
			if err := r.reject(Reject{Line: row.cut.Line, Reason: row.cut.Reason(r.info.Tally.Read)}); err != nil {
				return err
			}
			continue
		case row.csvErr != nil:
			if err := r.reject(*row.csvErr); err != nil {
				return err
			}
			continue
		case row.reject != nil:
			if err := r.reject(*row.reject); err != nil {
				return err
			}
			continue
		}
		for _, w := range row.warnings {
			r.warn(w.Line, w.Column, w.Value, w.Reason)
		}
		r.info.Tally.Read++
		dup := !r.opts.Ledger.Admit(row.conv.ID)
		if dup {
			r.info.Tally.Duplicates++
		} else {
			r.info.Tally.Accepted++
		}
		if err := r.emit(row.conv, dup); err != nil {
			return err
		}
	}
	select {
	case r.done <- b:
	default:
	}
	return nil
}

// reject records a bad row; under --strict it ends the read.
func (r *exportReader) reject(rej Reject) error {
	rej.File = r.path
	r.info.Tally.Read++
	r.info.Tally.Rejected++
	if err := keepReject(&r.info.Rejects, r.opts.OnReject, rej); err != nil {
		return err
	}
	if r.opts.Strict {
		return &ErrStrict{Reject: rej}
	}
	return nil
}

func (r *exportReader) warn(line int, column, value, reason string) {
	if len(r.info.Warnings) < maxRejectsKept {
		r.info.Warnings = append(r.info.Warnings, Reject{File: r.path, Line: line, Column: column, Value: value, Reason: reason})
	}
}

// describeCSVError turns encoding/csv's errors into words.
func describeCSVError(pe *csv.ParseError, columns int) string {
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return fmt.Sprintf("the row has a different number of cells than the header's %d columns (a cell with an unquoted comma, or a row cut short)", columns)
	case isQuoteError(pe) && pe.Line > pe.StartLine:
		return fmt.Sprintf("a quote mark is out of place: the quoted cell it opens runs on to line %d (column %d), so lines %d to %d cannot be told apart into rows; each is counted as a rejected row", pe.Line, pe.Column, pe.StartLine, pe.Line)
	case isQuoteError(pe):
		return fmt.Sprintf("a quote mark is out of place near line %d, column %d, so the row's cells cannot be told apart", pe.Line, pe.Column)
	}
	return pe.Err.Error()
}

func isQuoteError(pe *csv.ParseError) bool {
	return errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)
}

// isSeparatorsOnly reports whether a record's bytes hold no cell content.
func isSeparatorsOnly(raw []byte, comma byte) bool {
	for _, c := range raw {
		if c != comma && c != '"' && c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// crToLF turns bare carriage returns into line feeds, for files whose lines
// end with CR alone.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// convert turns one row's cells into the conversation c (zero on entry), or
// the first cell that cannot be read.
func (r *exportReader) convert(row *exportRow, line int, w *converter, c *intercom.Conversation) (*intercom.Conversation, *Reject, []Reject) {
	cv := cellConverter{r: r, w: w, row: row, line: line}
	c.Origin = intercom.Origin{File: r.path, Line: line}
	c.ID = strings.Clone(cv.id())
	c.StartedAt = cv.instant(colStartedAt)
	c.CreatedAt = cv.instant(colCreatedAt)
	c.UpdatedAt = cv.instant(colUpdatedAt)

	st := &c.Reported
	st.Stated = r.stated
	st.FirstContactReplyAt = c.StartedAt
	st.FirstAdminReplyAt = cv.instant(colFirstRepliedAt)
	st.FirstCloseAt = cv.instant(colFirstClosedAt)
	st.LastCloseAt = cv.instant(colLastClosedAt)
	st.FirstAssignmentAt = cv.instant(colFirstAssignmentAt)
	st.LastAssignmentAt = cv.instant(colLastAssignmentAt)
	st.LastAssignmentAdminReplyAt = cv.instant(colLastAssignedReply)
	st.TimeToAdminReplyAllHours = cv.seconds(colFirstResponse)
	st.TimeToAdminReply = cv.seconds(colFirstResponseOH)
	st.TimeToLastCloseAllHours = cv.seconds(colTimeToClose)
	st.TimeToLastClose = cv.seconds(colTimeToCloseOH)
	st.TimeToFirstCloseAllHours = cv.seconds(colTimeToFirstClose)
	st.TimeToFirstClose = cv.seconds(colTimeToFirstCloseOH)
	st.TimeToAssignmentAllHours = cv.seconds(colTimeToAssign)
	st.TimeToAssignment = cv.seconds(colTimeToAssignOH)

	c.Initiator, _ = intercom.InitiatorFromCSV(row[colStartedBy], row[colSource])
	// Cells are pieces of their batch's text: every cell kept, here or in
	// a reject or a warning, must be copied, or one id would keep 256 rows
	// in memory. Values that repeat are shared.
	keep := w.strs.get
	st.LastClosedByID = keep(intercom.NormalizeAssignee(row[colLastClosedByID]))
	c.InitiatorRaw = w.initiatorRaw(row[colStartedBy], row[colSource])
	c.Channel = keep(strings.TrimSpace(row[colChannel]))
	c.State = keep(intercom.NormalizeState(row[colState]))
	c.Priority = keep(strings.TrimSpace(row[colPriority]))
	c.AdminAssigneeID = keep(intercom.NormalizeAssignee(row[colAdminAssignee]))
	c.TeamAssigneeID = keep(intercom.NormalizeAssignee(row[colTeamAssignee]))
	if row[colTags] != "" {
		c.Tags = make([]string, 0, strings.Count(row[colTags], ",")+1) // one allocation, not one per doubling
	}
	for tag := range strings.SplitSeq(row[colTags], ",") { // "billing, refund"
		if tag = strings.TrimSpace(tag); tag != "" {
			c.Tags = append(c.Tags, keep(tag))
		}
	}
	c.AppID = w.appID(row[colURL])
	c.Attributes = r.attributes
	c.Title = strings.Clone(strings.TrimSpace(row[colTitle]))
	c.AdminAssigneeName = keep(strings.TrimSpace(row[colAdminName]))
	c.TeamAssigneeName = keep(strings.TrimSpace(row[colTeamName]))
	c.Rating = cv.count(colRating)
	c.Reassignments = cv.count(colReassignments)
	c.RepliesSent = cv.count(colReplies)
	c.CustomerName, c.CustomerEmail = strings.Clone(strings.TrimSpace(row[colUserName])), strings.Clone(strings.TrimSpace(row[colUserEmail]))
	c.MinuteTimes = cv.minuteTimes
	c.Fractions = cv.fractions
	if cv.rejected != nil {
		return nil, cv.rejected, nil
	}
	return c, nil, cv.warnings
}

// idTooLong is the reason for an id of n characters, past
// intercom.MaxConversationIDLength, from any source.
func idTooLong(n int) string {
	return fmt.Sprintf("is %d characters long, too long for a conversation id (Intercom's have at most %d)", n, intercom.MaxConversationIDLength)
}

// converter is what a worker keeps from row to row.
type converter struct {
	cells   exportRow                 // the row at hand's cells, pieces of its batch's text
	strs    interner                  // the strings it has seen, to share them
	periods [exportColumns]zonePeriod // each timestamp column's last zone period
	scratch []byte
	// appURL is the last conversation URL up to the "/" after its
	// workspace id, appIDOf that id.
	appURL, appIDOf string
}

// appID is appIDInURL, shared. A file's URLs name one workspace: one that
// starts as the last did, up to the "/" after the id, holds the same id
// (the first "/apps/" of both is in that start).
func (w *converter) appID(url string) string {
	if w.appURL != "" && strings.HasPrefix(url, w.appURL) {
		return w.appIDOf
	}
	id := w.strs.get(appIDInURL(url))
	w.appURL = ""
	if end := strings.Index(url, "/apps/") + len("/apps/") + len(id); id != "" && end < len(url) && url[end] == '/' {
		w.appURL, w.appIDOf = strings.Clone(url[:end+1]), id
	}
	return id
}

// initiatorRaw is "Started by / Conversation source" as written, shared: a
// pair seen before costs no allocation.
func (w *converter) initiatorRaw(startedBy, source string) string {
	b := append(w.scratch[:0], strings.TrimSpace(startedBy)...)
	b = append(append(b, " / "...), strings.TrimSpace(source)...)
	w.scratch = b
	return w.strs.getBytes(bytes.Trim(b, " /"))
}

// cellConverter converts cells, keeping the first failure.
type cellConverter struct {
	r           *exportReader
	w           *converter
	row         *exportRow
	line        int
	rejected    *Reject
	warnings    []Reject // kept only if the row is accepted
	minuteTimes bool
	fractions   []intercom.Fraction
}

func (cv *cellConverter) fail(column, value, reason string) {
	if cv.rejected == nil {
		cv.rejected = &Reject{Line: cv.line, Column: column, Value: strings.Clone(oneline.Shorten(value, 80)), Reason: reason}
	}
}

// id reads the Conversation ID cell by intercom.ConversationID, the rule
// the API reader follows too.
func (cv *cellConverter) id() string {
	cell := cv.row[colID]
	id, problem := intercom.ConversationID(cell)
	switch problem {
	case intercom.IDOK:
		return id
	case intercom.IDTooLong:
		cv.fail("Conversation ID", id[:min(len(id), 100)], idTooLong(utf8.RuneCountInString(id)))
		return ""
	case intercom.IDEmpty:
		cv.fail("Conversation ID", cell, "is empty, so the row cannot be matched to a conversation")
	case intercom.IDNumber:
		if strings.ContainsAny(id, "eE") {
			// What a spreadsheet shows of a long number: 2.1547E+14.
			cv.fail("Conversation ID", cell, "was turned into a rounded number by a spreadsheet, so the id is lost; export again and do not open the file in Excel before icrecon reads it")
		} else {
			cv.fail("Conversation ID", cell, "was turned into a number with a fraction by a spreadsheet or another tool, so it is not read as an id (Intercom's ids are digits); export again and do not open the file in Excel before icrecon reads it")
		}
	case intercom.IDLeadingZero:
		cv.fail("Conversation ID", cell, intercom.LeadingZeroReason)
	default:
		cv.fail("Conversation ID", cell, "is not a conversation id (Intercom's ids are digits)")
	}
	return id
}

func (cv *cellConverter) instant(col exportColumn) intercom.Instant {
	cell := strings.TrimSpace(cv.row[col])
	if cell == "" {
		return intercom.Instant{}
	}
	lt, err := parseLocalTime(cell, cv.r.info.DateOrder)
	if err != nil {
		cv.fail(cv.r.written[col], cell, err.Error())
		return intercom.Instant{}
	}
	if !lt.hasSeconds {
		cv.minuteTimes = true
	}
	t, note := lt.resolveUnix(cv.r.zones[col], &cv.w.periods[col])
	if note != "" {
		cv.warnings = append(cv.warnings, Reject{File: cv.r.path, Line: cv.line, Column: cv.r.written[col], Value: strings.Clone(cell), Reason: string(note)})
	}
	return intercom.At(t)
}

// seconds reads a duration in seconds; one typed with a fraction of a second
// is rounded, and its statistics field and text kept
// (Conversation.Fractions).
func (cv *cellConverter) seconds(col exportColumn) intercom.Seconds {
	cell := cv.row[col]
	column := cv.r.written[col]
	s := strings.TrimSpace(cell)
	if s == "" {
		return intercom.Seconds{}
	}
	if cv.r.decimalComma {
		s = strings.Replace(s, ",", ".", 1)
	}
	if n, ok := wholeNumber(s); ok && n <= intercom.MaxDurationSeconds {
		return intercom.Secs(n)
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		cv.fail(column, cell, "is not a number of seconds")
		return intercom.Seconds{}
	case f < 0:
		cv.fail(column, cell, "is a negative duration")
		return intercom.Seconds{}
	case f > intercom.MaxDurationSeconds:
		cv.fail(column, cell, tooLongDuration)
		return intercom.Seconds{}
	}
	if f != math.Trunc(f) {
		cv.fractions = append(cv.fractions, intercom.Fraction{Field: columnStates[exportHeaders[col]], Typed: strings.Clone(s)})
	}
	return intercom.Secs(int64(math.Round(f)))
}

// tooLongDuration is the reason for a duration past
// intercom.MaxDurationSeconds, from any source.
const tooLongDuration = "is too large to be a duration in seconds (more than 30,000 years)"

// wholeNumber reads the usual duration, "687" or "687.0", quicker than
// strconv.ParseFloat, and to the same value: at most 15 digits, so exactly.
func wholeNumber(s string) (int64, bool) {
	digits, zeros, _ := strings.Cut(s, ".")
	if digits == "" || len(digits) > 15 || strings.TrimRight(zeros, "0") != "" {
		return 0, false
	}
	var n int64
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// count reads a whole number of things (a rating, replies sent); empty is
// unset.
func (cv *cellConverter) count(col exportColumn) intercom.Count {
	cell := cv.row[col]
	s := strings.TrimSpace(cell)
	if s == "" {
		return intercom.Count{}
	}
	s = strings.TrimSuffix(s, ".0") // a spreadsheet's 3.0
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		cv.fail(cv.r.written[col], cell, "is not a whole number")
		return intercom.Count{}
	}
	return intercom.CountOf(n)
}

// sniffDelimiter picks the separator of the header row: the one of , ; tab
// | that occurs most outside quotes. Excel in many European locales saves
// with ;, its "Unicode Text" with tabs, and some databases export with |.
func sniffDelimiter(header string) rune {
	counts := map[rune]int{}
	inQuotes := false
	for _, c := range header {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case !inQuotes && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best := ','
	for _, d := range []rune{';', '\t', '|'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// sniffDateOrder looks at the first rows' timestamps: Intercom writes ISO
// dates, but a file re-saved by Excel has slash or dot dates in the user's
// locale, where 8/2/2025 could be either day. A day above 12 settles it; if
// nothing does, a comma file is read month first (US Excel) and a semicolon
// file day first (European Excel), and a warning says so.
func (r *exportReader) sniffDateOrder(head []byte, delim rune) DateOrder {
	sample := csv.NewReader(strings.NewReader(string(head)))
	sample.Comma = delim
	sample.FieldsPerRecord = -1
	sample.LazyQuotes = true
	sample.Read() // header
	var monthFirst, dayFirst, slashDates int
	for row := 0; row < 500; row++ {
		cells, err := sample.Read()
		if err != nil {
			break
		}
		for i, cell := range cells {
			if i >= len(r.headers) || !timestampColumns[r.headers[i].Canonical] {
				continue
			}
			date, _, _ := strings.Cut(strings.TrimSpace(cell), " ")
			if strings.Contains(date, "-") || date == "" {
				continue
			}
			sep := "/"
			if strings.Contains(date, ".") {
				sep = "."
			}
			a, b, _, ok := threeNumbers(date, sep)
			if !ok {
				continue
			}
			slashDates++
			if a > 12 {
				dayFirst++
			}
			if b > 12 {
				monthFirst++
			}
		}
	}
	switch {
	case slashDates == 0:
		return DateISO
	case dayFirst > 0 && monthFirst == 0:
		return DateDayFirst
	case monthFirst > 0 && dayFirst == 0:
		return DateMonthFirst
	}
	order := DateMonthFirst
	if delim == ';' {
		order = DateDayFirst
	}
	r.warn(0, "", "", fmt.Sprintf("dates like 8/2/2025 could be read either way and nothing in the first rows settles it; they are read as %s (this file was probably re-saved by a spreadsheet)", order))
	return order
}
