package reconcile

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/intercom"
	. "github.com/icrecon/icrecon/internal/convtest"
	"github.com/icrecon/icrecon/metrics"
)

var testMetrics = metrics.Options{Schedule: Weekdays9to5(), Bots: Bots()}

// exportColumns are the statistics a full Reports export states.
var exportColumns = intercom.FieldSet(0).With(
	"first_contact_reply_at", "first_admin_reply_at", "first_close_at", "last_close_at",
	"first_assignment_at", "last_assignment_at", "last_assignment_admin_reply_at", "last_closed_by_id",
	"time_to_admin_reply", "time_to_admin_reply_all_hours", "time_to_last_close", "time_to_last_close_all_hours",
	"time_to_first_close", "time_to_first_close_all_hours", "time_to_assignment", "time_to_assignment_all_hours")

// sides builds the export row and the pulled conversation that agree with
// the parts of c; a case then changes one of them.
func sides(c *intercom.Conversation) (export, pull *intercom.Conversation) {
	truth := metrics.Recompute(c, testMetrics)
	e := *c
	e.Parts, e.HasParts, e.PartsRead = nil, false, 0
	e.StartedAt = truth.FirstContactReplyAt
	e.Reported = truth
	e.Reported.Stated = exportColumns
	p := *c
	p.Reported = truth
	p.Reported.Stated = intercom.APIFields
	return &e, &p
}

// diffsOf runs one conversation through the join and lists its differences
// as "left/right field cause".
func diffsOf(t *testing.T, export, pull *intercom.Conversation) []string {
	t.Helper()
	r := New(Options{Metrics: testMetrics, Zone: Vancouver})
	if export != nil {
		if err := r.AddExport(export, false); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, d := range r.PrepareAPI(pull).diffs {
		got = append(got, fmt.Sprintf("%s/%s %s %s", d.Left, d.Right, d.Field, d.Cause))
	}
	slices.Sort(got)
	return got
}

// reopenedConversation: Fin answers first, Sam replies and closes, the
// customer reopens, Kim takes it and closes again; all within office hours.
func reopenedConversation() *intercom.Conversation {
	return Conv(Customer, Mon+"10:00",
		Comment(Fin, Mon+"10:00:30"),
		Assign(Operator, Mon+"10:01"),
		Comment(Sam, Mon+"10:20"),
		Comment(Customer, Mon+"10:40"),
		Close(Sam, Mon+"11:00"),
		Comment(Customer, Mon+"14:00"),
		Assign(Kim, Mon+"14:05"),
		Comment(Kim, Mon+"14:30"),
		Close(Kim, Mon+"15:00"))
}

// overWeekend: the customer writes late on Friday; the reply comes on
// Tuesday (Monday is Thanksgiving), so office and all hours differ.
func overWeekend() *intercom.Conversation {
	return Conv(Customer, "2025-10-10 16:30", Comment(Sam, "2025-10-14 09:30"), Close(Sam, "2025-10-14 10:00"))
}

// outbound: Sam's message on Monday, answered on Tuesday.
func outbound() *intercom.Conversation {
	return Conv(Sam, Mon+"10:00", Comment(Customer, "2025-10-07 11:00"), Comment(Sam, "2025-10-07 11:30"), Close(Sam, "2025-10-07 12:00"))
}

func TestDetectors(t *testing.T) {
	cases := []struct {
		name   string
		conv   func() *intercom.Conversation
		change func(export, pull *intercom.Conversation)
		want   []string
	}{
		{
			name: "sides that agree have no differences",
			conv: reopenedConversation, change: func(e, p *intercom.Conversation) {},
		},
		{
			name: "office_hours: the export's office column holds the all-hours value",
			conv: overWeekend,
			change: func(e, p *intercom.Conversation) {
				e.Reported.TimeToAdminReply = e.Reported.TimeToAdminReplyAllHours
			},
			want: []string{"export/api time_to_admin_reply office_hours", "export/recomputed time_to_admin_reply office_hours"},
		},
		{
			name: "anchor: the export measured from created_at, not the customer's first message",
			conv: outbound,
			change: func(e, p *intercom.Conversation) {
				reply := e.Reported.FirstAdminReplyAt.Unix
				e.Reported.TimeToAdminReplyAllHours = intercom.Secs(reply - e.CreatedAt.Unix)
				e.Reported.TimeToAdminReply = intercom.Secs(testMetrics.Schedule.Seconds(e.CreatedAt.Unix, reply))
			},
			want: []string{"export/api time_to_admin_reply anchor", "export/recomputed time_to_admin_reply anchor", "export/recomputed time_to_admin_reply_all_hours anchor"},
		},
		{
			name: "bot_author: the API counted Fin's answer as the first reply",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				p.Reported.FirstAdminReplyAt = intercom.At(At(Mon + "10:00:30"))
				p.Reported.TimeToAdminReply = intercom.Secs(30)
			},
			want: []string{
				"api/recomputed first_admin_reply_at bot_author", "api/recomputed time_to_admin_reply bot_author",
				"export/api first_admin_reply_at bot_author", "export/api time_to_admin_reply bot_author",
			},
		},
		{
			name: "reopened: the export took the first close for the last",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				e.Reported.LastCloseAt = e.Reported.FirstCloseAt
				e.Reported.TimeToLastClose, e.Reported.TimeToLastCloseAllHours = e.Reported.TimeToFirstClose, e.Reported.TimeToFirstCloseAllHours
				e.Reported.LastClosedByID = "5001"
			},
			want: []string{
				"export/api last_close_at reopened", "export/api last_closed_by_id unexplained", "export/api time_to_last_close reopened",
				"export/recomputed last_close_at reopened", "export/recomputed last_closed_by_id unexplained",
				"export/recomputed time_to_last_close reopened", "export/recomputed time_to_last_close_all_hours reopened",
			},
		},
		{
			name: "stale beats reopened: the export was taken before the reopen",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				e.UpdatedAt = intercom.At(At(Mon + "11:00"))
				p.UpdatedAt = intercom.At(At(Mon + "15:00"))
				e.Reported.LastCloseAt = e.Reported.FirstCloseAt
				e.Reported.TimeToLastClose, e.Reported.TimeToLastCloseAllHours = e.Reported.TimeToFirstClose, e.Reported.TimeToFirstCloseAllHours
				e.Reported.LastClosedByID = "5001"
			},
			want: []string{
				"export/api last_close_at stale", "export/api last_closed_by_id stale", "export/api time_to_last_close stale",
				"export/recomputed last_close_at stale", "export/recomputed last_closed_by_id stale",
				"export/recomputed time_to_last_close stale", "export/recomputed time_to_last_close_all_hours stale",
			},
		},
		{
			name: "stale: a new assignment after the export cleared the reply after the last assignment",
			conv: func() *intercom.Conversation {
				return Conv(Customer, Mon+"10:00", Assign(Sam, Mon+"10:05"), Comment(Sam, Mon+"10:20"), Assign(Kim, Mon+"12:00"))
			},
			change: func(e, p *intercom.Conversation) {
				// The export was taken at 11:00, before Kim's assignment.
				e.UpdatedAt, p.UpdatedAt = intercom.At(At(Mon+"11:00")), intercom.At(At(Mon+"12:00"))
				e.Reported.LastAssignmentAt = intercom.At(At(Mon + "10:05"))
				e.Reported.LastAssignmentAdminReplyAt = intercom.At(At(Mon + "10:20"))
			},
			want: []string{
				"export/api last_assignment_admin_reply_at stale", "export/api last_assignment_at stale",
				"export/recomputed last_assignment_admin_reply_at stale", "export/recomputed last_assignment_at stale",
			},
		},
		{
			name:   "timezone: the export's creation time is an hour off (daylight saving)",
			conv:   reopenedConversation,
			change: func(e, p *intercom.Conversation) { e.CreatedAt.Unix += 3600 },
			want:   []string{"export/api created_at timezone"},
		},
		{
			name:   "timezone: read as UTC, seven hours off in summer",
			conv:   reopenedConversation,
			change: func(e, p *intercom.Conversation) { e.Reported.FirstCloseAt.Unix -= 7 * 3600 },
			want:   []string{"export/api first_close_at timezone", "export/recomputed first_close_at timezone"},
		},
		{
			name:   "rounding: a duration one second off",
			conv:   reopenedConversation,
			change: func(e, p *intercom.Conversation) { e.Reported.TimeToAdminReplyAllHours.N++ },
			want:   []string{"export/recomputed time_to_admin_reply_all_hours rounding"},
		},
		{
			// Issue 10: equal once rounded, not as typed — shown, not silent.
			name: "rounding: the export typed a fraction of a second",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				e.Fractions = []intercom.Fraction{{Field: "time_to_admin_reply", Typed: fmt.Sprintf("%d.4", e.Reported.TimeToAdminReply.N)}}
			},
			want: []string{"export/api time_to_admin_reply rounding", "export/recomputed time_to_admin_reply rounding"},
		},
		{
			name: "a fraction on a value that differs anyway keeps its cause",
			conv: overWeekend,
			change: func(e, p *intercom.Conversation) {
				e.Reported.TimeToAdminReply = e.Reported.TimeToAdminReplyAllHours
				e.Fractions = []intercom.Fraction{{Field: "time_to_admin_reply", Typed: "1.5"}}
			},
			want: []string{"export/api time_to_admin_reply office_hours", "export/recomputed time_to_admin_reply office_hours"},
		},
		{
			name: "rounding: a spreadsheet cut the seconds off a timestamp",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				e.MinuteTimes = true
				e.Reported.FirstAdminReplyAt.Unix -= 40
			},
			want: []string{"export/api first_admin_reply_at rounding", "export/recomputed first_admin_reply_at rounding"},
		},
		{
			name: "definition: the export took the help article's reading",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				e.Reported.LastAssignmentAdminReplyAt = intercom.At(At(Mon + "10:01"))
			},
			want: []string{"export/api last_assignment_admin_reply_at definition", "export/recomputed last_assignment_admin_reply_at definition"},
		},
		{
			name: "parts_truncated: the API returned only the newest parts",
			conv: reopenedConversation,
			change: func(e, p *intercom.Conversation) {
				p.Parts = p.Parts[3:]
				p.PartsRead, p.PartsTotal = len(p.Parts), intercom.CountOf(9)
			},
			// Lost: Fin's answer, the workflow's assignment and Sam's first
			// reply (and so its reply time); the customer's opening message
			// is not a part.
			want: []string{
				"api/recomputed count_assignments parts_truncated", "api/recomputed count_conversation_parts parts_truncated",
				"api/recomputed first_admin_reply_at parts_truncated", "api/recomputed first_assignment_at parts_truncated",
				"api/recomputed median_time_to_reply parts_truncated",
				"api/recomputed time_to_admin_reply parts_truncated", "api/recomputed time_to_assignment parts_truncated",
				"export/recomputed first_admin_reply_at parts_truncated", "export/recomputed first_assignment_at parts_truncated",
				"export/recomputed time_to_admin_reply parts_truncated", "export/recomputed time_to_admin_reply_all_hours parts_truncated",
				"export/recomputed time_to_assignment parts_truncated", "export/recomputed time_to_assignment_all_hours parts_truncated",
			},
		},
		{
			name:   "unexplained: nothing accounts for it",
			conv:   reopenedConversation,
			change: func(e, p *intercom.Conversation) { e.Reported.TimeToFirstCloseAllHours.N += 4321 },
			want:   []string{"export/recomputed time_to_first_close_all_hours unexplained"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			export, pull := sides(tc.conv())
			tc.change(export, pull)
			got := diffsOf(t, export, pull)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("differences:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// A difference of a value typed with a fraction shows it as typed.
func TestDifference_ShowsTheFractionAsTyped(t *testing.T) {
	export, pull := sides(reopenedConversation())
	typed := fmt.Sprintf("%d.4", export.Reported.TimeToAdminReply.N)
	export.Fractions = []intercom.Fraction{{Field: "time_to_admin_reply", Typed: typed}}
	r := New(Options{Metrics: testMetrics, Zone: Vancouver})
	if err := r.AddExport(export, false); err != nil {
		t.Fatal(err)
	}
	diffs := r.PrepareAPI(pull).diffs
	if len(diffs) == 0 {
		t.Fatal("no difference")
	}
	for _, d := range diffs {
		if d.LeftTyped != typed || !d.LeftValue.Equal(d.RightValue) {
			t.Errorf("%s/%s %s: typed %q, values %v and %v; want %q and equal values once rounded", d.Left, d.Right, d.Field, d.LeftTyped, d.LeftValue, d.RightValue, typed)
		}
	}
}

func TestCauseNamesAreTheContract(t *testing.T) {
	want := "parts_truncated stale timezone office_hours anchor bot_author reopened definition rounding unexplained"
	var got []string
	for _, c := range Causes() {
		got = append(got, c.String())
	}
	if strings.Join(got, " ") != want {
		t.Errorf("causes %v, want %s", got, want)
	}
	s := CauseSet(0).Add(Unexplained).Add(Stale)
	if s.String() != "stale;unexplained" || !s.Has(Stale) || s.Has(Anchor) {
		t.Errorf("CauseSet %q", s)
	}
}
