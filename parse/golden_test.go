package parse

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/golden"
)

// update rewrites the golden files from the current output:
//
//	go test ./parse/ -run 'Golden' -update
//
// Review the diff before committing: a golden file is the specification of
// what the reader must produce, not a snapshot of whatever it does. (The
// office-hours columns of real_93_columns and durations, and the gap of
// dst_spring_forward, were first written by hand against a reader that got
// them wrong.) Prefer -run naming the case you changed to -update over all.
var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with the golden file, or rewrites it under
// -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	golden.Check(t, path, got, *update)
}

// untestedInputs reports the inputs of a golden directory that have no table
// entry, so that a file dropped into testdata is never silently untested.
func untestedInputs(t *testing.T, dir string, listed []string, exts ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".golden") || e.IsDir() {
			continue
		}
		for _, ext := range exts {
			if strings.HasSuffix(name, ext) && !slices.Contains(listed, name) {
				t.Errorf("%s has no case in the test table", filepath.Join(dir, name))
			}
		}
	}
}

// emitted is one conversation handed to Emit.
type emitted struct {
	c   *intercom.Conversation
	dup bool
}

// collect returns an Emit that keeps everything.
func collect(out *[]emitted) Emit {
	return func(c *intercom.Conversation, dup bool) error {
		*out = append(*out, emitted{c, dup})
		return nil
	}
}

// dumpRejects writes rejects and warnings as their sentences; a record
// number the sentence does not show is added after it.
func dumpRejects(b *strings.Builder, label string, rs []Reject) {
	for _, r := range rs {
		fmt.Fprintf(b, "%s: %s", label, r.Error())
		if r.Record > 0 && r.Line > 0 {
			fmt.Fprintf(b, "    {record %d}", r.Record)
		}
		b.WriteByte('\n')
	}
}

// dumpConversation writes the fields a reader sets, one conversation a line,
// then its reported statistics and parts, indented.
func dumpConversation(b *strings.Builder, e emitted) {
	c := e.c
	fmt.Fprintf(b, "conversation %s", c.ID)
	if e.dup {
		b.WriteString(" DUPLICATE")
	}
	fmt.Fprintf(b, " origin=%s", originString(c.Origin))
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(b, " %s=%s", name, v)
		}
	}
	field("created", c.CreatedAt.String())
	field("started", c.StartedAt.String())
	field("updated", c.UpdatedAt.String())
	fmt.Fprintf(b, " initiator=%s", c.Initiator)
	field("initiator_raw", quoteIfSpaced(c.InitiatorRaw))
	field("state", c.State)
	field("channel", c.Channel)
	field("priority", quoteIfSpaced(c.Priority))
	field("admin", c.AdminAssigneeID)
	field("team", c.TeamAssigneeID)
	if c.Tags != nil {
		fmt.Fprintf(b, " tags=%q", c.Tags)
	}
	if c.Teammates != nil {
		fmt.Fprintf(b, " teammates=%q", c.Teammates)
	}
	field("app", c.AppID)
	for _, f := range c.Fractions {
		fmt.Fprintf(b, " typed:%s=%s", f.Field, f.Typed)
	}
	if c.SourceAuthor != (intercom.Author{}) {
		fmt.Fprintf(b, " source_author=%s", authorString(c.SourceAuthor))
	}
	if c.MinuteTimes {
		b.WriteString(" minute_times")
	}
	if c.HasParts {
		fmt.Fprintf(b, " parts=%d", len(c.Parts))
	}
	field("parts_total", c.PartsTotal.String())
	if c.Truncated() {
		b.WriteString(" TRUNCATED")
	}
	if c.Extra != nil {
		fmt.Fprintf(b, " extra=%q", c.Extra)
	}
	b.WriteByte('\n')
	var stats []string
	for _, f := range intercom.StatFields {
		if v := f.Get(&c.Reported); v.Valid {
			stats = append(stats, f.Name+"="+statValue(v))
		}
	}
	if c.Reported.ReplyTimes != nil {
		stats = append(stats, fmt.Sprintf("reply_times=%v", c.Reported.ReplyTimes))
	}
	if len(stats) > 0 {
		fmt.Fprintf(b, "  reported: %s\n", strings.Join(stats, " "))
	}
	for _, p := range c.Parts {
		fmt.Fprintf(b, "  part %s type=%s created=%s author=%s body=%v", p.ID, p.Type, p.CreatedAt, authorString(p.Author), p.HasBody)
		if p.AssignedTo != "" {
			fmt.Fprintf(b, " assigned_to=%s", p.AssignedTo)
		}
		if p.AppPackageCode != "" {
			fmt.Fprintf(b, " app_package_code=%s", p.AppPackageCode)
		}
		b.WriteByte('\n')
	}
}

func statValue(v intercom.Value) string {
	if v.Kind == intercom.KindInstant {
		return intercom.At(v.N).String()
	}
	return v.String()
}

func authorString(a intercom.Author) string {
	s := a.Type + ":" + a.ID
	if a.Name != "" || a.Email != "" {
		s += fmt.Sprintf("(%q %s)", a.Name, a.Email)
	}
	if a.FromAIAgent {
		s += "[from_ai_agent]"
	}
	if a.IsAIAnswer {
		s += "[ai_answer]"
	}
	return s
}

func originString(o intercom.Origin) string {
	s := filepath.Base(o.File)
	if o.Line > 0 {
		s += fmt.Sprintf(":%d", o.Line)
	}
	if o.Record > 0 {
		s += fmt.Sprintf("#%d", o.Record)
	}
	return s
}

func quoteIfSpaced(s string) string {
	if strings.ContainsAny(s, " \t") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// errorLine prints a reader's returned error; a strict stop shows its kind.
func errorLine(err error) string {
	var strict *ErrStrict
	if errors.As(err, &strict) {
		return "strict stop: " + err.Error()
	}
	return err.Error()
}

// checkRejects asserts what every reject of every reader must satisfy: it
// names its file, is located (a line or a record number) and reads as one
// line. Warnings may be about the whole file (Line 0).
func checkRejects(t testing.TB, file string, rejects, warnings []Reject) {
	t.Helper()
	for _, r := range rejects {
		if r.Line <= 0 && r.Record <= 0 {
			t.Errorf("reject %q has neither a line nor a record number", r.Error())
		}
	}
	for _, r := range slices.Concat(rejects, warnings) {
		if r.File != file {
			t.Errorf("%q: File = %q, want %q", r.Error(), r.File, file)
		}
		if msg := r.Error(); strings.ContainsAny(msg, "\r\n") {
			t.Errorf("not one line: %q", msg)
		}
	}
}
