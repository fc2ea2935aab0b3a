package parse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// readDashboardText reads a figures file written to a temporary folder; a
// panic is turned into a test error so one bad case does not hide the rest.
func readDashboardText(t *testing.T, text string, strict bool) (info *DashboardInfo, err error) {
	t.Helper()
	o := openTemp(t, "dashboard.csv", []byte(text))
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("ReadDashboard panicked on %q: %v", text, p)
			info, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return ReadDashboard(o, strict)
}

// withoutPath drops the temporary folder from a reject's sentence.
func withoutPath(msg string) string {
	if i := strings.Index(msg, "dashboard.csv"); i >= 0 {
		return msg[i:]
	}
	return msg
}

func TestReadDashboard(t *testing.T) {
	const period = "new_conversations,2025-10-01,2025-10-31,"
	tests := []struct {
		name    string
		text    string
		figures []string // "metric from..to value zone hours"
		rejects []string // sentences, from the file name on
		tally   Tally
	}{
		{
			name:    "header row",
			text:    "metric,from,to,value\n" + period + "1204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "no header row",
			text:    period + "1204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "header in another order with zone alias",
			text:    "metric,value,Zone,hours,to,from\nnew_conversations,1204,Europe/Berlin,all,2025-10-31,2025-10-01\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone=Europe/Berlin hours=all"},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			// dashboardHeader maps columns in any order, so a header whose
			// first column is not "metric" must be recognised as a header too.
			name:    "header not starting with metric",
			text:    "from,to,metric,value\n2025-10-01,2025-10-31,new_conversations,1204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			// The dashboard shows counts with a thousands separator.
			name:    "1,204 quoted",
			text:    period + "\"1,204\"\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "1,204 unquoted with a four-column header",
			text:    "metric,from,to,value\n" + period + "1,204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			// As typed by hand: no header, no zone, no hours. The 204 is not a
			// zone name; it is the rest of the number.
			name:    "1,204 unquoted without a header",
			text:    period + "1,204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "1,204 unquoted without a header, with a zone",
			text:    period + "1,204,America/Vancouver\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone=America/Vancouver hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "1,204 unquoted with zone and hours",
			text:    period + "1,204,America/Vancouver,all\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone=America/Vancouver hours=all"},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "1,234,567 unquoted with a header",
			text:    "metric,from,to,value\n" + period + "1,234,567\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1.234567e+06 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "European thousands 1.204",
			text:    period + "1.204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			// Issue 13: 1,2,3 was read as 123.
			name: "separators in the wrong places",
			text: period + "\"1,2,3\"\n" + period + "\"12,34,567\"\n" + period + "\"1234,567\"\n" + period + "\"1,234.567\"\n",
			rejects: []string{
				`dashboard.csv:1: column "value": "1,2,3" has thousands separators in the wrong places; write it as 1,204 or 1204`,
				`dashboard.csv:2: column "value": "12,34,567" has thousands separators in the wrong places; write it as 1,204 or 1204`,
				`dashboard.csv:3: column "value": "1234,567" is not a count of conversations like 1,204`,
				`dashboard.csv:4: column "value": "1,234.567" has thousands separators in the wrong places; write it as 1,204 or 1204`,
			},
			tally: Tally{Read: 4, Rejected: 4},
		},
		{
			name:    "1234,567 unquoted is not a count",
			text:    "metric,from,to,value\n" + period + "1234,567\n",
			rejects: []string{`dashboard.csv:2: column "value": "1234,567" is not a count of conversations like 1,204`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name: "separators in their places, in several conventions",
			text: "metric,from,to,value,timezone\n" +
				"new_conversations,2025-10-01,2025-10-31,\"1,234,567\",UTC\n" +
				"new_conversations,2025-10-01,2025-10-31,1.234.567,Europe/Berlin\n" +
				"new_conversations,2025-10-01,2025-10-31,1 234 567,Europe/Paris\n" +
				"new_conversations,2025-10-01,2025-10-31,1'234'567,Europe/Zurich\n" +
				"new_conversations,2025-10-01,2025-10-31,1\u00a0234,Europe/Oslo\n",
			figures: []string{
				"new_conversations 2025-10-01..2025-10-31 1.234567e+06 zone=UTC hours=",
				"new_conversations 2025-10-01..2025-10-31 1.234567e+06 zone=Europe/Berlin hours=",
				"new_conversations 2025-10-01..2025-10-31 1.234567e+06 zone=Europe/Paris hours=",
				"new_conversations 2025-10-01..2025-10-31 1.234567e+06 zone=Europe/Zurich hours=",
				"new_conversations 2025-10-01..2025-10-31 1234 zone=Europe/Oslo hours=",
			},
			tally: Tally{Read: 5, Accepted: 5},
		},
		{
			name:    "a sign is not part of a count",
			text:    period + "+12\n",
			rejects: []string{`dashboard.csv:1: column "value": "+12" is not a count of conversations like 1,204`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name:    "| and tab between cells",
			text:    "metric|from|to|value\n" + strings.ReplaceAll(period, ",", "|") + "1,204\n" + strings.ReplaceAll(period, ",", "\t") + "12\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			rejects: []string{`dashboard.csv:3: column "metric": "new_conversations\t2025-10-01\t2025-10-31\t12" is not a metric icrecon knows; write one of ` + metricList() + `, or Intercom's label for it, like "Median first response time" (README: Dashboard figures)`},
			tally:   Tally{Read: 2, Accepted: 1, Rejected: 1},
		},
		{
			name:    "count with decimals",
			text:    period + "12.5\n",
			rejects: []string{`dashboard.csv:1: column "value": "12.5" is not a count of conversations like 1,204`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name:    "negative count",
			text:    period + "-3\n",
			rejects: []string{`dashboard.csv:1: column "value": "-3" is not a count of conversations like 1,204`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			// Read as a number, these overflowed on the way to the report
			// and crashed the run.
			name: "durations too large to be durations",
			text: "metric,from,to,value\n" +
				"median_time_to_close,2025-10-01,2025-10-31,1e308\n" +
				"median_time_to_close,2025-10-01,2025-10-31,9223372036854775807\n" +
				"median_time_to_close,2025-10-01,2025-10-31,99999999999999h\n" +
				"median_time_to_close,2025-10-01,2025-10-31,1000000000000\n",
			figures: []string{"median_time_to_close 2025-10-01..2025-10-31 1e+12 zone= hours="},
			rejects: []string{
				`dashboard.csv:2: column "value": "1e308" is too large to be a duration in seconds (more than 30,000 years)`,
				`dashboard.csv:3: column "value": "9223372036854775807" is too large to be a duration in seconds (more than 30,000 years)`,
				`dashboard.csv:4: column "value": "99999999999999h" is too large to be a duration in seconds (more than 30,000 years)`,
			},
			tally: Tally{Read: 4, Accepted: 1, Rejected: 3},
		},
		{
			name:    "empty value",
			text:    period + "\n",
			rejects: []string{`dashboard.csv:1: column "value" is empty`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name: "durations as typed",
			text: "metric,from,to,value,timezone,hours\n" +
				"median_first_response_time,2025-10-01,2025-10-31,14m,,all\n" +
				"median_first_response_time,2025-10-01,2025-10-31,1h 2m 3s,,office\n" +
				"median_time_to_close,2025-10-01,2025-10-31,2d 4h,,all\n" +
				"median_time_to_close,2025-10-01,2025-10-31,1.5h,,office\n" +
				"median_time_to_first_close,2025-10-01,2025-10-31,00:14:00,,all\n" +
				"median_time_to_first_close,2025-10-01,2025-10-31,840,,office\n" +
				"median_time_to_first_close,2025-10-01,2025-10-31,14 minutes,,\n" +
				"median_first_response_time,2025-10-01,2025-10-31,45 secs,,\n",
			figures: []string{
				"median_first_response_time 2025-10-01..2025-10-31 840 zone= hours=all",
				"median_first_response_time 2025-10-01..2025-10-31 3723 zone= hours=office",
				"median_time_to_close 2025-10-01..2025-10-31 187200 zone= hours=all",
				"median_time_to_close 2025-10-01..2025-10-31 5400 zone= hours=office",
				"median_time_to_first_close 2025-10-01..2025-10-31 840 zone= hours=all",
				"median_time_to_first_close 2025-10-01..2025-10-31 840 zone= hours=office",
				"median_time_to_first_close 2025-10-01..2025-10-31 840 zone= hours=",
				"median_first_response_time 2025-10-01..2025-10-31 45 zone= hours=",
			},
			tally: Tally{Read: 8, Accepted: 8},
		},
		{
			// 14:00 could be 14 hours or 14 minutes: refused, not guessed.
			name:    "14:00 is ambiguous",
			text:    "median_first_response_time,2025-10-01,2025-10-31,14:00\n",
			rejects: []string{`dashboard.csv:1: column "value": "14:00" could be hours:minutes or minutes:seconds; write 00:14:00 or 14m`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name: "bad durations",
			text: "median_first_response_time,2025-10-01,2025-10-31,00:75:00\n" +
				"median_first_response_time,2025-10-02,2025-10-31,-5\n" +
				"median_first_response_time,2025-10-03,2025-10-31,14 fortnights\n" +
				"median_first_response_time,2025-10-04,2025-10-31,soon\n",
			rejects: []string{
				`dashboard.csv:1: column "value": "00:75:00" is not a duration: minutes and seconds go up to 59`,
				`dashboard.csv:2: column "value": "-5" is not a duration like 14m, 1h 2m 3s, 00:14:00 or 840 (seconds)`,
				`dashboard.csv:3: column "value": "14 fortnights" is not a duration like 14m, 1h 2m 3s, 00:14:00 or 840 (seconds)`,
				`dashboard.csv:4: column "value": "soon" is not a duration like 14m, 1h 2m 3s, 00:14:00 or 840 (seconds)`,
			},
			tally: Tally{Read: 4, Rejected: 4},
		},
		{
			name: "dates as typed",
			text: "new_conversations,1 Oct 2025,31 Oct 2025,1\n" +
				"closed_conversations,\"Oct 1, 2025\",\"Oct 31, 2025\",2\n" +
				"reopened_conversations,October 1 2025,2025-10-01,3\n",
			figures: []string{
				"new_conversations 2025-10-01..2025-10-31 1 zone= hours=",
				"closed_conversations 2025-10-01..2025-10-31 2 zone= hours=",
				"reopened_conversations 2025-10-01..2025-10-01 3 zone= hours=",
			},
			tally: Tally{Read: 3, Accepted: 3},
		},
		{
			// 8/2/2025 is 2 August in the US and 8 February elsewhere.
			name: "bad dates",
			text: "new_conversations,8/2/2025,2025-10-31,1\n" +
				"new_conversations,2025-13-01,2025-10-31,1\n" +
				"new_conversations,,2025-10-31,1\n" +
				"new_conversations,2025-10-01,tomorrow,1\n",
			rejects: []string{
				`dashboard.csv:1: column "from": "8/2/2025" is ambiguous (the day and month swap between countries); write it as 2025-10-01`,
				`dashboard.csv:2: column "from": "2025-13-01" is not a date; write it as 2025-10-01`,
				`dashboard.csv:3: column "from" is empty; give the date as 2025-10-01`,
				`dashboard.csv:4: column "to": "tomorrow" is not a date; write it as 2025-10-01`,
			},
			tally: Tally{Read: 4, Rejected: 4},
		},
		{
			name:    "to before from",
			text:    "new_conversations,2025-10-31,2025-10-01,1\n",
			rejects: []string{`dashboard.csv:1: column "to": "2025-10-01" is before the period's start 2025-10-31`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name: "hours modes",
			text: "median_time_to_close,2025-10-01,2025-10-31,1h,,all\n" +
				"median_time_to_close,2025-10-01,2025-10-31,1h,,Office Hours\n" +
				"median_time_to_close,2025-10-01,2025-10-31,1h,,\n" +
				"median_time_to_close,2025-10-01,2025-10-31,1h,,24/7\n" +
				"median_time_to_close,2025-10-02,2025-10-31,1h,,bogus\n",
			figures: []string{
				"median_time_to_close 2025-10-01..2025-10-31 3600 zone= hours=all",
				"median_time_to_close 2025-10-01..2025-10-31 3600 zone= hours=office",
				"median_time_to_close 2025-10-01..2025-10-31 3600 zone= hours=",
			},
			rejects: []string{`dashboard.csv:5: column "hours": "bogus" is not an hours mode; write all, office, or leave it empty when you do not know`},
			// 24/7 is "all": the same figure again.
			tally: Tally{Read: 5, Accepted: 3, Duplicates: 1, Rejected: 1},
		},
		{
			name:    "unknown metric",
			text:    "csat_score,2025-10-01,2025-10-31,1\n",
			rejects: []string{`dashboard.csv:1: column "metric": "csat_score" is not a metric icrecon knows; write one of ` + metricList() + `, or Intercom's label for it, like "Median first response time" (README: Dashboard figures)`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name: "bad zone",
			text: "new_conversations,2025-10-01,2025-10-31,1,Mars/Olympus\n" +
				"new_conversations,2025-10-01,2025-10-31,1,Local\n",
			rejects: []string{
				`dashboard.csv:1: column "timezone": "Mars/Olympus" is not a time zone name like America/Vancouver`,
				`dashboard.csv:2: column "timezone": "Local" is not a time zone name like America/Vancouver`,
			},
			tally: Tally{Read: 2, Rejected: 2},
		},
		{
			// The analyst pasted the same figure twice: counted once.
			name:    "duplicate figure",
			text:    period + "1204\n" + period + "\"1,204\"\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 2, Accepted: 1, Duplicates: 1},
		},
		{
			name:    "comments and blank lines",
			text:    "# copied from Reports > Conversations, October\n\nmetric,from,to,value\n# new ones\n" + period + "1204\n\n,,,\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "semicolon file",
			text:    "metric;from;to;value;timezone\nnew_conversations;2025-10-01;2025-10-31;1,204;Europe/Paris\nmedian_time_to_close;2025-10-01;2025-10-31;1h 2m;Europe/Paris\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone=Europe/Paris hours=", "median_time_to_close 2025-10-01..2025-10-31 3720 zone=Europe/Paris hours="},
			tally:   Tally{Read: 2, Accepted: 2},
		},
		{
			name:    "BOM and CRLF",
			text:    "\ufeffmetric,from,to,value\r\n" + period + "1204\r\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			tally:   Tally{Read: 1, Accepted: 1},
		},
		{
			name:    "too many cells",
			text:    period + "1204,UTC,all,extra\n",
			rejects: []string{`dashboard.csv:1: has 7 cells but the file's columns are 6 (metric,from,to,value,timezone,hours); quote a value that contains a comma`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			// The case: the header names four columns, the row has
			// six cells; the message said "at most 4" and listed six names.
			name:    "more cells than the header's columns",
			text:    "metric,from,to,value\nmedian_first_response_time,2025-10-01,2025-10-31,14m,UTC,office\n",
			rejects: []string{`dashboard.csv:2: has 6 cells but the file's columns are 4 (metric,from,to,value); quote a value that contains a comma`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name: "Intercom's labels and common spellings",
			text: "New conversations,2025-10-01,2025-10-31,184\n" +
				"Median first response time,2025-10-01,2025-10-31,14m\n" +
				"closed-conversations,2025-10-01,2025-10-31,155\n" +
				"  NEW INBOUND CONVERSATIONS ,2025-10-01,2025-10-31,129\n" +
				"Median Time To Close (within office hours),2025-10-01,2025-10-31,2h\n" +
				"Time to first close (all hours 24/7),2025-10-01,2025-10-31,1h\n" +
				"FRT,2025-10-01,2025-10-31,10m,,office\n",
			figures: []string{
				"new_conversations 2025-10-01..2025-10-31 184 zone= hours=",
				"median_first_response_time 2025-10-01..2025-10-31 840 zone= hours=",
				"closed_conversations 2025-10-01..2025-10-31 155 zone= hours=",
				"new_inbound_conversations 2025-10-01..2025-10-31 129 zone= hours=",
				"median_time_to_close 2025-10-01..2025-10-31 7200 zone= hours=office",
				"median_time_to_first_close 2025-10-01..2025-10-31 3600 zone= hours=all",
				"median_first_response_time 2025-10-01..2025-10-31 600 zone= hours=office",
			},
			tally: Tally{Read: 7, Accepted: 7},
		},
		{
			name:    "a label's hours against the hours column",
			text:    "Median first response time (within office hours),2025-10-01,2025-10-31,14m,UTC,all\n",
			rejects: []string{`dashboard.csv:1: column "hours": "all" says all hours, but the metric "Median first response time (within office hours)" says office hours`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			// "Response time" is Intercom's metric of every reply.
			name:    "response time is not first response time",
			text:    "Median response time,2025-10-01,2025-10-31,14m\n",
			rejects: []string{`dashboard.csv:1: column "metric": "Median response time" is not a metric icrecon knows; write one of ` + metricList() + `, or Intercom's label for it, like "Median first response time" (README: Dashboard figures)`},
			tally:   Tally{Read: 1, Rejected: 1},
		},
		{
			name:    "stray quote in a later cell",
			text:    period + "12\"04\n" + period + "1204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			rejects: []string{`dashboard.csv:1: a quote mark is out of place near line 1, column 43, so the row's cells cannot be told apart`},
			tally:   Tally{Read: 2, Accepted: 1, Rejected: 1},
		},
		{
			// A quote error in the first cell leaves encoding/csv with no field
			// positions for the record.
			name:    "stray quote in the first cell",
			text:    "new\"conversations,2025-10-01,2025-10-31,1\n" + period + "1204\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			rejects: []string{`dashboard.csv:1: a quote mark is out of place near line 1, column 4, so the row's cells cannot be told apart`},
			tally:   Tally{Read: 2, Accepted: 1, Rejected: 1},
		},
		{
			name:    "unterminated quote",
			text:    period + "1204\n\"new_conversations,2025-10-01,2025-10-31,5\n",
			figures: []string{"new_conversations 2025-10-01..2025-10-31 1204 zone= hours="},
			rejects: []string{`dashboard.csv:2: a quote mark is out of place near line 2, column 44, so the row's cells cannot be told apart`},
			tally:   Tally{Read: 2, Accepted: 1, Rejected: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := readDashboardText(t, tt.text, false)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			var figures []string
			for _, f := range info.Figures {
				figures = append(figures, fmt.Sprintf("%s %s..%s %v zone=%s hours=%s", f.Metric, f.From, f.To, f.Value, f.Zone, f.Hours))
				if f.Origin.Line < 1 || !strings.HasSuffix(f.Origin.File, "dashboard.csv") {
					t.Errorf("figure origin %+v", f.Origin)
				}
			}
			var rejects []string
			for _, r := range info.Rejects {
				rejects = append(rejects, withoutPath(r.Error()))
			}
			if fmt.Sprintf("%q", figures) != fmt.Sprintf("%q", tt.figures) {
				t.Errorf("figures\n got %q\nwant %q", figures, tt.figures)
			}
			if fmt.Sprintf("%q", rejects) != fmt.Sprintf("%q", tt.rejects) {
				t.Errorf("rejects\n got %q\nwant %q", rejects, tt.rejects)
			}
			if info.Tally != tt.tally {
				t.Errorf("tally %+v, want %+v", info.Tally, tt.tally)
			}
			if err := info.Tally.Check("dashboard.csv"); err != nil {
				t.Error(err)
			}
			checkRejects(t, info.File.Path, info.Rejects, nil)
		})
	}
}

func TestReadDashboard_HeaderErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		// A misspelt "hours" would silently drop the hours mode.
		{"unknown column", "metric,from,to,value,hour\n", `dashboard.csv:1: column "hour" is not one icrecon knows; the columns are metric,from,to,value,timezone,hours`},
		{"missing value column", "metric,from,to\n", `dashboard.csv:1: the header has no "value" column; write metric,from,to,value[,timezone][,hours]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := readDashboardText(t, tt.text, false)
			if info != nil || err == nil || withoutPath(err.Error()) != tt.want {
				t.Errorf("info %v err %v\nwant %s", info, err, tt.want)
			}
		})
	}
}

func TestReadDashboard_Strict(t *testing.T) {
	text := "new_conversations,2025-10-01,2025-10-31,1204\nnew_conversations,8/2/2025,2025-10-31,1\nnew_conversations,2025-11-01,2025-11-30,1\n"
	info, err := readDashboardText(t, text, true)
	var strict *ErrStrict
	if !errors.As(err, &strict) || strict.Reject.Line != 2 || strict.Reject.Column != "from" {
		t.Fatalf("err = %v", err)
	}
	if info == nil || len(info.Figures) != 1 || info.Tally.Check("x") != nil {
		t.Errorf("info at the stop: %+v", info)
	}
}

func TestReadDashboard_FileInfo(t *testing.T) {
	text := "metric,from,to,value\nnew_conversations,2025-10-01,2025-10-31,1204\n"
	path := writeTemp(t, "figures.csv", []byte(text))
	o, err := Input{Path: path}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	info, err := ReadDashboard(o, false)
	if err != nil {
		t.Fatal(err)
	}
	if info.File.Kind != KindDashboard {
		t.Errorf("kind %q", info.File.Kind)
	}
	checkFileInfo(t, path, info.File)
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"840", 840, true},
		{"840.5", 840.5, true},
		{"14m", 840, true},
		{"14 min", 840, true},
		{"14 mins", 840, true},
		{"14 minutes", 840, true},
		{"1h 2m 3s", 3723, true},
		{"1 hour 2 minutes", 3720, true},
		{"2 hrs", 7200, true},
		{"2d 4h", 187200, true},
		{"1 day", 86400, true},
		{"1.5h", 5400, true},
		{"3 SECONDS", 3, true},
		{"00:14:00", 840, true},
		{"1:02:03", 3723, true},
		{"100:00:00", 360000, true},
		// The dashboard writes 1h 2m; typed without spaces it reads the same.
		{"1h2m", 3720, true},
		{"14:00", 0, false},
		{"00:60:00", 0, false},
		{"-5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e400", 0, false},
		{"14 m and change", 0, false},
		{"", 0, false},
		{"m", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Errorf("parseDuration(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

// TestReadDashboard_SizeBound: a figures file is a few lines; a file past
// its bound of 16 MiB (or a device that never ends) is refused in one
// sentence rather than read into memory without end (issue 13). The test
// lowers the bound to 1 MiB.
func TestReadDashboard_SizeBound(t *testing.T) {
	if maxDashboardBytes != 16<<20 {
		t.Fatalf("the bound is %d bytes, not the 16 MiB the README promises", maxDashboardBytes)
	}
	defer func(n int64) { maxDashboardBytes = n }(maxDashboardBytes)
	maxDashboardBytes = 1 << 20
	line := "new_conversations,2025-10-01,2025-10-31,1204\n"
	// A figure and a long comment: exactly at the bound it is still read.
	exact := line + "#" + strings.Repeat("x", int(maxDashboardBytes)-len(line)-2) + "\n"
	if info, err := readDashboardText(t, exact, false); err != nil || info.Tally.Read != 1 {
		t.Errorf("a file of exactly 16 MiB: %v", err)
	}
	_, err := readDashboardText(t, exact+"\n", false)
	if err == nil || withoutPath(err.Error()) != "dashboard.csv: the file is larger than 1 MiB, far more than dashboard figures take (a line a figure); check that this is the figures file" {
		t.Errorf("err = %v", err)
	}
}
