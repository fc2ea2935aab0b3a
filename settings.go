package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/metrics"
	"github.com/icrecon/icrecon/officehours"
	"github.com/icrecon/icrecon/parse"
)

// settingsFlags are the flags that say how Intercom computed its numbers;
// metrics and reconcile share them.
func settingsFlags() []cli.Flag {
	return []cli.Flag{
		pathFlag(&cli.StringFlag{Name: "workspace", Usage: "workspace.yaml with the time zone, office hours, closed days, app id and bot ids"}),
		&cli.StringFlag{Name: "timezone", Usage: "the workspace's time zone (e.g. America/Vancouver), when there is no workspace.yaml"},
		&cli.StringFlag{Name: "office-hours", Usage: `office hours, e.g. "Mon-Fri 09:00-17:00; Sat 10:00-14:00" (needs --timezone)`},
		&cli.StringSliceFlag{Name: "variant", Usage: "pin the reading of an ambiguous definition, FAMILY=READING (repeatable; the families and readings are listed above)"},
	}
}

// settings is what the settings flags resolve to.
type settings struct {
	Zone      *time.Location // nil when none was given
	Workspace *parse.Workspace
	Metrics   metrics.Options
	// OfficeHoursGiven is false when durations fall back to all hours.
	OfficeHoursGiven bool
	// Pinned are the variant families --variant set: reconcile does not
	// learn them.
	Pinned [metrics.NumFamilies]bool
	// ZoneSource and ScheduleSource say where the zone and the office
	// hours came from, for the reports.
	ZoneSource, ScheduleSource string
}

// readSettings turns the settings flags into options, refusing combinations
// that would leave it unclear which office hours apply.
func readSettings(c *cli.Context) (settings, error) {
	var s settings
	workspace, zone, spec := c.String("workspace"), c.String("timezone"), c.String("office-hours")
	if workspace != "" && (zone != "" || spec != "") {
		return s, usagef("give either --workspace or --timezone/--office-hours, not both")
	}
	for _, v := range c.StringSlice("variant") {
		before := s.Metrics.Variants
		if err := s.Metrics.Variants.Set(v); err != nil {
			return s, usagef("--variant: %v", err)
		}
		name, _, _ := strings.Cut(v, "=")
		f, ok := metrics.FamilyByName(strings.TrimSpace(name))
		if !ok {
			continue
		}
		// Two readings of one family: the last would win in silence.
		if s.Pinned[f] && before.Of(f) != s.Metrics.Variants.Of(f) {
			return s, usagef("--variant %s is given twice, as %s and as %s; give one reading for each family", f.Name(), before.ReadingOf(f), s.Metrics.Variants.ReadingOf(f))
		}
		s.Pinned[f] = true
	}
	var err error
	switch {
	case workspace != "":
		if s.Workspace, err = readWorkspaceFile(workspace); err != nil {
			return s, err
		}
		s.Zone, s.Metrics.Schedule = s.Workspace.Zone, s.Workspace.Schedule
		s.Metrics.Bots = botsOf(s.Workspace.Bots)
		s.ZoneSource, s.ScheduleSource = "workspace.yaml", "workspace.yaml"
	case spec != "":
		if zone == "" {
			return s, usagef("--office-hours needs --timezone: office hours are local times")
		}
		fallthrough
	default:
		if s.Zone, err = zoneFlag(zone); err != nil {
			return s, err
		}
		s.ZoneSource, s.ScheduleSource = "--timezone", "--office-hours"
		if spec != "" {
			week, err := officehours.ParseWeek(spec)
			if err != nil {
				return s, usagef("--office-hours: %v", err)
			}
			if s.Metrics.Schedule, err = officehours.New(s.Zone, week, nil); err != nil {
				return s, usagef("--office-hours: %v", err)
			}
		}
	}
	s.OfficeHoursGiven = s.Metrics.Schedule != nil
	return s, nil
}

func readWorkspaceFile(path string) (*parse.Workspace, error) {
	inputs, _, err := parse.Expand([]string{path})
	if err != nil {
		return nil, err
	}
	if len(inputs) != 1 {
		return nil, usagef("--workspace names one file, not a folder of %d", len(inputs))
	}
	o, err := inputs[0].Open()
	if err != nil {
		return nil, err
	}
	defer o.Close()
	return parse.ReadWorkspace(o)
}

func botsOf(ids []string) intercom.Bots {
	bots := intercom.Bots{IDs: map[string]bool{}}
	for _, id := range ids {
		bots.IDs[id] = true
	}
	return bots
}

// noOfficeHoursWarning is printed when durations fall back to all hours.
const noOfficeHoursWarning = "warning: no office hours given (--workspace or --timezone with --office-hours): durations are over all hours, but Intercom's API subtracts out-of-office time, so its time_to_* values will be lower wherever a conversation spans closed hours"

// openAs opens an input and checks it is the kind the flag promised.
func openAs(in parse.Input, want parse.Kind, flag string) (*parse.Opened, error) {
	o, err := in.Open()
	if err != nil {
		return nil, err
	}
	kind, err := parse.Sniff(o)
	if err != nil {
		o.Close()
		return nil, err
	}
	if kind != want {
		o.Close()
		return nil, fmt.Errorf("%s: this is %s, but it was given as --%s (which takes %s)", in.Path, describeKind(kind), flag, describeKind(want))
	}
	return o, nil
}

func describeKind(k parse.Kind) string {
	switch k {
	case parse.KindExport:
		return "a Reports CSV export"
	case parse.KindAPI:
		return "an API pull"
	case parse.KindDashboard:
		return "a dashboard figures file"
	case parse.KindWorkspace:
		return "a workspace settings file"
	}
	return string(k)
}

// variantHelp lists the families and their readings, the default first,
// for the help of the commands that take --variant.
func variantHelp() string {
	var b strings.Builder
	b.WriteString("VARIANT FAMILIES (--variant FAMILY=READING; the default first):")
	for _, f := range metrics.Families() {
		b.WriteString("\n   " + f.Name() + ": " + strings.Join(f.Readings(), ", "))
	}
	return b.String()
}
