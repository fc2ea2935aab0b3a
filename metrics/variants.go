package metrics

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Variants pick a reading where Intercom's sources disagree or are silent.
// The zero value means the defaults (the API reference's reading).
type Variants struct {
	LastAssignmentAdminReply string // api | help
	BodyEvents               string // reply | event
	TimeToAssignmentHours    string // office | all
}

// Variant values.
const (
	LastAssignmentAPI  = "api"
	LastAssignmentHelp = "help"
	BodyEventsReply    = "reply"
	BodyEventsEvent    = "event"
	HoursOffice        = "office"
	HoursAll           = "all"
)

// variantChoices lists each variant's values, default first.
var variantChoices = map[string][]string{
	"last_assignment_admin_reply": {LastAssignmentAPI, LastAssignmentHelp},
	"body_events":                 {BodyEventsReply, BodyEventsEvent},
	"time_to_assignment_hours":    {HoursOffice, HoursAll},
}

func (v Variants) withDefaults() Variants {
	if v.LastAssignmentAdminReply == "" {
		v.LastAssignmentAdminReply = LastAssignmentAPI
	}
	if v.BodyEvents == "" {
		v.BodyEvents = BodyEventsReply
	}
	if v.TimeToAssignmentHours == "" {
		v.TimeToAssignmentHours = HoursOffice
	}
	return v
}

// Set applies one "name=value" choice, as given to --variant.
func (v *Variants) Set(spec string) error {
	name, value, ok := strings.Cut(spec, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	choices, known := variantChoices[name]
	switch {
	case !ok:
		return fmt.Errorf("variant %q should be written name=value, e.g. last_assignment_admin_reply=help", spec)
	case !known:
		return fmt.Errorf("there is no variant %q; the variants are %s", name, strings.Join(VariantNames(), ", "))
	case !slices.Contains(choices, value):
		return fmt.Errorf("variant %s can be %s, not %q", name, strings.Join(choices, " or "), value)
	}
	switch name {
	case "last_assignment_admin_reply":
		v.LastAssignmentAdminReply = value
	case "body_events":
		v.BodyEvents = value
	case "time_to_assignment_hours":
		v.TimeToAssignmentHours = value
	}
	return nil
}

// String lists every variant with its value, defaults filled in.
func (v Variants) String() string {
	d := v.withDefaults()
	return fmt.Sprintf("last_assignment_admin_reply=%s body_events=%s time_to_assignment_hours=%s",
		d.LastAssignmentAdminReply, d.BodyEvents, d.TimeToAssignmentHours)
}

// VariantNames lists the variants in a stable order.
func VariantNames() []string {
	names := make([]string, 0, len(variantChoices))
	for n := range variantChoices {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// OtherVariants returns, for every variant, v with that variant switched to
// each of its other readings (the rest as in v): the definitions a
// difference might come from.
func OtherVariants(v Variants) []Variants {
	base := v.withDefaults()
	var out []Variants
	for _, name := range VariantNames() {
		for _, value := range variantChoices[name] {
			alt := base
			if err := alt.Set(name + "=" + value); err != nil || alt == base {
				continue
			}
			out = append(out, alt)
		}
	}
	return out
}
