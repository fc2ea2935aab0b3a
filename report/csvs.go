package report

import (
	"io"
	"strconv"

	"github.com/icrecon/icrecon/reconcile"
)

// DifferencesCSV writes differences.csv as differences are found:
// conversation_id,field,left,left_value,right,right_value,cause,reading.
type DifferencesCSV struct{ w *csvWriter }

// NewDifferencesCSV writes the header.
func NewDifferencesCSV(w io.Writer) (*DifferencesCSV, error) {
	d := &DifferencesCSV{w: newCSVWriter(w)}
	return d, d.w.Write([]string{"conversation_id", "field", "left", "left_value", "right", "right_value", "cause", "reading"})
}

// Write adds one difference.
func (d *DifferencesCSV) Write(diff reconcile.Difference) error {
	left := FormatValue(diff.LeftValue)
	if diff.LeftTyped != "" {
		left = diff.LeftTyped
	}
	return d.w.Write([]string{diff.ConversationID, diff.Field, diff.Left.String(), left,
		diff.Right.String(), FormatValue(diff.RightValue), diff.Cause.String(), diff.Reading})
}

// Close flushes.
func (d *DifferencesCSV) Close() error { return d.w.Close() }

// WriteConversationsCSV writes conversations.csv: one row per conversation,
// conversation_id,status,initiator,created_at,started_at,truncated,causes.
func WriteConversationsCSV(w io.Writer, res *reconcile.Result) error {
	cw := newCSVWriter(w)
	if err := cw.Write([]string{"conversation_id", "status", "initiator", "created_at", "started_at", "truncated", "causes"}); err != nil {
		return err
	}
	err := res.EachConversation(func(c reconcile.ConversationRow) error {
		return cw.Write([]string{c.ID, c.Status, c.Initiator.String(), c.CreatedAt.String(), c.StartedAt.String(),
			strconv.FormatBool(c.Truncated), c.Causes.String()})
	})
	if err != nil {
		return err
	}
	return cw.Close()
}

// WriteBridgeCSV writes bridge.csv: one row per conversation moved by a
// bridge step, figure,step,metric,from,to,cause,conversation_id: figure is
// the figure's place among the dashboard's (as in summary.json and the
// workbook), step the step's place in its bridge; together they name one
// step, which metric, period and cause alone do not (two rows of the same
// metric and period in two zones; two office_hours steps in one bridge).
func WriteBridgeCSV(w io.Writer, res *reconcile.Result) error {
	cw := newCSVWriter(w)
	if err := cw.Write([]string{"figure", "step", "metric", "from", "to", "cause", "conversation_id"}); err != nil {
		return err
	}
	// One row per id, millions at 500k conversations: everything but the
	// id is made once per step.
	row := make([]string, 7)
	for i, f := range res.Figures {
		row[0], row[2], row[3], row[4] = strconv.Itoa(i+1), f.Figure.Metric, f.Figure.From.String(), f.Figure.To.String()
		for j, st := range f.Bridge {
			row[1], row[5] = strconv.Itoa(j+1), st.Cause
			for _, id := range st.IDs {
				row[6] = id
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	return cw.Close()
}
