package reconcile

// CauseRules says in one sentence how each cause is decided, in the order
// the detectors are tried (docs/reconcile.md §2), for reports.
var CauseRules = [numCauses]string{
	PartsTruncated: "one side is the recomputation and the part history is incomplete (Intercom returns at most the 500 most recent parts)",
	Stale:          "the export and the pull were taken at different times, and the newer side's value (or the moment its duration ends, or the event that cleared it) falls after the older snapshot",
	Timezone:       "a timestamp differs by one of the workspace zone's UTC offsets, or by the daylight-saving hour between them",
	OfficeHours:    "one side has the duration with office hours subtracted and the other over all hours, as the recomputation gives them",
	Anchor:         "a duration differs by exactly the time from the conversation's creation to the customer's first message",
	BotAuthor:      "one side counts a bot's answer as the first teammate reply, or a bot's close as the last human close",
	Reopened:       "one side has the first close where the other has the last, on a conversation closed more than once",
	Definition:     "one side has what another documented reading of the definition gives (docs/metrics.md §6)",
	Rounding:       "the values are within a second (durations; also an export duration typed with a fraction of a second that agrees once rounded), or a minute for timestamps a spreadsheet stripped of seconds",
	Unexplained:    "none of the above holds",
}

// MetricDefinition describes a dashboard metric as the registry defines it.
type MetricDefinition struct {
	Metric, Scope, Basis, Value, Aggregation string
}

// MetricDefinitions lists the registry in words, in intercom.Metrics order.
func MetricDefinitions(metricIDs []string) []MetricDefinition {
	var out []MetricDefinition
	for _, id := range metricIDs {
		d, ok := registry[id]
		if !ok {
			continue
		}
		m := MetricDefinition{Metric: id, Scope: scopeNames[d.scope], Basis: basisNames[d.basis], Value: "—", Aggregation: "count"}
		if d.value >= 0 {
			m.Value, m.Aggregation = durationNames[d.value], "median (of an even count: the mean of the two middle values, rounded down unless the data shows another median_rounding)"
		}
		out = append(out, m)
	}
	return out
}
