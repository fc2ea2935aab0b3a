package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/atomicfile"
	"github.com/icrecon/icrecon/internal/outfile"
	"github.com/icrecon/icrecon/metrics"
	"github.com/icrecon/icrecon/parse"
	"github.com/icrecon/icrecon/report"
)

// metricsOptions are the inputs of `icrecon metrics`.
type metricsOptions struct {
	APIPaths []string
	Settings settings
	Format   string // jsonl or csv
	Out      string // "" for standard output
	Strict   bool
}

func metricsCommand() *cli.Command {
	return &cli.Command{
		Name:  "metrics",
		Usage: "recompute Intercom's conversation statistics from the parts and compare them with the API's",
		Description: `metrics reads API pulls (conversations with their parts), recomputes every
field of Intercom's conversation statistics from the parts — everything after
the customer's first message, bots never counted as teammates, office hours
subtracted — and writes, for every conversation, the statistics as the API
states them beside the recomputed ones and the list of fields that differ.
Definitions: docs/metrics.md.

Durations are given twice: with office hours subtracted (the API's value) and
over all hours (<field>_all_hours). Without --workspace or --office-hours they
are over all hours, and a warning says so. A conversation with fewer parts
than Intercom counts (the API returns at most the 500 most recent) is marked
truncated: its values are given but not trusted.

On standard error: the accounting of every record read, and per field how
many conversations were compared, equal and different.

EXAMPLE:
   icrecon metrics --api fixtures/sample/api --workspace fixtures/sample/workspace.yaml --out metrics.jsonl
   icrecon metrics --api pull.jsonl.gz --timezone Europe/Dublin --office-hours "Mon-Fri 09:00-17:30" --format csv --out metrics.csv

` + variantHelp() + `

` + exitHelp(readFailure+", or the output could not be written", ""),
		Flags: append([]cli.Flag{
			pathsFlag(&cli.StringSliceFlag{Name: "api", Usage: "API pull: a file, folder or .gz (repeatable)"}),
			&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "jsonl (one object per conversation) or csv (one wide row per conversation)"},
			pathFlag(&cli.StringFlag{Name: "out", Usage: "the FILE to write (a file, unlike reconcile's and demo's --out, which name a folder): a new one, or an earlier metrics output to replace; none or - is standard output"}),
			&cli.BoolFlag{Name: "strict", Usage: "stop at the first rejected record (exit 1)"},
		}, settingsFlags()...),
		Action: func(c *cli.Context) error {
			opts := metricsOptions{APIPaths: c.StringSlice("api"), Format: c.String("format"), Out: c.String("out"), Strict: c.Bool("strict")}
			if len(opts.APIPaths) == 0 {
				return usagef("give at least one --api file or folder")
			}
			if c.NArg() > 0 {
				return usagef("inputs are given with --api; %q is not a flag", c.Args().First())
			}
			if opts.Format != "jsonl" && opts.Format != "csv" {
				return usagef("--format is jsonl or csv, not %q", opts.Format)
			}
			var err error
			if opts.Settings, err = readSettings(c); err != nil {
				return err
			}
			return runMetrics(c.Context, opts, c.App.Writer, c.App.ErrWriter)
		},
	}
}

func runMetrics(ctx context.Context, opts metricsOptions, stdout, stderr io.Writer) error {
	inputs, skipped, err := parse.Expand(opts.APIPaths)
	if err != nil {
		return err
	}
	mayWrite := func() error { return outfile.Check(opts.Out, opts.inputPaths(inputs), metricsOutput) }
	if err := mayWrite(); err != nil {
		return err
	}
	printSkipped(stderr, skipped)
	if !opts.Settings.OfficeHoursGiven {
		fmt.Fprintln(stderr, noOfficeHoursWarning)
	}
	err = writeOutput(opts.Out, stdout, mayWrite, func(w io.Writer) error {
		out := report.NewMetricsJSONL(w)
		if opts.Format == "csv" {
			out = report.NewMetricsCSV(w)
		}
		run := &metricsRun{opts: opts, out: out, tally: metrics.NewFieldTally(), ledger: parse.IDSet{}, progress: newProgress(stderr, totalSize(inputs))}
		for _, in := range inputs {
			if err := run.read(in); err != nil {
				run.progress.finish()
				return err
			}
		}
		run.progress.finish()
		if err := out.Close(); err != nil {
			return err
		}
		run.summary(stderr)
		return run.total.Check("all inputs")
	})
	// The record --strict stopped at is told as the summary tells rejects.
	return hideStrictValue(err, false, hiddenValueNote)
}

// metricsOutput is what metrics --out may replace: an earlier output of
// metrics, in either format, recognised by its first line.
var metricsOutput = outfile.Output{Name: "icrecon metrics output", IsEarlier: report.IsMetricsOutput}

// inputPaths are every file and folder the run reads: --out must be none
// of them, nor inside one of the folders.
func (o metricsOptions) inputPaths(expanded []parse.Input) []string {
	paths := slices.Clone(o.APIPaths)
	for _, in := range expanded {
		paths = append(paths, in.Path)
	}
	if ws := o.Settings.Workspace; ws != nil {
		paths = append(paths, ws.File.Path)
	}
	return paths
}

// metricsRun is the state of one `icrecon metrics` over its inputs.
type metricsRun struct {
	opts      metricsOptions
	out       report.MetricsWriter
	tally     metrics.FieldTally
	ledger    parse.IDSet
	total     parse.Tally
	files     int
	rows      int
	noParts   int
	truncated int
	rejects   []parse.Reject // the first maxRejectsPrinted, for standard error
	trailing  []string       // what followed a gzip file's data, ignored: one sentence each
	progress  *progress      // nil unless standard error is a terminal
}

// maxRejectsPrinted bounds the rejected records metrics describes; the
// counts cover all, and inspect lists more.
const maxRejectsPrinted = 10

func (r *metricsRun) read(in parse.Input) error {
	o, err := openAs(in, parse.KindAPI, "api")
	if err != nil {
		return err
	}
	defer o.Close()
	r.progress.file(in.Path, o.BytesRead)
	// Recomputing in the reader's workers uses every core; the parts are
	// then dropped, so memory does not grow with the input.
	prepare := func(c *intercom.Conversation) *intercom.Statistics {
		defer func() { c.Parts = nil }()
		if !c.HasParts {
			return nil
		}
		st := metrics.Recompute(c, r.opts.Settings.Metrics)
		return &st
	}
	info, err := parse.ReadAPIPrepared(o, parse.APIOptions{Strict: r.opts.Strict, Ledger: r.ledger, Lean: true, ReuseConversations: true}, prepare, r.write)
	if info != nil {
		r.total = r.total.Add(info.Tally)
		r.files++
		if t := info.File.Trailing; t != "" {
			r.trailing = append(r.trailing, in.Path+": "+t)
		}
		for _, rej := range info.Rejects {
			if len(r.rejects) < maxRejectsPrinted {
				r.rejects = append(r.rejects, rej)
			}
		}
	}
	return err
}

// write outputs one conversation; a duplicate id keeps its first record.
func (r *metricsRun) write(c *intercom.Conversation, recomputed *intercom.Statistics, duplicate bool) error {
	if duplicate {
		return nil
	}
	row := report.MetricsRow{ID: c.ID, Truncated: c.Truncated(), Reported: &c.Reported, Recomputed: recomputed}
	switch {
	case recomputed == nil:
		r.noParts++
	default:
		row.Differs = metrics.Differs(&c.Reported, recomputed)
		r.tally.Add(&c.Reported, recomputed, row.Truncated)
	}
	if row.Truncated {
		r.truncated++
	}
	r.rows++
	return r.out.Write(row)
}

func (r *metricsRun) summary(w io.Writer) {
	t := r.total
	fmt.Fprintf(w, "read %d records from %d files: %d accepted, %d rejected, %d duplicates\n", t.Read, r.files, t.Accepted, t.Rejected, t.Duplicates)
	for _, rej := range r.rejects {
		fmt.Fprintf(w, "  rejected %s\n", hideValue(rej, false, hiddenValueNote).Error())
	}
	if more := t.Rejected - len(r.rejects); more > 0 {
		fmt.Fprintf(w, "  … %d more rejected records (icrecon inspect --json FILE lists up to %d of each input)\n", more, maxRejectsShown)
	}
	for _, t := range r.trailing {
		fmt.Fprintf(w, "  note: %s\n", t)
	}
	fmt.Fprintf(w, "wrote %d conversations: %d recomputed", r.rows, r.rows-r.noParts)
	if r.truncated > 0 {
		fmt.Fprintf(w, " (%d with truncated histories: not trusted)", r.truncated)
	}
	if r.noParts > 0 {
		fmt.Fprintf(w, ", %d without parts (list or search pages) not recomputed", r.noParts)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "readings: %s\n\n", nonDefaultReadings(r.opts.Settings.Metrics.Variants))
	writeFieldTally(w, r.tally)
}

// writeFieldTally prints, per field, how many conversations were compared,
// equal and different.
func writeFieldTally(w io.Writer, tally metrics.FieldTally) {
	const row = "%-38s %9v %9v %9v %19v\n"
	fmt.Fprintf(w, row, "FIELD", "COMPARED", "EQUAL", "DIFFER", "DIFFER (TRUNCATED)")
	for i, f := range intercom.StatFields {
		if c := tally[i]; c.Compared > 0 {
			fmt.Fprintf(w, row, f.Name, c.Compared, c.Equal, c.Differ, c.DifferTruncated)
		}
	}
}

// writeOutput runs write against the named file, or standard output when
// name is empty or -. A file is written beside its final name and renamed
// into place, so a failed run never leaves half an output. mayWrite is
// asked again just before the rename: during a long run a file of the
// user's may have appeared at the name.
func writeOutput(name string, stdout io.Writer, mayWrite func() error, write func(io.Writer) error) error {
	if name == "" || name == "-" {
		return write(stdout)
	}
	return atomicfile.Write(name, func(w io.Writer) error {
		if err := write(w); err != nil {
			return err
		}
		return mayWrite()
	})
}

// nonDefaultReadings names the readings --variant changed, or says that all
// are Intercom's defaults.
func nonDefaultReadings(v metrics.Variants) string {
	var changed []string
	for _, f := range metrics.Families() {
		if v[f] != 0 {
			changed = append(changed, f.Name()+"="+v.ReadingOf(f))
		}
	}
	if len(changed) == 0 {
		return "Intercom's defaults (docs/metrics.md §6)"
	}
	return strings.Join(changed, " ")
}
