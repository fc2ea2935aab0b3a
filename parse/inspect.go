package parse

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/icrecon/icrecon/intercom"
)

// Summary describes one input for `icrecon inspect`: what it is, how many
// records it holds and what became of each, and what it covers.
type Summary struct {
	Path       string
	Kind       Kind
	Format     string // e.g. "JSON Lines", "CSV, ';'-separated"
	Tally      Tally
	Zone       string
	Mapped     []string
	Unmapped   []string
	First      time.Time // earliest thread start (export), created_at (API), period start (dashboard)
	Last       time.Time
	Initiators intercom.InitiatorMix
	Rejects    []Reject
	Warnings   []Reject
	Notes      []string // facts worth a line: truncated histories, unknown part types, the schedule
	Err        error    // the input could not be read at all
}

// InspectOptions tune Inspect.
type InspectOptions struct {
	Strict bool
	Zone   *time.Location // for exports whose headers carry no zone
	// Opened, when set, is told of the input once it is open: a progress
	// display follows its BytesRead.
	Opened func(*Opened)
	// IncludePII names every unknown part type in the notes; without it,
	// one that does not look like a part type (intercom.LooksLikePartType)
	// may be personal data, and is only counted.
	IncludePII bool
}

// Inspect reads one input through the reader its content calls for and
// summarises it. A file that cannot be read comes back with Err set.
func Inspect(in Input, opts InspectOptions) Summary {
	s := Summary{Path: in.Path, Initiators: intercom.InitiatorMix{}}
	o, err := in.Open()
	if err != nil {
		s.Err = err
		return s
	}
	defer o.Close()
	if opts.Opened != nil {
		opts.Opened(o)
	}
	if s.Kind, s.Err = Sniff(o); s.Err != nil {
		return s
	}
	switch s.Kind {
	case KindExport:
		s.Err = s.inspectExport(o, opts)
	case KindAPI:
		s.Err = s.inspectAPI(o, opts)
	case KindDashboard:
		s.Err = s.inspectDashboard(o, opts)
	case KindWorkspace:
		s.Err = s.inspectWorkspace(o)
	}
	if t := o.trailingData(); t != "" && s.Err == nil {
		s.Warnings = append(s.Warnings, Reject{File: in.Path, Reason: t})
	}
	if enc := o.Encoding(); enc != "" && s.Format != "" {
		s.Format += ", from " + enc
	}
	return s
}

// cover widens the First..Last span to include t.
func (s *Summary) cover(i intercom.Instant) {
	if !i.Valid {
		return
	}
	t := i.Time()
	if s.First.IsZero() || t.Before(s.First) {
		s.First = t
	}
	if s.Last.IsZero() || t.After(s.Last) {
		s.Last = t
	}
}

func (s *Summary) inspectExport(o *Opened, opts InspectOptions) error {
	info, err := ReadExport(o, ExportOptions{Zone: opts.Zone, Strict: opts.Strict, ReuseConversations: true}, func(c *intercom.Conversation, dup bool) error {
		if !dup {
			s.Initiators.Add(c.Initiator)
			s.cover(threadStart(c))
		}
		return nil
	})
	if info == nil {
		return err
	}
	s.Tally, s.Zone, s.Mapped, s.Unmapped = info.Tally, info.Zone, info.Mapped, info.Unmapped
	s.Rejects, s.Warnings = info.Rejects, info.Warnings
	s.Format = "CSV"
	switch info.Delimiter {
	case ",":
	case "\t":
		s.Format = "CSV, tab-separated"
	default:
		s.Format = fmt.Sprintf("CSV, %q-separated", info.Delimiter)
	}
	if info.DateOrder != DateISO && info.DateOrder != "" {
		s.Notes = append(s.Notes, fmt.Sprintf("dates are written %s: the file was re-saved by a spreadsheet", info.DateOrder))
	}
	if info.Blank > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d empty rows skipped", info.Blank))
	}
	return err
}

// threadStart is when the message thread began: the first customer message,
// or the conversation's creation when the customer never wrote.
func threadStart(c *intercom.Conversation) intercom.Instant {
	if c.StartedAt.Valid {
		return c.StartedAt
	}
	return c.CreatedAt
}

// maxHiddenTypes bounds how many distinct hidden part types inspect tells
// apart.
const maxHiddenTypes = 10000

func (s *Summary) inspectAPI(o *Opened, opts InspectOptions) error {
	unknownTypes := map[string]int{}
	// Part types not shaped like one are counted, not kept: they may be
	// message text, and as many as the parts. Distinct ones are told apart
	// by a hash, up to maxHiddenTypes.
	hiddenTypes, hiddenParts := map[uint64]struct{}{}, 0
	truncated, parts, withParts := 0, 0, 0
	info, err := ReadAPI(o, APIOptions{Strict: opts.Strict, ReuseConversations: true}, func(c *intercom.Conversation, dup bool) error {
		if dup {
			return nil
		}
		s.Initiators.Add(c.Initiator)
		s.cover(c.CreatedAt)
		if c.HasParts {
			withParts++
		}
		if c.Truncated() {
			truncated++
		}
		parts += len(c.Parts)
		for _, p := range c.Parts {
			switch {
			case intercom.KnownPartType(p.Type):
			case opts.IncludePII || intercom.LooksLikePartType(p.Type):
				unknownTypes[p.Type]++
			default:
				hiddenParts++
				if len(hiddenTypes) < maxHiddenTypes {
					hiddenTypes[internHash(p.Type)] = struct{}{}
				}
			}
		}
		return nil
	})
	if info == nil {
		return err
	}
	s.Tally, s.Rejects, s.Format, s.Zone = info.Tally, info.Rejects, info.Format, "UTC"
	s.Notes = append(s.Notes, fmt.Sprintf("%s carrying their parts (%d parts in all)", plural(withParts, "conversation"), parts))
	if truncated > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%s with fewer parts than Intercom counts (the API returns at most the 500 most recent): recomputed statistics not trusted", plural(truncated, "conversation")))
	}
	if len(unknownTypes) > 0 {
		s.Notes = append(s.Notes, "part types read as events without message meaning: "+countList(unknownTypes))
	}
	if hiddenParts > 0 {
		types := plural(len(hiddenTypes), "part type")
		if len(hiddenTypes) == maxHiddenTypes {
			types = "at least " + types
		}
		s.Notes = append(s.Notes, fmt.Sprintf("%s not shown (%s, read as events): they do not look like part types and may be personal data (--include-pii shows them)",
			types, plural(hiddenParts, "part")))
	}
	return err
}

func (s *Summary) inspectDashboard(o *Opened, opts InspectOptions) error {
	info, err := ReadDashboard(o, opts.Strict)
	if info == nil {
		return err
	}
	s.Tally, s.Rejects, s.Format = info.Tally, info.Rejects, "CSV"
	zones := map[string]int{}
	for _, f := range info.Figures {
		zone := f.Zone
		if zone == "" {
			zone = "~workspace's" // sorts after the named zones
		}
		zones[zone]++
		loc, _ := time.LoadLocation(f.Zone)
		start, end := f.Period(loc)
		s.cover(intercom.AtTime(start))
		s.cover(intercom.AtTime(end.Add(-time.Second)))
	}
	s.Zone = strings.ReplaceAll(strings.Join(sortedKeys(zones), ", "), "~", "")
	return err
}

func (s *Summary) inspectWorkspace(o *Opened) error {
	ws, err := ReadWorkspace(o)
	if err != nil {
		return err
	}
	s.Tally = Tally{Read: 1, Accepted: 1}
	s.Format, s.Zone = "YAML", ws.Zone.String()
	if ws.Schedule != nil {
		s.Notes = append(s.Notes, "office hours: "+ws.Schedule.String())
	} else {
		s.Notes = append(s.Notes, "no office hours: durations are taken over all hours")
	}
	if ws.AppID != "" {
		s.Notes = append(s.Notes, "app id: "+ws.AppID)
	}
	if len(ws.Bots) > 0 {
		s.Notes = append(s.Notes, "treated as bots: admin "+strings.Join(ws.Bots, ", "))
	}
	return nil
}

// plural writes "1 conversation" or "2 conversations".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func countList(m map[string]int) string {
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s (%d)", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
