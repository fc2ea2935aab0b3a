package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/parse"
	"github.com/icrecon/icrecon/report"
)

// inspectOptions are the inputs of `icrecon inspect`.
type inspectOptions struct {
	Paths  []string
	JSON   bool
	Strict bool
	Zone   *time.Location
	// IncludePII shows every rejected value and part type; without it a
	// value that may be personal data is hidden (report.ShownValue), and so
	// is a part type (intercom.LooksLikePartType).
	IncludePII bool
}

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "say what each input is and account for every record in it",
		ArgsUsage: "FILE|FOLDER...",
		Description: `For each file (folders are read file by file; .gz files are opened) inspect
says what it is — a Reports CSV export (export_csv), an API pull (api_json),
dashboard figures (dashboard_csv) or workspace settings (workspace) — and
accounts for its records: read = accepted + rejected + duplicates. It also
shows the time zone, the export columns icrecon maps and the ones it does not,
the first and last timestamp, how the conversations began (initiator mix), and
the first rejected records with their reasons. A rejected value or a part
type that may be personal data (a name, an e-mail address, message text) is
not shown unless --include-pii.

EXAMPLE:
   icrecon inspect fixtures/sample
   icrecon inspect --json export.csv pull.jsonl.gz

` + exitHelp(readFailure, ""),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object instead of the table"},
			&cli.BoolFlag{Name: "strict", Usage: "stop at the first rejected record (exit 1)"},
			&cli.StringFlag{Name: "timezone", Usage: "time zone of export timestamps whose headers do not name one (e.g. America/Vancouver)"},
			&cli.BoolFlag{Name: "include-pii", Usage: "show rejected values and part types that may be personal data (names, e-mail addresses, message text)"},
		},
		Action: func(c *cli.Context) error {
			opts := inspectOptions{Paths: c.Args().Slice(), JSON: c.Bool("json"), Strict: c.Bool("strict"), IncludePII: c.Bool("include-pii")}
			if len(opts.Paths) == 0 {
				return usagef("name at least one file or folder to inspect")
			}
			if err := refuseEmptyPath(opts.Paths, "an empty path is given as a file or folder to inspect"); err != nil {
				return err
			}
			var err error
			if opts.Zone, err = zoneFlag(c.String("timezone")); err != nil {
				return err
			}
			return runInspect(c.Context, opts, c.App.Writer, c.App.ErrWriter)
		},
	}
}

// zoneFlag reads a --timezone value; "" means not given.
func zoneFlag(name string) (*time.Location, error) {
	if name == "" {
		return nil, nil
	}
	loc, known := parse.LoadZone(name)
	if !known {
		return nil, usagef("--timezone %q is not a time zone name like America/Vancouver", name)
	}
	return loc, nil
}

func runInspect(ctx context.Context, opts inspectOptions, stdout, stderr io.Writer) error {
	inputs, skipped, err := parse.Expand(opts.Paths)
	if err != nil {
		return err
	}
	var summaries []parse.Summary
	var failed []string
	prog := newProgress(stderr, totalSize(inputs))
	for _, in := range inputs {
		s := parse.Inspect(in, parse.InspectOptions{Strict: opts.Strict, Zone: opts.Zone, IncludePII: opts.IncludePII,
			Opened: func(o *parse.Opened) { prog.file(in.Path, o.BytesRead) }})
		if s.Err != nil {
			s.Err = hideStrictValue(s.Err, opts.IncludePII, hiddenValueNotePII)
			failed = append(failed, in.Path)
		}
		summaries = append(summaries, s)
		var strict *parse.ErrStrict
		if errors.As(s.Err, &strict) {
			break
		}
	}
	prog.finish()
	if opts.JSON {
		err = writeInspectJSON(stdout, summaries, skipped, opts.IncludePII)
	} else {
		err = writeInspectTable(stdout, summaries, skipped, opts.IncludePII)
	}
	if err != nil {
		return err
	}
	switch {
	case len(failed) == 1:
		return fmt.Errorf("%s could not be read (see above why)", failed[0])
	case len(failed) > 1:
		return fmt.Errorf("%d of %d inputs could not be read, %s first (see above why)", len(failed), len(inputs), failed[0])
	}
	return nil
}

// inspectJSON is the --json contract.
type inspectJSON struct {
	Inputs  []inputJSON   `json:"inputs"`
	Skipped []skippedJSON `json:"skipped,omitempty"`
}

// skippedJSON is something inside a folder that is not read, and why.
type skippedJSON struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

type inputJSON struct {
	Path            string         `json:"path"`
	Kind            string         `json:"kind"`
	Records         int            `json:"records"`
	Accepted        int            `json:"accepted"`
	Rejected        int            `json:"rejected"`
	Duplicates      int            `json:"duplicates"`
	Timezone        string         `json:"timezone"`
	ColumnsMapped   []string       `json:"columns_mapped"`
	ColumnsUnmapped []string       `json:"columns_unmapped"`
	FirstAt         string         `json:"first_at"`
	LastAt          string         `json:"last_at"`
	Initiators      map[string]int `json:"initiators"`
	Rejects         []rejectJSON   `json:"rejects"`
	Warnings        []rejectJSON   `json:"warnings,omitempty"`
	Notes           []string       `json:"notes,omitempty"`
	Error           string         `json:"error,omitempty"`
}

type rejectJSON struct {
	Line   int    `json:"line"`
	Record int    `json:"record,omitempty"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// maxRejectsShown bounds the rejects printed per input; the counts cover all.
const maxRejectsShown = 100

// writeInspectJSON writes the --json contract. A rejected value that may be
// personal data reads report.HiddenValue unless includePII, as in
// rejected.csv.
func writeInspectJSON(w io.Writer, summaries []parse.Summary, skipped []parse.Skipped, includePII bool) error {
	out := inspectJSON{Inputs: []inputJSON{}}
	for _, s := range summaries {
		in := inputJSON{
			Path: s.Path, Kind: string(s.Kind), Records: s.Tally.Read, Accepted: s.Tally.Accepted,
			Rejected: s.Tally.Rejected, Duplicates: s.Tally.Duplicates, Timezone: s.Zone,
			ColumnsMapped: nonNil(s.Mapped), ColumnsUnmapped: nonNil(s.Unmapped),
			FirstAt: rfc3339(s.First), LastAt: rfc3339(s.Last),
			Initiators: s.Initiators, Rejects: rejectsJSON(s.Rejects, includePII), Warnings: rejectsJSON(s.Warnings, includePII),
			Notes: s.Notes,
		}
		if in.Initiators == nil {
			in.Initiators = map[string]int{}
		}
		if s.Err != nil {
			in.Error = s.Err.Error()
		}
		out.Inputs = append(out.Inputs, in)
	}
	for _, s := range skipped {
		out.Skipped = append(out.Skipped, skippedJSON{Path: s.Path, Reason: s.Reason})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func rejectsJSON(rs []parse.Reject, includePII bool) []rejectJSON {
	out := []rejectJSON{}
	for i, r := range rs {
		if i == maxRejectsShown {
			break
		}
		out = append(out, rejectJSON{Line: r.Line, Record: r.Record, Column: r.Column,
			Value: report.ShownValue(r.Column, r.Value, includePII), Reason: r.Reason})
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// rejectsShownInTable is how many rejects and warnings the table lists per
// input; --json lists up to maxRejectsShown.
const rejectsShownInTable = 5

func writeInspectTable(w io.Writer, summaries []parse.Summary, skipped []parse.Skipped, includePII bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tKIND\tRECORDS\tACCEPTED\tREJECTED\tDUPLICATES\tTIME ZONE\tFIRST\tLAST\t")
	var total parse.Tally
	for _, s := range summaries {
		kind := string(s.Kind)
		if s.Err != nil && kind == "" {
			kind = "unreadable"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t\n", s.Path, kind, s.Tally.Read, s.Tally.Accepted,
			s.Tally.Rejected, s.Tally.Duplicates, orDash(s.Zone), localStamp(s.First, s.Zone), localStamp(s.Last, s.Zone))
		total = total.Add(s.Tally)
	}
	if len(summaries) > 1 {
		fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t\t\t\t\n", total.Read, total.Accepted, total.Rejected, total.Duplicates)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range summaries {
		writeInspectDetails(w, s, includePII)
	}
	if len(skipped) > 0 {
		fmt.Fprintln(w)
		printSkipped(w, skipped)
	}
	return nil
}

// printSkipped lists what the folders named held that is not read, one
// sentence each, so that nothing in them is left out unseen.
func printSkipped(w io.Writer, skipped []parse.Skipped) {
	for _, s := range skipped {
		fmt.Fprintln(w, s)
	}
}

func writeInspectDetails(w io.Writer, s parse.Summary, includePII bool) {
	fmt.Fprintf(w, "\n%s", s.Path)
	if s.Format != "" {
		fmt.Fprintf(w, " (%s)", s.Format)
	}
	fmt.Fprintln(w)
	if s.Err != nil {
		fmt.Fprintf(w, "  cannot be read: %v\n", s.Err)
	}
	if s.Kind == parse.KindExport {
		fmt.Fprintf(w, "  columns mapped: %d; not mapped (kept, not compared): %d\n", len(s.Mapped), len(s.Unmapped))
		if len(s.Unmapped) > 0 {
			fmt.Fprintf(w, "    not mapped: %s\n", strings.Join(s.Unmapped, " | "))
		}
	}
	if keys := s.Initiators.Keys(); len(keys) > 0 {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", k, s.Initiators[k])
		}
		fmt.Fprintf(w, "  began as: %s\n", strings.Join(parts, ", "))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
	writeRejectList(w, "rejected", s.Tally.Rejected, s.Rejects, includePII)
	writeRejectList(w, "warnings", len(s.Warnings), s.Warnings, includePII)
}

// writeRejectList lists the first rejects, one sentence each, without a
// value that may be personal data unless includePII.
func writeRejectList(w io.Writer, label string, count int, rs []parse.Reject, includePII bool) {
	if count == 0 {
		return
	}
	fmt.Fprintf(w, "  %s: %d\n", label, count)
	for i, r := range rs {
		if i == rejectsShownInTable {
			fmt.Fprintf(w, "    … %d more (use --json to list up to %d)\n", count-i, maxRejectsShown)
			break
		}
		fmt.Fprintf(w, "    %s\n", hideValue(r, includePII, hiddenValueNotePII).Error())
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// localStamp shows a time in the input's own zone, as the analyst sees it.
func localStamp(t time.Time, zone string) string {
	if t.IsZero() {
		return "-"
	}
	if loc, err := time.LoadLocation(strings.Split(zone, ",")[0]); err == nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04 MST")
}

// totalSize is the bytes of the inputs on disk, for the progress display.
func totalSize(inputs []parse.Input) int64 {
	var total int64
	for _, in := range inputs {
		total += in.Size()
	}
	return total
}
