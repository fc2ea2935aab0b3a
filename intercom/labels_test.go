package intercom

import (
	"os"
	"strings"
	"testing"
)

func TestMetricByLabel(t *testing.T) {
	tests := []struct {
		label string
		id    string
		hours Hours
	}{
		{"new_conversations", "new_conversations", HoursUnknown},
		{"New conversations", "new_conversations", HoursUnknown},
		{"  new-conversations ", "new_conversations", HoursUnknown},
		{"MEDIAN FIRST RESPONSE TIME", "median_first_response_time", HoursUnknown},
		{"Median first response time (within office hours)", "median_first_response_time", HoursOffice},
		{"Time to close – all hours (24/7)", "median_time_to_close", HoursAll},
		{"Median time to first close, office hours", "median_time_to_first_close", HoursOffice},
		{"Median response time", "", HoursUnknown},
		{"Response time", "", HoursUnknown},
		{"csat", "", HoursUnknown},
		{"", "", HoursUnknown},
	}
	for _, tc := range tests {
		id, hours, ok := MetricByLabel(tc.label)
		if id != tc.id || hours != tc.hours || ok != (tc.id != "") {
			t.Errorf("MetricByLabel(%q) = %q, %q, %v; want %q, %q", tc.label, id, hours, ok, tc.id, tc.hours)
		}
	}
}

// Every metric has labels, no label names two metrics, and the README's
// table lists exactly the labels accepted.
func TestMetricLabels_MatchTheREADME(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(MetricLabels) != len(Metrics) {
		t.Fatalf("%d metrics have labels, of %d", len(MetricLabels), len(Metrics))
	}
	owner := map[string]string{}
	for i, ml := range MetricLabels {
		if ml.ID != Metrics[i].ID {
			t.Errorf("labels %d are for %s, want %s", i, ml.ID, Metrics[i].ID)
		}
		for _, l := range append([]string{ml.ID}, ml.Labels...) {
			if other, seen := owner[labelKey(l)]; seen && other != ml.ID {
				t.Errorf("%q names %s and %s", l, other, ml.ID)
			}
			owner[labelKey(l)] = ml.ID
		}
		row := "| `" + ml.ID + "` | " + strings.Join(ml.Labels, "; ") + " |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
}
