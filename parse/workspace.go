package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
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

// workspaceKeys are the settings workspace.yaml may give.
var workspaceKeys = []string{"timezone", "app_id", "office_hours", "exceptions", "bots"}

// yamlSetting is one setting of the file: its key and its value as written.
type yamlSetting struct{ key, value *yaml.Node }

// workspaceYAML is the file's settings by name, as YAML nodes: each value is
// checked against what its setting takes, so that one of the wrong kind is
// said in words with its line and key, not in the YAML library's terms
// ("cannot unmarshal !!seq into string"). office_hours is either a spec
// string ("Mon-Fri 09:00-17:00; Sat 10:00-14:00") or a mapping of weekday
// to ranges.
type workspaceYAML map[string]yamlSetting

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
	y, err := readWorkspaceYAML(o.Path, data)
	if err != nil {
		return nil, err
	}
	ws := &Workspace{}
	tz, line, err := y.text(o.Path, "timezone", "a time zone name like America/Vancouver")
	switch {
	case err != nil:
		return nil, err
	case line == 0:
		return nil, fmt.Errorf("%s: timezone is missing; add a line like timezone: America/Vancouver", o.Path)
	case tz == "":
		return nil, fmt.Errorf("%s:%d: timezone is empty; give a time zone name like America/Vancouver", o.Path, line)
	}
	var known bool
	if ws.Zone, known = LoadZone(tz); !known {
		return nil, fmt.Errorf("%s:%d: timezone %s is not a time zone name like America/Vancouver", o.Path, line, oneline.Quote(tz))
	}
	if ws.AppID, _, err = y.text(o.Path, "app_id", "the workspace's app id, like abcd1234"); err != nil {
		return nil, err
	}
	ws.AppID = strings.TrimSpace(ws.AppID)
	bots, err := y.list(o.Path, "bots", `a list of admin ids like ["274", "4423434"]`, `an admin id like "274"`)
	if err != nil {
		return nil, err
	}
	for _, b := range bots {
		ws.Bots = append(ws.Bots, scalarText(b))
	}
	exceptions, err := y.list(o.Path, "exceptions", "a list of closed dates like [2025-12-25, 2025-12-26]", "a date like 2025-12-25")
	if err != nil {
		return nil, err
	}
	var closed []officehours.Date
	for _, e := range exceptions {
		d, err := officehours.ParseDate(strings.TrimSpace(scalarText(e)))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: exceptions: %s is not a date like 2025-12-25", o.Path, e.Line, oneline.Quote(scalarText(e)))
		}
		closed = append(closed, d)
	}
	if oh, ok := y["office_hours"]; ok {
		week, line, err := readWeek(oh.value)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: office_hours: %v", o.Path, line, err)
		}
		if ws.Schedule, err = officehours.New(ws.Zone, week, closed); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", o.Path, oh.value.Line, err)
		}
	} else if len(closed) > 0 {
		return nil, fmt.Errorf("%s:%d: exceptions are given but office_hours is not; add office_hours (or 24/7)", o.Path, y["exceptions"].key.Line)
	}
	ws.File = o.Info(KindWorkspace)
	return ws, nil
}

// readWorkspaceYAML reads the settings of the file's one YAML document.
// Unknown keys are errors: a misspelt "office_hour" would otherwise
// silently mean "no office hours"; so is a key given twice.
func readWorkspaceYAML(path string, data []byte) (workspaceYAML, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the file is empty", path)
		}
		return nil, describeYAMLError(path, err)
	}
	if line, err := secondDocument(dec); err != nil {
		return nil, describeYAMLError(path, err)
	} else if line > 0 {
		return nil, fmt.Errorf("%s:%d: a second YAML document starts here, but the settings are read from one document only; put them all in the first", path, line)
	}
	y := workspaceYAML{}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return y, nil // "---" alone: no settings
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the settings should be key: value lines, like timezone: America/Vancouver, not %s", path, root.Line, kindWords(root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		if key.Kind != yaml.ScalarNode || !slices.Contains(workspaceKeys, key.Value) {
			what := fmt.Sprintf("%q", oneline.Shorten(key.Value, 40))
			if key.Kind != yaml.ScalarNode {
				what = "a key written as " + kindWords(key)
			}
			return nil, fmt.Errorf("%s:%d: %s is not a setting icrecon knows; the settings are timezone, app_id, office_hours, exceptions and bots", path, key.Line, what)
		}
		if first, ok := y[key.Value]; ok {
			return nil, fmt.Errorf("%s:%d: %s is given twice, here and on line %d; keep one", path, key.Line, key.Value, first.key.Line)
		}
		y[key.Value] = yamlSetting{key, value}
	}
	return y, nil
}

// deref is the value an alias (*name) stands for; YAML anchors a value,
// never an alias, so one step is all there is.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// text is the value of a setting that takes a single value, and the line it
// is on; line is 0 when the file does not give the setting.
func (y workspaceYAML) text(path, name, want string) (value string, line int, err error) {
	s, ok := y[name]
	if !ok {
		return "", 0, nil
	}
	v := deref(s.value)
	switch {
	case isNull(v):
		return "", s.key.Line, nil
	case v.Kind != yaml.ScalarNode:
		return "", 0, fmt.Errorf("%s:%d: %s should be %s, not %s", path, s.key.Line, name, want, kindWords(v))
	}
	return v.Value, s.key.Line, nil
}

// list is the entries of a setting that takes a list of single values.
func (y workspaceYAML) list(path, name, want, wantEach string) ([]*yaml.Node, error) {
	s, ok := y[name]
	if !ok {
		return nil, nil
	}
	v := deref(s.value)
	switch {
	case isNull(v):
		return nil, nil
	case v.Kind != yaml.SequenceNode:
		return nil, fmt.Errorf("%s:%d: %s should be %s, not %s", path, s.key.Line, name, want, kindWords(v))
	}
	items := make([]*yaml.Node, len(v.Content))
	for i, item := range v.Content {
		if items[i] = deref(item); items[i].Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: each entry of %s should be %s, not %s", path, item.Line, name, wantEach, kindWords(items[i]))
		}
	}
	return items, nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// scalarText is a single value as text; null (~, or nothing) is "".
func scalarText(n *yaml.Node) string {
	if isNull(n) {
		return ""
	}
	return n.Value
}

// kindWords says what a value is, in an analyst's words.
func kindWords(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "key: value pairs"
	case yaml.AliasNode:
		return fmt.Sprintf("a reference to another value (*%s)", oneline.Shorten(n.Value, 40))
	case yaml.ScalarNode:
		return fmt.Sprintf("a single value (%q)", oneline.Shorten(n.Value, 40))
	}
	return "something else"
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
	n = deref(n)
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
			key, value := n.Content[i], deref(n.Content[i+1])
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
			iv, err := parseIntervals(deref(item).Value)
			if err != nil {
				return nil, item.Line, err
			}
			all = append(all, iv...)
		}
		return all, 0, nil
	}
	return nil, n.Line, fmt.Errorf("give ranges like [\"09:00-17:00\"]")
}

// parseIntervals is officehours.ParseIntervals with only the reason of an
// error: the entry's line and day already say where, and the reason quotes
// the range at fault.
func parseIntervals(s string) ([]officehours.Interval, error) {
	iv, err := officehours.ParseIntervals(s)
	var bad *officehours.IntervalsError
	if errors.As(err, &bad) {
		return nil, bad.Reason
	}
	return iv, err
}

// yamlSyntaxError matches yaml.v3's "yaml: line 3: did not find expected node content".
var yamlSyntaxError = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// describeYAMLError locates a file that is not YAML at the line yaml.v3
// names, keeping its words as the detail.
func describeYAMLError(path string, err error) error {
	if m := yamlSyntaxError.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s:%s: the YAML cannot be read here (%s)", path, m[1], oneline.Shorten(m[2], 120))
	}
	return fmt.Errorf("%s: the file is not YAML that can be read (%s)", path, oneline.Shorten(strings.TrimPrefix(err.Error(), "yaml: "), 120))
}
