package metrics

import (
	"fmt"
	"slices"
	"strings"

	"github.com/icrecon/icrecon/internal/oneline"
)

// Family is a field, or a group of fields, whose definition has more than
// one plausible reading (docs/metrics.md §6).
type Family uint8

// The variant families, in the order reports list them.
const (
	FamilyParts Family = iota
	FamilyAssignment
	FamilyReplyPairing
	FamilyMedianRounding
	FamilyLastAssignmentReply
	FamilyBodyEvents
	FamilyAssignmentHours
	FamilyAdminReplyHours
	FamilyFirstCloseHours
	FamilyLastCloseHours
	FamilyMedianHours
	NumFamilies
)

// Readings of each family, by index; 0 is the default, what real Intercom
// data showed where it was checked.
const (
	PartsWithOpening = 0 // count_conversation_parts: parts + 1
	PartsOnly        = 1

	AssignFirst           = 0 // time_to_assignment ends at the first assignment
	AssignFirstReplied    = 1 // … unset without an admin reply
	AssignLastBeforeReply = 2 // the last assignment before the first admin reply

	PairLatest     = 0 // reply paired with the customer's latest message, bots skipped
	PairFirstOfRun = 1 // … measured from the first of the customer's run
	PairBotsBreak  = 2 // a bot answer between breaks the pair

	RoundDown   = 0
	RoundHalfUp = 1
	RoundExact  = 2

	LastAssignmentAPI  = 0
	LastAssignmentHelp = 1

	BodyEventsReply = 0
	BodyEventsEvent = 1

	HoursOffice = 0
	HoursAll    = 1
)

type familyInfo struct {
	name     string
	readings []string
	// fields are the statistics fields the family decides; the first is
	// the one learning compares.
	fields []string
}

var families = [NumFamilies]familyInfo{
	FamilyParts:               {"count_conversation_parts", []string{"with_opening", "parts_only"}, []string{"count_conversation_parts"}},
	FamilyAssignment:          {"time_to_assignment", []string{"first", "first_replied", "last_before_reply"}, []string{"time_to_assignment", "time_to_assignment_all_hours"}},
	FamilyReplyPairing:        {"reply_pairing", []string{"latest", "first_of_run", "bots_break"}, []string{"reply_times", "median_time_to_reply", "median_time_to_reply_all_hours"}},
	FamilyMedianRounding:      {"median_rounding", []string{"down", "half_up", "exact"}, []string{"median_time_to_reply", "median_time_to_reply_all_hours"}},
	FamilyLastAssignmentReply: {"last_assignment_admin_reply", []string{"api", "help"}, []string{"last_assignment_admin_reply_at"}},
	FamilyBodyEvents:          {"body_events", []string{"reply", "event"}, []string{"first_admin_reply_at", "last_admin_reply_at", "time_to_admin_reply", "time_to_admin_reply_all_hours", "last_assignment_admin_reply_at"}},
	FamilyAssignmentHours:     {"time_to_assignment_hours", []string{"office", "all"}, []string{"time_to_assignment"}},
	FamilyAdminReplyHours:     {"time_to_admin_reply_hours", []string{"office", "all"}, []string{"time_to_admin_reply"}},
	FamilyFirstCloseHours:     {"time_to_first_close_hours", []string{"office", "all"}, []string{"time_to_first_close"}},
	FamilyLastCloseHours:      {"time_to_last_close_hours", []string{"office", "all"}, []string{"time_to_last_close"}},
	FamilyMedianHours:         {"median_time_to_reply_hours", []string{"office", "all"}, []string{"median_time_to_reply"}},
}

// Families lists every family in report order.
func Families() []Family {
	out := make([]Family, NumFamilies)
	for i := range out {
		out[i] = Family(i)
	}
	return out
}

// Name is the family's name, as --variant takes it.
func (f Family) Name() string { return families[f].name }

// Readings are the family's readings, the default first.
func (f Family) Readings() []string { return families[f].readings }

// Fields are the statistics fields the family decides.
func (f Family) Fields() []string { return families[f].fields }

// Decides reports whether the family decides the named field.
func (f Family) Decides(field string) bool { return slices.Contains(families[f].fields, field) }

// FamilyByName finds a family.
func FamilyByName(name string) (Family, bool) {
	for f := range NumFamilies {
		if families[f].name == name {
			return f, true
		}
	}
	return 0, false
}

// Variants holds one reading per family, by index into Readings(); the
// zero value is every default.
type Variants [NumFamilies]uint8

// Of is the reading of a family.
func (v Variants) Of(f Family) uint8 { return v[f] }

// ReadingOf is the reading's name.
func (v Variants) ReadingOf(f Family) string { return families[f].readings[v[f]] }

// With returns v with family f at reading r.
func (v Variants) With(f Family, r uint8) Variants {
	v[f] = r
	return v
}

// Set applies one "family=reading" choice, as given to --variant.
func (v *Variants) Set(spec string) error {
	name, value, ok := strings.Cut(spec, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	f, known := FamilyByName(name)
	switch {
	case !ok:
		return fmt.Errorf("variant %s should be written family=reading, e.g. time_to_assignment=last_before_reply", oneline.Quote(spec))
	case !known:
		return fmt.Errorf("there is no variant family %s; the families are %s", oneline.Quote(name), strings.Join(FamilyNames(), ", "))
	}
	r := slices.Index(f.Readings(), value)
	if r < 0 {
		return fmt.Errorf("variant %s can be %s, not %s", name, strings.Join(f.Readings(), " or "), oneline.Quote(value))
	}
	v[f] = uint8(r)
	return nil
}

// String lists every family with its reading.
func (v Variants) String() string {
	parts := make([]string, NumFamilies)
	for f := range NumFamilies {
		parts[f] = f.Name() + "=" + v.ReadingOf(f)
	}
	return strings.Join(parts, " ")
}

// FamilyNames lists the families in report order.
func FamilyNames() []string {
	names := make([]string, NumFamilies)
	for f := range NumFamilies {
		names[f] = f.Name()
	}
	return names
}

// OtherVariants returns, for every family, v with that family switched to
// each of its other readings (the rest as in v): the definitions a
// difference might come from.
func OtherVariants(v Variants) []Variants {
	var out []Variants
	for f := range NumFamilies {
		for r := range f.Readings() {
			if uint8(r) != v[f] {
				out = append(out, v.With(f, uint8(r)))
			}
		}
	}
	return out
}

// Changed names the one family whose reading differs between v and w, as
// "family=reading" of w; "" when none or several differ.
func Changed(v, w Variants) string {
	found := ""
	for f := range NumFamilies {
		if v[f] != w[f] {
			if found != "" {
				return ""
			}
			found = f.Name() + "=" + w.ReadingOf(f)
		}
	}
	return found
}
