package intercom

import (
	"strings"
	"unicode"
)

// MetricLabels are the names an analyst may type for each dashboard metric:
// the metric id, the label Intercom's Reports show for it, and common
// spellings. They are matched without regard to case, spaces, underscores,
// hyphens or a leading "median" where the metric is a median (MetricByLabel).
// "Response time" alone is not among them: in Intercom's Reports it is a
// metric of every reply, not the first.
var MetricLabels = []struct {
	ID     string
	Labels []string
}{
	{"new_inbound_conversations", []string{"New inbound conversations", "Inbound conversations", "New inbound"}},
	{"new_conversations", []string{"New conversations", "Conversations created"}},
	{"conversations_first_replied_to", []string{"Conversations first replied to", "Conversations replied to", "Replied conversations", "Conversations with a first reply"}},
	{"closed_conversations", []string{"Closed conversations", "Conversations closed"}},
	{"reopened_conversations", []string{"Reopened conversations", "Conversations reopened"}},
	{"median_first_response_time", []string{"Median first response time", "First response time", "Median time to first response", "Median first reply time", "First reply time", "FRT", "Median FRT"}},
	{"median_time_to_close", []string{"Median time to close", "Time to close", "TTC", "Median TTC"}},
	{"median_time_to_first_close", []string{"Median time to first close", "Time to first close"}},
}

// labelKey is a label as matched: lower case, letters and digits only, words
// joined by one space.
func labelKey(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(words, " ")
}

// hoursSuffixes are what a label copied from the Reports may end with to say
// its hours mode: "Median first response time (within office hours)".
var hoursSuffixes = []struct {
	words string
	hours Hours
}{
	{"within office hours", HoursOffice}, {"in office hours", HoursOffice}, {"office hours", HoursOffice},
	{"all hours 24 7", HoursAll}, {"all hours", HoursAll}, {"24 7", HoursAll},
}

var metricByKey = func() map[string]string {
	m := map[string]string{}
	for _, ml := range MetricLabels {
		m[labelKey(ml.ID)] = ml.ID
		for _, l := range ml.Labels {
			m[labelKey(l)] = ml.ID
		}
	}
	return m
}()

// MetricByLabel returns the metric id an analyst's label names, and the
// hours mode the label states, if any ("… (within office hours)"). ok is
// false when the label names no metric icrecon knows.
func MetricByLabel(label string) (id string, hours Hours, ok bool) {
	key := labelKey(label)
	for _, s := range hoursSuffixes {
		if rest, cut := strings.CutSuffix(key, " "+s.words); cut {
			key, hours = rest, s.hours
			break
		}
	}
	id, ok = metricByKey[key]
	if !ok {
		return "", HoursUnknown, false
	}
	return id, hours, true
}
