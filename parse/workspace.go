package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/icrecon/icrecon/internal/oneline"
	"github.com/icrecon/icrecon/officehours"
)

// Workspace holds the settings that decide how Intercom computed its numbers.
type Workspace struct {
	File     FileInfo
	Zone     *time.Location
	Schedule *officehours.Schedule // nil when the file gives no office hours
	AppID    string
	Bots     []string // admin ids to treat as bots
}

// workspaceYAML is the file's shape. office_hours is either a spec string
// ("Mon-Fri 09:00-17:00; Sat 10:00-14:00") or a mapping of weekday to ranges.
type workspaceYAML struct {
	Timezone    string    `yaml:"timezone"`
	AppID       string    `yaml:"app_id"`
	OfficeHours yaml.Node `yaml:"office_hours"`
	Exceptions  []string  `yaml:"exceptions"`
	Bots        []string  `yaml:"bots"`
}

// maxWorkspaceBytes bounds workspace.yaml, a few lines of settings, so that
// a wrong file or a device (--workspace /dev/zero) is refused, not read
// without end.
const maxWorkspaceBytes = 1 << 20

// ReadWorkspace reads workspace.yaml. Unknown keys are errors: a misspelt
// "office_hour" would otherwise silently mean "no office hours".
func ReadWorkspace(o *Opened) (*Workspace, error) {
	data, err := io.ReadAll(newBoundedReader(o, maxWorkspaceBytes))
	var cut *CutError
	var tooLarge *errTooLarge
	switch {
	case errors.As(err, &cut):
		return nil, cut
	case errors.As(err, &tooLarge):
		return nil, fmt.Errorf("%s: the file is %s, far more than workspace settings take (a few lines); check that this is the workspace.yaml", o.Path, tooLarge)
	case err != nil:
		return nil, fmt.Errorf("%s: %v", o.Path, err)
	}
	if m := o.members; m != nil && m.trailingAt >= 0 {
		// What follows may be more settings: they are read whole or not at all.
		return nil, fmt.Errorf("%s: the gzip data ends at byte %d of the file, and what follows it is not gzip; settings are read whole or not at all, so the file is refused", o.Path, m.trailingAt)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var y workspaceYAML
	if err := dec.Decode(&y); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the file is empty", o.Path)
		}
		return nil, fmt.Errorf("%s: %s", o.Path, describeYAMLError(err, data))
	}
	if line, err := secondDocument(dec); err != nil {
		return nil, fmt.Errorf("%s: %s", o.Path, describeYAMLError(err, data))
	} else if line > 0 {
		return nil, fmt.Errorf("%s:%d: a second YAML document starts here, but the settings are read from one document only; put them all in the first", o.Path, line)
	}
	ws := &Workspace{AppID: strings.TrimSpace(y.AppID), Bots: y.Bots}
	if y.Timezone == "" {
		return nil, fmt.Errorf("%s: timezone is missing; add a line like timezone: America/Vancouver", o.Path)
	}
	if ws.Zone, err = time.LoadLocation(y.Timezone); err != nil || y.Timezone == "Local" {
		return nil, fmt.Errorf("%s: timezone %q is not a time zone name like America/Vancouver", o.Path, y.Timezone)
	}
	var closed []officehours.Date
	for _, e := range y.Exceptions {
		d, err := officehours.ParseDate(strings.TrimSpace(e))
		if err != nil {
			return nil, fmt.Errorf("%s: exceptions: %q is not a date like 2025-12-25", o.Path, e)
		}
		closed = append(closed, d)
	}
	if !y.OfficeHours.IsZero() {
		week, line, err := readWeek(&y.OfficeHours)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: office_hours: %v", o.Path, line, err)
		}
		if ws.Schedule, err = officehours.New(ws.Zone, week, closed); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", o.Path, y.OfficeHours.Line, err)
		}
	} else if len(closed) > 0 {
		return nil, fmt.Errorf("%s: exceptions are given but office_hours is not; add office_hours (or 24/7)", o.Path)
	}
	ws.File = o.Info(KindWorkspace)
	return ws, nil
}

// secondDocument reports the line where a YAML document after the first
// starts, or 0 when there is none: one would otherwise be dropped unread.
// Empty documents (a "---" at the end) hold nothing to lose.
func secondDocument(dec *yaml.Decoder) (int, error) {
	for {
		var doc yaml.Node
		switch err := dec.Decode(&doc); {
		case errors.Is(err, io.EOF):
			return 0, nil
		case err != nil:
			return 0, err
		}
		if len(doc.Content) == 0 {
			continue
		}
		if root := doc.Content[0]; root.Kind != yaml.ScalarNode || root.Tag != "!!null" {
			return doc.Line, nil
		}
	}
}

// readWeek accepts the spec string or a mapping such as
//
//	monday: ["09:00-17:00"]
//	saturday: "10:00-14:00"
//	weekdays: ["09:00-12:00", "13:00-17:00"]
//
// An error comes with the line it is about — the entry, or the range in a
// list — so that the message names one place.
func readWeek(n *yaml.Node) (officehours.Week, int, error) {
	var week officehours.Week
	switch n.Kind {
	case yaml.ScalarNode:
		week, err := officehours.ParseWeek(n.Value)
		return week, n.Line, err
	case yaml.MappingNode:
	default:
		return week, n.Line, fmt.Errorf("give either a line like \"Mon-Fri 09:00-17:00\" or one entry per weekday")
	}
	// Groups (weekdays, weekends, daily) first, then single days, which
	// replace what a group gave them: "weekdays" then "friday: closed" is
	// Monday to Thursday, whatever the order of the keys.
	for _, groups := range []bool{true, false} {
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			days, isGroup, err := weekdaysNamed(key.Value)
			if err != nil {
				return week, key.Line, err
			}
			if isGroup != groups {
				continue
			}
			ranges, line, err := rangesOf(value)
			if err != nil {
				return week, line, fmt.Errorf("%s: %v", key.Value, err)
			}
			for _, d := range days {
				if isGroup {
					week[d] = append(week[d], ranges...)
				} else {
					week[d] = ranges
				}
			}
		}
	}
	return week, 0, nil
}

// weekdaysNamed reads a key of the office_hours mapping: a day, or a group.
func weekdaysNamed(name string) (days []time.Weekday, group bool, err error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "weekdays":
		return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, true, nil
	case "weekends":
		return []time.Weekday{time.Saturday, time.Sunday}, true, nil
	case "daily":
		return []time.Weekday{0, 1, 2, 3, 4, 5, 6}, true, nil
	}
	d, err := officehours.ParseWeekday(name)
	if err != nil {
		return nil, false, fmt.Errorf("%q is not a day of the week", name)
	}
	return []time.Weekday{d}, false, nil
}

// rangesOf reads the ranges of one day or group, and on error the line of
// the range at fault.
func rangesOf(n *yaml.Node) ([]officehours.Interval, int, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if strings.EqualFold(n.Value, "closed") || n.Value == "" {
			return nil, 0, nil
		}
		iv, err := parseIntervals(n.Value)
		return iv, n.Line, err
	case yaml.SequenceNode:
		var all []officehours.Interval
		for _, item := range n.Content {
			iv, err := parseIntervals(item.Value)
			if err != nil {
				return nil, item.Line, err
			}
			all = append(all, iv...)
		}
		return all, 0, nil
	}
	return nil, n.Line, fmt.Errorf("give ranges like [\"09:00-17:00\"]")
}

// parseIntervals is officehours.ParseIntervals without its `office hours
// "…": ` before the reason: the entry's line and day already say where,
// and the reason quotes the range at fault.
func parseIntervals(s string) ([]officehours.Interval, error) {
	iv, err := officehours.ParseIntervals(s)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), fmt.Sprintf("office hours %q: ", s)))
	}
	return iv, nil
}

// yamlTypeError matches yaml.v3's "line 2: cannot unmarshal !!int `274` into []string".
var yamlTypeError = regexp.MustCompile("^line (\\d+): cannot unmarshal !!\\w+ `.*` into (.*)$")

// yamlUnknownField matches yaml.v3's "line 2: field office_hour not found in type …".
var yamlUnknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type`)

// yamlTargets says in words what each Go type of workspaceYAML expects.
var yamlTargets = map[string]string{
	"[]string":                `values in brackets, like ["8003"] or [2025-12-25]`,
	"string":                  "a single value",
	"parse.workspaceYAML":     "settings written as key: value lines, like timezone: America/Vancouver",
	"map[string]interface {}": "settings written as key: value lines",
}

// describeYAMLError keeps the line number yaml.v3 gives, quotes the line, and
// says what was expected in words instead of Go type names.
func describeYAMLError(err error, data []byte) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return oneline.Shorten(strings.TrimPrefix(err.Error(), "yaml: "), 200)
	}
	lines := strings.Split(string(data), "\n")
	var msgs []string
	for _, e := range te.Errors {
		if m := yamlUnknownField.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("line %s: %q is not a setting icrecon knows; the settings are timezone, app_id, office_hours, exceptions and bots", m[1], oneline.Shorten(m[2], 40)))
			continue
		}
		m := yamlTypeError.FindStringSubmatch(e)
		if m == nil {
			msgs = append(msgs, oneline.Shorten(e, 120))
			continue
		}
		n, _ := strconv.Atoi(m[1])
		expected := yamlTargets[m[2]]
		if expected == "" {
			expected = "another kind of value"
		}
		text := ""
		if n >= 1 && n <= len(lines) {
			text = strings.TrimSpace(lines[n-1])
		}
		msgs = append(msgs, fmt.Sprintf("line %d: %q: expected %s", n, oneline.Shorten(text, 60), expected))
	}
	return strings.Join(msgs, "; ")
}
