package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/reconcile"
)

// valueKind is what a difference's values are, which the field's name tells.
type valueKind uint8

const (
	kindText valueKind = iota
	kindInstant
	kindDuration
	kindCount
)

// differenceKind is the kind of a field of differences.csv: a statistics
// field's own kind (an id is text), else the attribute's. The attributes
// are reconcile's: state, admin_assignee_id, team_assignee_id, tags,
// channel, priority, title and initiator are words; rating, reassignments
// and replies_sent counts; updated_at and created_at instants.
func differenceKind(field string) valueKind {
	if f, ok := intercom.StatFieldByName(field); ok {
		switch f.Kind {
		case intercom.KindInstant:
			return kindInstant
		case intercom.KindSeconds:
			return kindDuration
		case intercom.KindCount:
			return kindCount
		}
		return kindText
	}
	switch field {
	case "created_at", "updated_at":
		return kindInstant
	case "rating", "reassignments", "replies_sent":
		return kindCount
	}
	return kindText
}

// differencesSheet: one row per difference as in differences.csv,
// unexplained first (the file is read twice rather than held in memory),
// with each value typed by its field's kind — a duration as a duration, an
// instant as a date-time in the workspace's zone, a count as a number — and
// the difference, right − left.
func (w *workbook) differencesSheet() error {
	s, err := w.newTable("Differences", []column{
		textCol("conversation_id", 18), textCol("field", 30),
		textCol("left", 12), numCol(w.local("left_value"), 19),
		textCol("right", 12), numCol(w.local("right_value"), 19),
		numCol("difference (right − left)", 15),
		textCol("cause", 15), textCol("reading", 30),
	}, "differences.csv")
	if err != nil {
		return err
	}
	kinds := map[string]valueKind{} // a few dozen fields, many rows each
	for _, unexplained := range []bool{true, false} {
		err := eachCSVRow(w.in.DifferencesCSV, func(r []string) error {
			if (r[6] == reconcile.Unexplained.String()) != unexplained {
				return nil
			}
			kind, ok := kinds[r[1]]
			if !ok {
				kind = differenceKind(r[1])
				kinds[r[1]] = kind
			}
			left, l, lok := w.typedValue(kind, r[3])
			right, rv, rok := w.typedValue(kind, r[5])
			var diff any
			if lok && rok {
				diff = w.valueDifference(kind, rv-l)
			}
			return s.add([]any{w.conversationLink(r[0]), r[1], r[2], left, r[4], right, diff, r[6], r[7]})
		})
		if err != nil {
			return err
		}
	}
	return s.close()
}

// typedValue is a value of differences.csv as a cell of its kind, with its
// number (seconds, Unix seconds or the count) when it has one. Text, and a
// value that does not read as its kind, stays text (right-aligned, as the
// column's numbers are); an empty value is an empty cell.
func (w *workbook) typedValue(kind valueKind, s string) (cell any, n int64, ok bool) {
	if s == "" {
		return nil, 0, false
	}
	switch kind {
	case kindDuration:
		// A duration the export typed with a fraction ("687.4") keeps it;
		// the difference column takes it to the second.
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && strings.Trim(s, "0123456789.") == "" {
			return excelize.Cell{StyleID: w.duration, Value: f / 86400}, int64(math.Round(f)), true
		}
	case kindCount:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return excelize.Cell{StyleID: w.count, Value: n}, n, true
		}
	case kindInstant:
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return excelize.Cell{StyleID: w.datetime, Value: excelSerial(t.Unix(), w.in.Zone)}, t.Unix(), true
		}
	}
	return excelize.Cell{StyleID: w.textRight, Value: s}, 0, false
}

// valueDifference is right − left: a signed duration for durations and
// instants, a signed count for counts.
func (w *workbook) valueDifference(kind valueKind, d int64) any {
	switch kind {
	case kindDuration, kindInstant:
		return excelize.Cell{StyleID: w.signedDuration, Value: float64(d) / 86400}
	case kindCount:
		return excelize.Cell{StyleID: w.signedCount, Value: d}
	}
	return nil
}
