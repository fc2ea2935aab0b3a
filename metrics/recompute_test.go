package metrics

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/convtest"
	"github.com/icrecon/icrecon/officehours"
)

// Short names for the shared builders.
var (
	at       = convtest.At
	customer = convtest.Customer
	lead     = convtest.Lead
	sam      = convtest.Sam
	kim      = convtest.Kim
	lee      = convtest.Lee
	fin      = convtest.Fin
	operator = convtest.Operator
	github   = convtest.GitHub
	part     = convtest.Part
	comment  = convtest.Comment
	note     = convtest.Note
	assign   = convtest.Assign
	closed   = convtest.Close
	conv     = convtest.Conv
)

const mon = convtest.Mon

func weekdays9to5(testing.TB) *officehours.Schedule { return convtest.Weekdays9to5() }

// unset marks a field that must not be set.
var unset = struct{}{}

type want map[string]any // field -> wall clock string, seconds/count, or unset

func (w want) check(tb testing.TB, st intercom.Statistics) {
	tb.Helper()
	for name, v := range w {
		var got string
		switch name {
		case "reply_times":
			got = fmt.Sprint(st.ReplyTimes)
		case "reply_times_all_hours":
			got = fmt.Sprint(st.ReplyTimesAllHours)
		default:
			f, ok := intercom.StatFieldByName(name)
			if !ok {
				tb.Fatalf("no field %s", name)
			}
			got = f.Get(&st).String()
		}
		var expected string
		switch x := v.(type) {
		case struct{}:
			expected = ""
		case string:
			if f, ok := intercom.StatFieldByName(name); ok && f.Kind == intercom.KindInstant {
				expected = fmt.Sprint(at(x))
			} else {
				expected = x
			}
		default:
			expected = fmt.Sprint(x)
		}
		if got != expected {
			tb.Errorf("%s = %q, want %q", name, got, expected)
		}
	}
}

func TestRecompute(t *testing.T) {
	cases := []struct {
		name     string
		conv     *intercom.Conversation
		variants Variants
		want     want
	}{
		{
			name: "single open-close cycle",
			// The customer writes at 10:00; a workflow assigns; Sam answers,
			// the customer follows up, Sam answers again and closes.
			conv: conv(customer, mon+"10:00",
				assign(operator, mon+"10:00:05"),
				comment(sam, mon+"10:30"),
				comment(customer, mon+"10:40"),
				comment(sam, mon+"11:00"),
				closed(sam, mon+"11:05")),
			want: want{
				"first_contact_reply_at": mon + "10:00", "first_assignment_at": mon + "10:00:05",
				"first_admin_reply_at": mon + "10:30", "last_admin_reply_at": mon + "11:00",
				"last_contact_reply_at": mon + "10:40", "first_close_at": mon + "11:05", "last_close_at": mon + "11:05",
				"last_closed_by_id": "5001", "last_closed_by_human_at": mon + "11:05",
				"last_assignment_admin_reply_at": mon + "10:30",
				"time_to_assignment":             5, "time_to_admin_reply": 1800, "time_to_admin_reply_all_hours": 1800,
				"time_to_first_close": 3900, "time_to_last_close": 3900, "time_to_last_close_by_human": 3900,
				"reply_times": "[1800 1200]", "median_time_to_reply": 1500,
				"count_assignments": 1, "count_reopens": 0, "count_conversation_parts": 6, // the opening message counts
			},
		},
		{
			name: "reopened after closing: first and last close differ",
			conv: conv(customer, mon+"10:00",
				comment(sam, mon+"10:10"),
				closed(sam, mon+"10:15"),
				comment(customer, mon+"14:00"), // reopens
				comment(sam, mon+"14:30"),
				closed(sam, mon+"15:00")),
			want: want{
				"count_reopens": 1, "first_close_at": mon + "10:15", "last_close_at": mon + "15:00",
				"time_to_first_close": 900, "time_to_last_close": 18000, "last_contact_reply_at": mon + "14:00",
				"reply_times": "[600 1800]", "median_time_to_reply": 1200,
			},
		},
		{
			name: "explicit reopen and assign-and-reopen both count; snoozing does not",
			conv: conv(customer, mon+"10:00",
				closed(sam, mon+"10:05"),
				part("open", sam, mon+"10:10", false),
				part("snoozed", sam, mon+"10:20", false),
				comment(customer, mon+"10:30"), // wakes a snoozed conversation: not a reopen
				closed(sam, mon+"10:40"),
				part("assign_and_reopen", kim, mon+"11:00", false)),
			want: want{"count_reopens": 2, "count_assignments": 1, "last_close_at": mon + "10:40"},
		},
		{
			name: "several assignments and admin replies before the close",
			conv: conv(customer, mon+"09:30",
				assign(operator, mon+"09:30:02"), // to a team
				assign(sam, mon+"09:45"),         // to Kim
				comment(kim, mon+"10:00"),
				assign(kim, mon+"10:20"), // to Lee
				comment(lee, mon+"10:40"),
				comment(customer, mon+"10:50"),
				comment(lee, mon+"11:00"),
				closed(lee, mon+"11:10")),
			want: want{
				"count_assignments": 3, "first_assignment_at": mon + "09:30:02", "last_assignment_at": mon + "10:20",
				// The first assignment, the workflow's at 09:30:02.
				"time_to_assignment": 2,
				// API reading: the first reply after the most recent assignment.
				"last_assignment_admin_reply_at": mon + "10:40",
				// Lee's 10:40 reply follows Kim's comment, not the customer's.
				"reply_times": "[1800 600]", "median_time_to_reply": 1200,
			},
		},
		{
			name: "several assignments, help article reading",
			conv: conv(customer, mon+"09:30",
				assign(operator, mon+"09:30:02"),
				assign(sam, mon+"09:45"),
				comment(kim, mon+"10:00"),
				assign(kim, mon+"10:20"),
				comment(lee, mon+"10:40")),
			variants: Variants{}.With(FamilyLastAssignmentReply, LastAssignmentHelp),
			want:     want{"last_assignment_admin_reply_at": mon + "09:45"},
		},
		{
			name: "Fin answers first: bots are never admin replies and do not break reply pairs",
			conv: conv(customer, mon+"10:00",
				comment(fin, mon+"10:00:10"),
				comment(customer, mon+"10:02"),
				comment(fin, mon+"10:02:05"),
				assign(operator, mon+"10:03"),
				comment(sam, mon+"10:20"),
				closed(fin, mon+"10:30")),
			want: want{
				"first_admin_reply_at": mon + "10:20", "time_to_admin_reply": 1200,
				// Sam answers the customer's latest message, Fin's parts skipped.
				"reply_times": "[1080]", "median_time_to_reply": 1080,
				// A bot's close is a close, but not a human's.
				"last_close_at": mon + "10:30", "last_closed_by_id": "8002", "last_closed_by_human_at": unset,
				"time_to_last_close_by_human": unset, "time_to_last_close": 1800,
			},
		},
		{
			name: "Operator writing as an admin and a listed integration bot are not teammates",
			conv: conv(customer, mon+"10:00",
				comment(operator, mon+"10:01"),
				comment(github, mon+"10:02"),
				comment(kim, mon+"10:10")),
			want: want{"first_admin_reply_at": mon + "10:10", "time_to_admin_reply": 600, "reply_times": "[600]"},
		},
		{
			name: "notes between replies are neither replies nor visible",
			conv: conv(customer, mon+"10:00",
				note(sam, mon+"10:05"),
				comment(sam, mon+"10:10"),
				note(kim, mon+"10:15"),
				comment(customer, mon+"10:20"),
				note(sam, mon+"10:25"),
				comment(sam, mon+"10:30")),
			want: want{
				"first_admin_reply_at": mon + "10:10", "last_admin_reply_at": mon + "10:30",
				"reply_times": "[600 600]", "median_time_to_reply": 600, "count_conversation_parts": 7,
			},
		},
		{
			name: "admin-initiated conversation the customer answers two days later",
			conv: conv(sam, mon+"10:00",
				comment(sam, "2025-10-07 09:00"), // a nudge before the customer wrote: not a reply
				closed(sam, "2025-10-07 09:05"),  // closed before the customer wrote: not counted
				comment(customer, "2025-10-08 10:00"),
				comment(kim, "2025-10-08 11:00"),
				closed(kim, "2025-10-08 11:30")),
			want: want{
				"first_contact_reply_at": "2025-10-08 10:00", "first_admin_reply_at": "2025-10-08 11:00",
				"time_to_admin_reply": 3600, "first_close_at": "2025-10-08 11:30", "time_to_first_close": 5400,
				"count_reopens": 0, "reply_times": "[3600]",
			},
		},
		{
			name: "no customer message: every timestamp unset",
			conv: conv(sam, mon+"10:00", comment(sam, mon+"11:00"), closed(sam, mon+"11:05")),
			want: want{
				"first_contact_reply_at": unset, "first_admin_reply_at": unset, "first_close_at": unset,
				"last_close_at": unset, "last_closed_by_id": unset, "time_to_admin_reply": unset,
				"time_to_last_close": unset, "median_time_to_reply": unset,
				"count_reopens": 0, "count_assignments": 0, "count_conversation_parts": 3,
			},
		},
		{
			name: "office hours across a weekend and the DST change",
			// Friday 16:00 PDT to Monday 10:00 PST: 67 hours on the clock,
			// one office hour on Friday and one on Monday.
			conv: conv(customer, "2025-10-31 16:00", comment(sam, "2025-11-03 10:00")),
			want: want{"time_to_admin_reply": 7200, "time_to_admin_reply_all_hours": 67 * 3600, "reply_times": "[7200]", "reply_times_all_hours": fmt.Sprint([]int64{67 * 3600})},
		},
		{
			name: "a closed day (Thanksgiving) is not office time",
			conv: conv(customer, "2025-10-10 16:30", comment(sam, "2025-10-14 09:30")),
			want: want{"time_to_admin_reply": 3600},
		},
		{
			name: "unknown part types are events: counted, never replies",
			conv: conv(lead, mon+"10:00",
				part("participant_added", sam, mon+"10:01", true),
				part("conversation_rating_changed", customer, mon+"10:02", true),
				part("something_new_in_2027", kim, mon+"10:03", true),
				comment(kim, mon+"10:10")),
			want: want{"first_admin_reply_at": mon + "10:10", "count_conversation_parts": 5, "reply_times": "[600]", "last_contact_reply_at": mon + "10:00"},
		},
		{
			name: "reply-and-close counts as a reply by default",
			conv: conv(customer, mon+"10:00", part("close", sam, mon+"10:20", true)),
			want: want{"first_admin_reply_at": mon + "10:20", "first_close_at": mon + "10:20", "reply_times": "[1200]"},
		},
		{
			name:     "reply-and-close is only an event under body_events=event",
			conv:     conv(customer, mon+"10:00", part("close", sam, mon+"10:20", true), comment(sam, mon+"10:30")),
			variants: Variants{}.With(FamilyBodyEvents, BodyEventsEvent),
			// The close's body was seen, so Sam's comment does not follow the customer.
			want: want{"first_admin_reply_at": mon + "10:30", "reply_times": "[]"},
		},
		{
			name: "reply-and-assign: the assignment's own reply is not 'after' it",
			conv: conv(customer, mon+"10:00",
				assign(operator, mon+"10:00:01"),
				part("assignment", sam, mon+"10:10", true), // Sam replies and assigns to Kim
				comment(kim, mon+"10:30")),
			want: want{
				"first_admin_reply_at": mon + "10:10", "count_assignments": 2,
				"last_assignment_admin_reply_at": mon + "10:30",
				// The reply-and-assign is the first reply, so the last
				// assignment before it is the workflow's.
				"time_to_assignment": 1,
			},
		},
		{
			name:     "time_to_assignment over all hours under time_to_assignment_hours=all",
			conv:     conv(customer, "2025-10-10 16:30", assign(operator, "2025-10-14 09:30"), comment(sam, "2025-10-14 09:40")),
			variants: Variants{}.With(FamilyAssignmentHours, HoursAll),
			want:     want{"time_to_assignment": at("2025-10-14 09:30") - at("2025-10-10 16:30"), "time_to_admin_reply": 4200},
		},
		{
			name: "no reply: time_to_assignment still runs to the first assignment; no reply after the last assignment",
			conv: conv(customer, mon+"10:00", assign(operator, mon+"10:01"), closed(operator, mon+"10:02")),
			want: want{"first_assignment_at": mon + "10:01", "time_to_assignment": 60, "last_assignment_admin_reply_at": unset},
		},
		{
			name:     "no reply: no time_to_assignment under time_to_assignment=first_replied",
			conv:     conv(customer, mon+"10:00", assign(operator, mon+"10:01"), closed(operator, mon+"10:02")),
			variants: Variants{}.With(FamilyAssignment, AssignFirstReplied),
			want:     want{"time_to_assignment": unset},
		},
		{
			name: "real data: a bot's default assignment in the customer's second gives time_to_assignment 0",
			conv: conv(customer, mon+"10:00",
				part("default_assignment", operator, mon+"10:00", false),
				comment(fin, mon+"10:00:30"),
				assign(operator, mon+"10:10:11"),
				comment(sam, mon+"10:20")),
			want: want{"time_to_assignment": 0, "first_assignment_at": mon + "10:00"},
		},
		{
			name: "the API reference's reading: the last assignment before the first admin reply",
			conv: conv(customer, mon+"10:00",
				part("default_assignment", operator, mon+"10:00", false),
				assign(operator, mon+"10:10:11"),
				comment(sam, mon+"10:20")),
			variants: Variants{}.With(FamilyAssignment, AssignLastBeforeReply),
			want:     want{"time_to_assignment": 611},
		},
		{
			name: "real data: a Fin answer between the customer and the teammate keeps the pair (median 843)",
			conv: conv(customer, mon+"10:00",
				comment(sam, mon+"10:00:38"), // 38
				comment(customer, mon+"10:05"),
				comment(sam, mon+"10:06:17"), // 77
				comment(customer, mon+"10:10"),
				comment(fin, mon+"10:10:05"),
				comment(sam, mon+"10:24:03"), // 843
				comment(customer, mon+"10:30"),
				comment(sam, mon+"11:02:32"), // 1952
				comment(customer, mon+"11:10"),
				comment(sam, mon+"12:03:14")), // 3194
			want: want{"reply_times": "[38 77 843 1952 3194]", "median_time_to_reply": 843},
		},
		{
			name: "bots_break: the Fin answer breaks the 843 pair",
			conv: conv(customer, mon+"10:00",
				comment(sam, mon+"10:00:38"),
				comment(customer, mon+"10:05"),
				comment(sam, mon+"10:06:17"),
				comment(customer, mon+"10:10"),
				comment(fin, mon+"10:10:05"),
				comment(sam, mon+"10:24:03"),
				comment(customer, mon+"10:30"),
				comment(sam, mon+"11:02:32"),
				comment(customer, mon+"11:10"),
				comment(sam, mon+"12:03:14")),
			variants: Variants{}.With(FamilyReplyPairing, PairBotsBreak),
			want:     want{"reply_times": "[38 77 1952 3194]", "median_time_to_reply": 1014},
		},
		{
			name: "a customer's run: latest message by default, the first of the run under first_of_run",
			conv: conv(customer, mon+"10:00",
				comment(customer, mon+"10:05"),
				comment(sam, mon+"10:20")),
			want: want{"reply_times": "[900]"},
		},
		{
			name: "first_of_run measures from the first of the customer's messages",
			conv: conv(customer, mon+"10:00",
				comment(customer, mon+"10:05"),
				comment(fin, mon+"10:06"),
				comment(sam, mon+"10:20")),
			variants: Variants{}.With(FamilyReplyPairing, PairFirstOfRun),
			want:     want{"reply_times": "[1200]"},
		},
		{
			name: "real data: an even-count median rounds down (292548)",
			conv: conv(customer, "2025-10-01 00:00:00",
				comment(sam, "2025-10-01 00:02:52"), // 172
				comment(customer, "2025-10-02 00:00:00"),
				comment(sam, "2025-10-08 18:28:45")), // 584925
			want: want{"reply_times_all_hours": "[172 584925]", "median_time_to_reply_all_hours": 292548},
		},
		{
			name: "median_rounding=half_up gives 292549",
			conv: conv(customer, "2025-10-01 00:00:00",
				comment(sam, "2025-10-01 00:02:52"),
				comment(customer, "2025-10-02 00:00:00"),
				comment(sam, "2025-10-08 18:28:45")),
			variants: Variants{}.With(FamilyMedianRounding, RoundHalfUp),
			want:     want{"median_time_to_reply_all_hours": 292549},
		},
		{
			name:     "count_conversation_parts=parts_only leaves the opening message out",
			conv:     conv(customer, mon+"10:00", comment(sam, mon+"10:10"), closed(sam, mon+"10:20")),
			variants: Variants{}.With(FamilyParts, PartsOnly),
			want:     want{"count_conversation_parts": 2},
		},
		{
			name: "an attribute the customer gives to a bot starts the thread",
			conv: conv(operator, mon+"10:00",
				comment(operator, mon+"10:00:01"),
				part("conversation_attribute_updated_by_user", customer, mon+"10:01", false),
				comment(sam, mon+"10:11")),
			// The attribute part is not visible, so the previous visible part
			// of Sam's answer is the bot's: no reply time.
			want: want{"first_contact_reply_at": mon + "10:01", "time_to_admin_reply": 600, "reply_times": "[]"},
		},
	}
	opts := Options{Schedule: weekdays9to5(t), Bots: intercom.Bots{IDs: map[string]bool{"8003": true}}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := opts
			o.Variants = tc.variants
			tc.want.check(t, Recompute(tc.conv, o))
		})
	}
}

func TestRecompute_BotsAsTeammates(t *testing.T) {
	c := conv(customer, mon+"10:00", comment(fin, mon+"10:00:30"), comment(customer, mon+"10:02"), comment(sam, mon+"10:20"))
	st := Recompute(c, Options{BotsAsTeammates: true})
	want{"first_admin_reply_at": mon + "10:00:30", "time_to_admin_reply": 30, "reply_times": "[30 1080]"}.check(t, st)
	// Intercom's own reading does not count Fin.
	want{"first_admin_reply_at": mon + "10:20", "reply_times": "[1080]"}.check(t, Recompute(c, Options{}))
}

func TestRecompute_TruncatedHistoryIsFlaggedButComputed(t *testing.T) {
	c := conv(customer, mon+"10:00", comment(sam, mon+"10:10"), closed(sam, mon+"10:20"))
	c.PartsTotal = intercom.CountOf(640)
	if !c.Truncated() {
		t.Fatal("2 parts read of 640 is not flagged truncated")
	}
	st := Recompute(c, Options{})
	want{"count_conversation_parts": 3, "time_to_admin_reply": 600}.check(t, st)
}

func TestRecompute_WithoutOfficeHoursBothValuesAgree(t *testing.T) {
	c := conv(customer, "2025-10-31 16:00", comment(sam, "2025-11-03 10:00"))
	st := Recompute(c, Options{})
	if st.TimeToAdminReply != st.TimeToAdminReplyAllHours || st.TimeToAdminReply.N != 67*3600 {
		t.Errorf("office %v, all hours %v", st.TimeToAdminReply, st.TimeToAdminReplyAllHours)
	}
}

func TestMedian(t *testing.T) {
	cases := []struct {
		in              []int64
		down, up, exact string
	}{
		{nil, "", "", ""},
		{[]int64{5}, "5", "5", "5"},
		{[]int64{9, 1, 5}, "5", "5", "5"},
		{[]int64{1, 2}, "1", "2", "1"},              // 1.5
		{[]int64{10, 21, 30, 41}, "25", "26", "25"}, // 25.5
		{[]int64{172, 584925}, "292548", "292549", "292548"},
	}
	for _, tc := range cases {
		input := slices.Clone(tc.in)
		for _, r := range []struct {
			rounding uint8
			want     string
		}{{RoundDown, tc.down}, {RoundHalfUp, tc.up}, {RoundExact, tc.exact}} {
			if got := MedianOf(tc.in, r.rounding).String(); got != r.want {
				t.Errorf("MedianOf(%v, %s) = %q, want %q", tc.in, FamilyMedianRounding.Readings()[r.rounding], got, r.want)
			}
		}
		if got := Median(tc.in).String(); got != tc.down {
			t.Errorf("Median(%v) = %q, want %q (rounded down)", tc.in, got, tc.down)
		}
		if !slices.Equal(input, tc.in) {
			t.Errorf("Median reordered its input")
		}
	}
}

func TestVariantsSet(t *testing.T) {
	cases := []struct {
		spec, wantErr string
		want          Variants
	}{
		{"last_assignment_admin_reply=help", "", Variants{}.With(FamilyLastAssignmentReply, LastAssignmentHelp)},
		{"body_events = event", "", Variants{}.With(FamilyBodyEvents, BodyEventsEvent)},
		{"time_to_assignment_hours=all", "", Variants{}.With(FamilyAssignmentHours, HoursAll)},
		{"time_to_assignment=last_before_reply", "", Variants{}.With(FamilyAssignment, AssignLastBeforeReply)},
		{"reply_pairing=bots_break", "", Variants{}.With(FamilyReplyPairing, PairBotsBreak)},
		{"median_rounding=half_up", "", Variants{}.With(FamilyMedianRounding, RoundHalfUp)},
		{"count_conversation_parts=parts_only", "", Variants{}.With(FamilyParts, PartsOnly)},
		{"body_events", "should be written family=reading", Variants{}},
		{"nope=1", `there is no variant family "nope"`, Variants{}},
		{"body_events=sometimes", `body_events can be reply or event, not "sometimes"`, Variants{}},
	}
	for _, tc := range cases {
		var v Variants
		err := v.Set(tc.spec)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tc.spec, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: error %v, want %q", tc.spec, err, tc.wantErr)
		case v != tc.want:
			t.Errorf("%q: %s, want %s", tc.spec, v, tc.want)
		}
	}
}

func TestOtherVariants(t *testing.T) {
	base := Variants{}.With(FamilyBodyEvents, BodyEventsEvent)
	got := OtherVariants(base)
	want := 0
	for _, f := range Families() {
		want += len(f.Readings()) - 1
	}
	if len(got) != want {
		t.Fatalf("%d readings, want %d (every other reading of every family)", len(got), want)
	}
	for _, v := range got {
		if Changed(base, v) == "" {
			t.Errorf("%s does not change exactly one family of %s", v, base)
		}
	}
}

func TestExplorationEqualsRecompute(t *testing.T) {
	c := conv(customer, mon+"10:00",
		part("default_assignment", operator, mon+"10:00", false),
		comment(fin, mon+"10:00:30"),
		part("close", sam, mon+"10:20", true),
		comment(customer, mon+"10:25"),
		comment(customer, mon+"10:26"),
		assign(sam, mon+"10:27"),
		comment(kim, mon+"10:40"),
		closed(kim, mon+"10:50"))
	opts := Options{Schedule: weekdays9to5(t)}
	e := Explore(c, opts)
	for _, base := range append([]Variants{{}}, OtherVariants(Variants{})...) {
		o := opts
		o.Variants = base
		if got, want := fmt.Sprint(e.Stats(base)), fmt.Sprint(Recompute(c, o)); got != want {
			t.Errorf("%s:\nexplored   %s\nrecomputed %s", base, got, want)
		}
	}
	if !e.Distinguishes(FamilyBodyEvents) {
		t.Error("a reply-and-close by a teammate makes body_events matter")
	}
}

func TestFirstBotReplyAt(t *testing.T) {
	cases := []struct {
		name string
		conv *intercom.Conversation
		want string
	}{
		{"Fin answers", conv(customer, mon+"10:00", comment(fin, mon+"10:00:30"), comment(sam, mon+"10:20")), mon + "10:00:30"},
		{"a bot note is not an answer", conv(customer, mon+"10:00", note(operator, mon+"10:01"), comment(sam, mon+"10:20")), ""},
		{"a bot before the customer wrote does not count", conv(operator, mon+"10:00", comment(operator, mon+"10:00:01"), comment(customer, mon+"10:05"), comment(sam, mon+"10:06")), ""},
		{"no bot", conv(customer, mon+"10:00", comment(sam, mon+"10:20")), ""},
	}
	for _, tc := range cases {
		got := FirstBotReplyAt(tc.conv, Options{})
		want := ""
		if tc.want != "" {
			want = fmt.Sprint(at(tc.want))
		}
		if got.String() != "" && fmt.Sprint(got.Unix) != want || got.String() == "" && want != "" {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
}
