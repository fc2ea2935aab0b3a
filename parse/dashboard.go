package parse

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/oneline"
)

// DashboardInfo is what the reader learned about a figures file.
type DashboardInfo struct {
	File    FileInfo
	Tally   Tally
	Figures []intercom.Figure
	Rejects []Reject
}

// maxDashboardBytes bounds the figures file: an analyst types a few dozen
// lines, and /dev/zero or a wrong file must not be read without end. (A
// variable so tests can lower it.)
var maxDashboardBytes int64 = 16 << 20

// dashboardColumns are the columns of a figures file, in their positional
// order when the file has no header row.
var dashboardColumns = []string{"metric", "from", "to", "value", "timezone", "hours"}

// ReadDashboard reads the figures an analyst copied off the dashboard:
// metric,from,to,value[,timezone][,hours], with or without a header row, one
// figure a line, # comments allowed. Values are read as typed: counts like
// 1,204 (even unquoted), durations like 14m, 1h 2m 3s, 00:14:00 or 840
// (seconds).
func ReadDashboard(o *Opened, strict bool) (*DashboardInfo, error) {
	info := &DashboardInfo{}
	if bom, _ := o.Peek(3); string(bom) == string(utf8BOM) {
		o.Discard(3)
	}
	head, _ := o.Peek(4096)
	reader := csv.NewReader(newBoundedReader(o, maxDashboardBytes))
	reader.Comma = sniffDelimiter(firstLine(head))
	reader.FieldsPerRecord = -1
	reader.Comment = '#'
	reader.TrimLeadingSpace = true
	d := &dashboardReader{path: o.Path, info: info, seen: map[string]int{}, strict: strict}
	columns := dashboardColumns
	for started := false; ; {
		cells, err := reader.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		var cut *CutError
		var tooLarge *errTooLarge
		switch {
		case errors.As(err, &pe):
			if err := d.reject(Reject{Line: pe.StartLine, Reason: describeCSVError(pe, len(columns))}); err != nil {
				return info, err
			}
			continue
		case errors.As(err, &cut):
			if err := d.reject(Reject{Line: cut.Line, Reason: cut.Reason(d.info.Tally.Read)}); err != nil {
				return info, err
			}
			info.File = o.Info(KindDashboard)
			return info, info.Tally.Check(o.Path)
		case errors.As(err, &tooLarge):
			return info, fmt.Errorf("%s: the file is %s, far more than dashboard figures take (a line a figure); check that this is the figures file", o.Path, tooLarge)
		case err != nil:
			return info, fmt.Errorf("%s: reading stopped: %v", o.Path, err)
		}
		if isBlankRow(cells) {
			continue
		}
		line, _ := reader.FieldPos(0)
		if !started && isDashboardHeaderRow(cells) {
			started = true
			if columns, err = dashboardHeader(o.Path, line, cells); err != nil {
				return nil, err
			}
			continue
		}
		started = true
		if err := d.row(columns, cells, line); err != nil {
			return info, err
		}
	}
	info.File = o.Info(KindDashboard)
	return info, info.Tally.Check(o.Path)
}

type dashboardReader struct {
	path   string
	info   *DashboardInfo
	seen   map[string]int // figure key -> line of its first appearance
	strict bool
}

func (d *dashboardReader) reject(r Reject) error {
	r.File = d.path
	d.info.Tally.Read++
	d.info.Tally.Rejected++
	d.info.Rejects = append(d.info.Rejects, r)
	if d.strict {
		return &ErrStrict{Reject: r}
	}
	return nil
}

// isDashboardHeaderRow reports whether the first row names columns rather
// than holding a figure: it has a "metric" cell and no cell is a metric id.
func isDashboardHeaderRow(cells []string) bool {
	named := false
	for _, c := range cells {
		name := dashboardColumnName(c)
		if intercom.MetricKindOf(name) != 0 {
			return false
		}
		named = named || name == "metric"
	}
	return named
}

func dashboardColumnName(cell string) string {
	name := strings.ToLower(strings.TrimSpace(cell))
	if name == "zone" || name == "time zone" {
		return "timezone"
	}
	return name
}

// dashboardHeader maps a header row, in any order; unknown column names are
// an error, since a misspelt "hours" would silently drop the hours mode.
func dashboardHeader(path string, line int, cells []string) ([]string, error) {
	columns := make([]string, len(cells))
	for i, c := range cells {
		name := dashboardColumnName(c)
		if !slices.Contains(dashboardColumns, name) {
			return nil, fmt.Errorf("%s:%d: column %q is not one icrecon knows; the columns are %s", path, line, c, strings.Join(dashboardColumns, ","))
		}
		columns[i] = name
	}
	for _, required := range dashboardColumns[:4] {
		if !slices.Contains(columns, required) {
			return nil, fmt.Errorf("%s:%d: the header has no %q column; write metric,from,to,value[,timezone][,hours]", path, line, required)
		}
	}
	return columns, nil
}

func (d *dashboardReader) row(columns, cells []string, line int) error {
	cells = mergeThousands(cells, slices.Index(columns, "value"))
	cell := map[string]string{}
	for i, c := range cells {
		if i < len(columns) {
			cell[columns[i]] = strings.TrimSpace(c)
		}
	}
	raw := oneline.Shorten(strings.Join(cells, ","), 200)
	fail := func(column, value, reason string) error {
		return d.reject(Reject{Line: line, Column: column, Value: value, Reason: reason, Raw: raw})
	}
	if len(cells) > len(columns) {
		return fail("", "", fmt.Sprintf("has %d cells but the file's columns are %d (%s); quote a value that contains a comma", len(cells), len(columns), strings.Join(columns, ",")))
	}
	id, labelHours, known := intercom.MetricByLabel(cell["metric"])
	if !known {
		return fail("metric", cell["metric"], "is not a metric icrecon knows; write one of "+metricList()+", or Intercom's label for it, like \"Median first response time\" (README: Dashboard figures)")
	}
	f := intercom.Figure{Metric: id, Raw: cell["value"], Origin: intercom.Origin{File: d.path, Line: line}}
	kind := intercom.MetricKindOf(f.Metric)
	var err error
	if f.From, err = parseDay(cell["from"]); err != nil {
		return fail("from", cell["from"], err.Error())
	}
	if f.To, err = parseDay(cell["to"]); err != nil {
		return fail("to", cell["to"], err.Error())
	}
	if f.From.After(f.To) {
		return fail("to", cell["to"], "is before the period's start "+f.From.String())
	}
	if f.Value, err = parseFigureValue(cell["value"], kind); err != nil {
		return fail("value", cell["value"], err.Error())
	}
	if f.Zone = cell["timezone"]; f.Zone != "" {
		if _, known := LoadZone(f.Zone); !known {
			return fail("timezone", f.Zone, "is not a time zone name like America/Vancouver")
		}
	}
	if f.Hours, err = parseHours(cell["hours"]); err != nil {
		return fail("hours", cell["hours"], err.Error())
	}
	switch {
	case labelHours == intercom.HoursUnknown:
	case f.Hours == intercom.HoursUnknown:
		f.Hours = labelHours
	case f.Hours != labelHours:
		return fail("hours", cell["hours"], fmt.Sprintf("says %s hours, but the metric %q says %s hours", f.Hours, cell["metric"], labelHours))
	}
	d.info.Tally.Read++
	key := strings.Join([]string{f.Metric, f.From.String(), f.To.String(), f.Zone, string(f.Hours)}, "|")
	if _, dup := d.seen[key]; dup {
		d.info.Tally.Duplicates++
		return nil
	}
	d.seen[key] = line
	d.info.Tally.Accepted++
	d.info.Figures = append(d.info.Figures, f)
	return nil
}

// mergeThousands rejoins a count typed as 1,204 without quotes, which CSV
// splits into "1" and "204": a cell of exactly three digits right after the
// value is the rest of it (no other column ever holds three digits).
func mergeThousands(cells []string, valueAt int) []string {
	for valueAt >= 0 && len(cells) > valueAt+1 && isThreeDigits(strings.TrimSpace(cells[valueAt+1])) && isDigits(strings.ReplaceAll(strings.TrimSpace(cells[valueAt]), ",", "")) {
		merged := strings.TrimSpace(cells[valueAt]) + "," + strings.TrimSpace(cells[valueAt+1])
		cells = append(append(append([]string{}, cells[:valueAt]...), merged), cells[valueAt+2:]...)
	}
	return cells
}

func isThreeDigits(s string) bool { return len(s) == 3 && isDigits(s) }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isBlankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func metricList() string {
	ids := make([]string, len(intercom.Metrics))
	for i, m := range intercom.Metrics {
		ids[i] = m.ID
	}
	return strings.Join(ids, ", ")
}

// parseDay reads a date as typed: 2025-10-01, or with the month's name
// (1 Oct 2025, Oct 1 2025, October 1, 2025). Slash dates are refused: 8/2/2025
// is a different day in different countries.
func parseDay(s string) (intercom.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return intercom.Date{}, fmt.Errorf("is empty; give the date as 2025-10-01")
	}
	for _, layout := range []string{"2006-01-02", "2 Jan 2006", "Jan 2 2006", "Jan 2, 2006", "2 January 2006", "January 2 2006", "January 2, 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return intercom.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
		}
	}
	if strings.Contains(s, "/") {
		return intercom.Date{}, fmt.Errorf("is ambiguous (the day and month swap between countries); write it as 2025-10-01")
	}
	return intercom.Date{}, fmt.Errorf("is not a date; write it as 2025-10-01")
}

// parseFigureValue reads a count or a duration (in seconds) as typed.
func parseFigureValue(s string, kind intercom.MetricKind) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("is empty")
	}
	if kind == intercom.MetricCount {
		return parseCount(s)
	}
	d, err := parseDuration(s)
	if err == nil && d > intercom.MaxDurationSeconds {
		return 0, errors.New(tooLongDuration)
	}
	return d, err
}

// parseCount reads a count as typed: 1204, or with thousands separators
// where they belong — 1,204 and 1,234,567; 1.204 (much of Europe); 1 204 or
// 1'204. A separator anywhere else (1,2,3 or 12,34) is refused rather than
// dropped: the digits would make another number than the one meant.
func parseCount(s string) (float64, error) {
	s = strings.TrimSpace(s)
	digits, grouped := ungroupThousands(s)
	if !grouped && len(strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(thousandsSeparators, r) })) > 2 {
		return 0, fmt.Errorf("has thousands separators in the wrong places; write it as 1,204 or 1204")
	}
	if !grouped {
		digits = "" // 12.5 or 12,34: a fraction, which a count never has
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || !isDigits(digits) {
		return 0, fmt.Errorf("is not a count of conversations like 1,204")
	}
	return float64(n), nil
}

// thousandsSeparators are the characters people group digits with.
const thousandsSeparators = ",. '\u00a0\u202f"

// ungroupThousands removes thousands separators from a whole number. It
// reports false when s has separators but not in groups of three digits
// after a first group of one to three (always by the same character);
// anything that is not digits and separators is left for the caller.
func ungroupThousands(s string) (string, bool) {
	sepAt := strings.IndexAny(s, thousandsSeparators)
	if sepAt < 0 {
		return s, true
	}
	sep, _ := utf8.DecodeRuneInString(s[sepAt:])
	groups := strings.Split(s, string(sep))
	for i, g := range groups {
		switch {
		case !isDigits(g):
			if strings.ContainsAny(g, thousandsSeparators) || (i > 0 && i < len(groups)-1) {
				return "", false // two kinds of separator, or a decimal part
			}
			return s, true // not a grouped number: the caller says what it is
		case i == 0 && (len(g) > 3 || (g[0] == '0' && len(groups) > 1)):
			return "", false
		case i > 0 && len(g) != 3:
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

var (
	clockDuration = regexp.MustCompile(`^(\d+):(\d{1,2}):(\d{1,2})$`)
	// Longer unit names come first so "14 minutes" is not read as "14 m".
	unitDuration = regexp.MustCompile(`(?i)(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)`)
)

// parseDuration reads 14m, 1h 2m 3s, 2d 4h, 1.5h, 00:14:00 or 840 (seconds).
func parseDuration(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && !math.IsInf(f, 0) {
		return f, nil
	}
	if m := clockDuration.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		sec, _ := strconv.Atoi(m[3])
		if mi > 59 || sec > 59 {
			return 0, fmt.Errorf("is not a duration: minutes and seconds go up to 59")
		}
		return float64(h*3600 + mi*60 + sec), nil
	}
	if strings.Count(s, ":") == 1 {
		return 0, fmt.Errorf("could be hours:minutes or minutes:seconds; write 00:14:00 or 14m")
	}
	matches := unitDuration.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return 0, fmt.Errorf("is not a duration like 14m, 1h 2m 3s, 00:14:00 or 840 (seconds)")
	}
	total := 0.0
	for _, m := range matches {
		n, _ := strconv.ParseFloat(s[m[2]:m[3]], 64)
		total += n * unitSeconds(strings.ToLower(s[m[4]:m[5]]))
	}
	if rest := strings.TrimSpace(unitDuration.ReplaceAllString(s, "")); rest != "" {
		return 0, fmt.Errorf("is not a duration: %q is not understood", rest)
	}
	return total, nil
}

func unitSeconds(unit string) float64 {
	switch unit[0] {
	case 'd':
		return 86400
	case 'h':
		return 3600
	case 'm':
		return 60
	}
	return 1
}

// parseHours reads the hours mode of a figure: all, office, or empty (unknown).
func parseHours(s string) (intercom.Hours, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return intercom.HoursUnknown, nil
	case "all", "all hours", "24/7", "all hours (24/7)":
		return intercom.HoursAll, nil
	case "office", "office hours", "within office hours":
		return intercom.HoursOffice, nil
	}
	return "", fmt.Errorf("is not an hours mode; write all, office, or leave it empty when you do not know")
}
