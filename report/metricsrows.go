package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/icrecon/icrecon/intercom"
)

// MetricsRow is one conversation's statistics as the source states them and
// as icrecon recomputed them.
type MetricsRow struct {
	ID         string
	Truncated  bool
	Reported   *intercom.Statistics
	Recomputed *intercom.Statistics // nil when the source carried no parts
	Differs    []string
}

// MetricsWriter writes MetricsRows in one format.
type MetricsWriter interface {
	Write(MetricsRow) error
	// Close flushes; it does not close the underlying writer.
	Close() error
}

// NewMetricsJSONL writes one JSON object per conversation:
// {"id","truncated","reported":{field:value|null},"recomputed":{…}|null,"differs":[…]}.
// Timestamps are Unix seconds, durations seconds; reported holds the fields
// the source states, recomputed every field, the new-pipeline names and the
// reply_times lists.
func NewMetricsJSONL(w io.Writer) MetricsWriter { return &metricsJSONL{w: bufio.NewWriter(w)} }

type metricsJSONL struct {
	w   *bufio.Writer
	buf []byte
}

func (m *metricsJSONL) Write(r MetricsRow) error {
	b := append(m.buf[:0], `{"id":`...)
	b = appendJSONString(b, r.ID)
	b = append(b, `,"truncated":`...)
	b = strconv.AppendBool(b, r.Truncated)
	b = append(b, `,"reported":`...)
	b = appendStats(b, r.Reported, r.Reported.Stated, false)
	b = append(b, `,"recomputed":`...)
	if r.Recomputed == nil {
		b = append(b, "null"...)
	} else {
		b = appendStats(b, r.Recomputed, intercom.AllFields(), true)
	}
	b = append(b, `,"differs":[`...)
	for i, f := range r.Differs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f)
	}
	b = append(b, "]}\n"...)
	m.buf = b
	_, err := m.w.Write(b)
	return err
}

func (m *metricsJSONL) Close() error { return m.w.Flush() }

// appendStats writes the stated fields as a JSON object; with extras, also
// the new-pipeline aliases and the reply-time lists.
func appendStats(b []byte, st *intercom.Statistics, stated intercom.FieldSet, extras bool) []byte {
	b = append(b, '{')
	first := true
	field := func(name string, v intercom.Value) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, name)
		b = append(b, ':')
		b = appendValue(b, v)
	}
	for i, f := range intercom.StatFields {
		if stated.HasIndex(i) {
			field(f.Name, f.Get(st))
		}
	}
	if extras {
		for _, a := range intercom.PipelineAliases {
			f, _ := intercom.StatFieldByName(a.SameAs)
			field(a.Name, f.Get(st))
		}
		b = append(b, `,"reply_times":`...)
		b = appendInts(b, st.ReplyTimes)
		b = append(b, `,"reply_times_all_hours":`...)
		b = appendInts(b, st.ReplyTimesAllHours)
	}
	return append(b, '}')
}

func appendValue(b []byte, v intercom.Value) []byte {
	switch {
	case !v.Valid:
		return append(b, "null"...)
	case v.Kind == intercom.KindID:
		return appendJSONString(b, v.S)
	}
	return strconv.AppendInt(b, v.N, 10)
}

func appendInts(b []byte, xs []int64) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, x, 10)
	}
	return append(b, ']')
}

// NewMetricsCSV writes one row per conversation, wide, for a spreadsheet:
// conversation_id, truncated, differs, then reported_<field> and
// recomputed_<field> for every field, then the reply-time lists.
func NewMetricsCSV(w io.Writer) MetricsWriter {
	m := &metricsCSV{w: newCSVWriter(w)}
	m.header()
	return m
}

type metricsCSV struct {
	w   *csvWriter
	row []string
	err error
}

func (m *metricsCSV) header() {
	h := []string{"conversation_id", "truncated", "differs"}
	for _, f := range intercom.StatFields {
		h = append(h, "reported_"+f.Name, "recomputed_"+f.Name)
	}
	m.err = m.w.Write(append(h, "recomputed_reply_times", "recomputed_reply_times_all_hours"))
}

func (m *metricsCSV) Write(r MetricsRow) error {
	if m.err != nil {
		return m.err
	}
	row := append(m.row[:0], r.ID, strconv.FormatBool(r.Truncated), strings.Join(r.Differs, ";"))
	for i, f := range intercom.StatFields {
		reported := ""
		if r.Reported.Stated.HasIndex(i) {
			reported = f.Get(r.Reported).String()
		}
		recomputed := ""
		if r.Recomputed != nil {
			recomputed = f.Get(r.Recomputed).String()
		}
		row = append(row, reported, recomputed)
	}
	if r.Recomputed != nil {
		row = append(row, joinInts(r.Recomputed.ReplyTimes), joinInts(r.Recomputed.ReplyTimesAllHours))
	} else {
		row = append(row, "", "")
	}
	m.row = row
	return m.w.Write(row)
}

func (m *metricsCSV) Close() error { return m.w.Close() }

func joinInts(xs []int64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatInt(x, 10)
	}
	return strings.Join(parts, ";")
}

// IsMetricsOutput says whether firstLine — a file's first line as read,
// with its line break, empty for an empty file — is how an output of
// metrics starts, so that metrics --out may replace the file. It is the CSV
// header exactly, or a JSONL row: an object with exactly the keys
// NewMetricsJSONL writes, each holding the kind of value it writes. An
// empty file counts: it is metrics' JSONL output of no conversations.
func IsMetricsOutput(firstLine []byte) bool {
	return len(firstLine) == 0 || bytes.Equal(firstLine, metricsCSVHeader) || isMetricsJSONLRow(firstLine)
}

// metricsCSVHeader is the first line NewMetricsCSV writes, line break
// included.
var metricsCSVHeader = func() []byte {
	var b bytes.Buffer
	NewMetricsCSV(&b).Close()
	return b.Bytes()
}()

// metricsJSONLKeys are the keys of every JSONL row, each with the bytes
// its value may start with.
var metricsJSONLKeys = map[string]string{"id": `"`, "truncated": "tf", "reported": "{", "recomputed": "{n", "differs": "["}

func isMetricsJSONLRow(line []byte) bool {
	var row map[string]json.RawMessage
	if json.Unmarshal(line, &row) != nil || len(row) != len(metricsJSONLKeys) {
		return false
	}
	for key, starts := range metricsJSONLKeys {
		v := row[key]
		if len(v) == 0 || !bytes.ContainsAny(v[:1], starts) {
			return false
		}
	}
	return true
}
