package reconcile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/intercom"
	. "github.com/icrecon/icrecon/internal/convtest"
	"github.com/icrecon/icrecon/metrics"
)

// telling are conversations on which every family's readings disagree
// somewhere: assignments before and after the first reply, a reply-and-
// close and a reply-and-assign with a body, Fin between the customer and the
// teammate, a run of customer messages, an even number of replies with an
// odd sum, spans that cross the night, no reply at all.
func telling(day, next string) []*intercom.Conversation {
	return []*intercom.Conversation{
		Conv(Customer, day+"10:00",
			Part("default_assignment", Operator, day+"10:00", false),
			Comment(Fin, day+"10:00:30"),
			Assign(Operator, day+"10:10:11"),
			Comment(Sam, day+"10:20:05"),
			Comment(Customer, day+"10:25"),
			Comment(Customer, day+"10:26"),
			Comment(Sam, day+"10:40:02"),
			Assign(Sam, day+"10:41"),
			Part("close", Kim, day+"16:50", true)),
		Conv(Customer, day+"16:30",
			Comment(Customer, day+"16:31"),
			Comment(Fin, day+"16:31:10"),
			Comment(Kim, next+"09:15:01"),
			Assign(Operator, next+"09:20"),
			Comment(Customer, next+"09:30"),
			Part("assignment", Lee, next+"09:59:59", true),
			Comment(Lee, next+"10:20"),
			Close(Lee, next+"10:25")),
		Conv(Customer, day+"16:00",
			Assign(Operator, day+"16:01"),
			Close(Operator, day+"18:05")),
	}
}

// observe runs learning over conversations whose API statistics a source
// computed under the readings v and the schedule of testMetrics.
func learnFrom(t *testing.T, v metrics.Variants, pinned ...metrics.Family) (*Reconciler, *Learning) {
	t.Helper()
	r := New(Options{Metrics: testMetrics, Zone: Vancouver})
	for _, f := range pinned {
		r.opts.Pinned[f] = true
	}
	truth := testMetrics
	truth.Variants = v
	n := 0
	days := []string{"2025-10-06 ", "2025-10-07 ", "2025-10-08 ", "2025-10-09 ", "2025-10-10 "}
	for d := 0; d+1 < len(days); d++ {
		for _, c := range telling(days[d], days[d+1]) {
			n++
			c.ID = fmt.Sprint(n)
			c.Reported = metrics.Recompute(c, truth)
			c.Reported.Stated = intercom.APIFields
			c.Reported.ReplyTimes = nil // like the API of 2.16: reply times are not stated
			if err := r.AddObservation(c, r.Observe(c), false); err != nil {
				t.Fatal(err)
			}
		}
	}
	return r, r.Learn()
}

func TestLearnReadings(t *testing.T) {
	for _, f := range metrics.Families() {
		for reading, name := range f.Readings() {
			if f == metrics.FamilyMedianRounding && reading == metrics.RoundExact {
				continue // never learned from whole seconds (docs/metrics.md §8)
			}
			t.Run(f.Name()+"="+name, func(t *testing.T) {
				v := metrics.Variants{}.With(f, uint8(reading))
				r, l := learnFrom(t, v)
				if got := r.variants[API]; got != v {
					t.Errorf("learned %s\nwant    %s", got, v)
				}
				c := choiceOf(l, API, f)
				if c.Reading != name || c.Matched != c.Compared || c.Compared == 0 {
					t.Errorf("choice %+v: want %s reproducing every conversation compared", c, name)
				}
			})
		}
	}
}

func choiceOf(l *Learning, s Side, f metrics.Family) ReadingChoice {
	for _, c := range l.Readings {
		if c.Source == s && c.Family == f {
			return c
		}
	}
	return ReadingChoice{}
}

func TestLearnReadings_SeveralFamiliesAtOnce(t *testing.T) {
	v := metrics.Variants{}.With(metrics.FamilyAssignment, metrics.AssignLastBeforeReply).
		With(metrics.FamilyReplyPairing, metrics.PairBotsBreak).With(metrics.FamilyMedianRounding, metrics.RoundHalfUp).
		With(metrics.FamilyParts, metrics.PartsOnly).With(metrics.FamilyBodyEvents, metrics.BodyEventsEvent)
	_, l := learnFrom(t, v)
	for _, f := range metrics.Families() {
		c := choiceOf(l, API, f)
		switch {
		case c.Telling == 0 && c.Reading != f.Readings()[0]:
			t.Errorf("%s: no conversation tells the readings apart, yet %s was adopted", f.Name(), c.Reading)
		case c.Telling > 0 && c.Reading != v.ReadingOf(f):
			t.Errorf("%s: learned %s (%+v), want %s", f.Name(), c.Reading, c, v.ReadingOf(f))
		}
	}
}

func TestLearnReadings_PinnedIsKept(t *testing.T) {
	truth := metrics.Variants{}.With(metrics.FamilyAssignment, metrics.AssignLastBeforeReply)
	r, l := learnFrom(t, truth, metrics.FamilyAssignment)
	if got := r.variants[API][metrics.FamilyAssignment]; got != metrics.AssignFirst {
		t.Errorf("a pinned family was learned: %s", r.variants[API])
	}
	c := choiceOf(l, API, metrics.FamilyAssignment)
	if c.How != "pinned" || c.RunnerUp != "last_before_reply" || c.RunnerUpMatched != c.Compared {
		t.Errorf("pinned choice %+v: want the reading the data prefers named as runner-up", c)
	}
}

// TestDefinitionNamesTheReading: a difference only another reading explains
// is a definition difference naming the reading.
func TestDefinitionNamesTheReading(t *testing.T) {
	c := telling(Mon, "2025-10-07 ")[0]
	export, pull := sides(c)
	pull.Reported.LastAssignmentAdminReplyAt = metrics.Recompute(c, metrics.Options{Schedule: testMetrics.Schedule, Bots: testMetrics.Bots,
		Variants: metrics.Variants{}.With(metrics.FamilyLastAssignmentReply, metrics.LastAssignmentHelp)}).LastAssignmentAdminReplyAt
	r := New(Options{Metrics: testMetrics, Zone: Vancouver})
	r.AddExport(export, false)
	var got []string
	for _, d := range r.PrepareAPI(pull).diffs {
		got = append(got, fmt.Sprintf("%s/%s %s %s %s", d.Left, d.Right, d.Field, d.Cause, d.Reading))
	}
	want := "api/recomputed last_assignment_admin_reply_at definition last_assignment_admin_reply=help"
	if !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("differences:\n%s\nwant a line %q", strings.Join(got, "\n"), want)
	}
}

func TestNotStated(t *testing.T) {
	r := New(Options{Metrics: testMetrics, Zone: Vancouver})
	for i := 0; i < 25; i++ {
		c := telling(Mon, "2025-10-07 ")[i%3]
		c.ID = fmt.Sprint(i)
		c.Reported = metrics.Recompute(c, testMetrics)
		c.Reported.Stated = intercom.APIFields
		c.Reported.LastAssignmentAdminReplyAt = intercom.Instant{} // this API never states it
		r.AddObservation(c, r.Observe(c), false)
	}
	l := r.Learn()
	if len(l.NotStated) != 1 || l.NotStated[0].Field != "last_assignment_admin_reply_at" || l.NotStated[0].Source != API {
		t.Fatalf("not stated: %+v", l.NotStated)
	}
	c := telling(Mon, "2025-10-07 ")[0]
	c.Reported = metrics.Recompute(c, testMetrics)
	c.Reported.Stated = intercom.APIFields
	c.Reported.LastAssignmentAdminReplyAt = intercom.Instant{}
	for _, d := range r.PrepareAPI(c).diffs {
		if d.Field == "last_assignment_admin_reply_at" {
			t.Errorf("a field the API states nowhere was compared: %+v", d)
		}
	}
}

func TestIsLegacyShape(t *testing.T) {
	withStats := func(c *intercom.Conversation, assignments int) *intercom.Conversation {
		c.Reported.CountAssignments = intercom.CountOf(assignments)
		return c
	}
	cases := []struct {
		name string
		conv *intercom.Conversation
		want bool
	}{
		{"assignments counted, none among the parts: folded into comments (API 2.5)",
			withStats(Conv(Customer, Mon+"10:00", Comment(Operator, Mon+"10:01"), Comment(Sam, Mon+"10:10")), 1), true},
		{"assignments counted and present", withStats(Conv(Customer, Mon+"10:00", Assign(Operator, Mon+"10:01"), Comment(Sam, Mon+"10:10")), 1), false},
		{"no assignment counted", withStats(Conv(Customer, Mon+"10:00", Comment(Sam, Mon+"10:10")), 0), false},
	}
	for _, tc := range cases {
		if got := isLegacyShape(tc.conv); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
