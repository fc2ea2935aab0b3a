package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/outdir"
	"github.com/icrecon/icrecon/internal/outfile"
	"github.com/icrecon/icrecon/parse"
	"github.com/icrecon/icrecon/reconcile"
	"github.com/icrecon/icrecon/report"
)

// reconcileOptions are the inputs of `icrecon reconcile`.
type reconcileOptions struct {
	ExportPaths   []string
	APIPaths      []string
	DashboardPath string
	Settings      settings
	Period        *reconcile.Period
	Out           string
	FailOn        string // "" or "unexplained"
	Strict        bool
	// SkipBadFigures goes on without a dashboard row that cannot be read;
	// without it such a row stops the run (--skip-bad-figures).
	SkipBadFigures bool
	IncludePII     bool // customer names and e-mails in the evidence bundle
	// ExportTakenAt is when the export was taken (--export-taken-at), for an
	// export that says it nowhere.
	ExportTakenAt time.Time
	Command       string // the command line, for the summary and evidence
	// FS, when set, is where the inputs are (the demo's embedded sample).
	FS fs.FS
}

func reconcileCommand() *cli.Command {
	return &cli.Command{
		Name:  "reconcile",
		Usage: "join the export and the API pulls, explain every difference, bridge each dashboard figure",
		Description: `reconcile reads Reports CSV exports (--export), API pulls (--api), the
dashboard figures you typed (--dashboard) and the workspace's settings, and:

  - joins them by conversation id: every conversation is matched, export_only
    or api_only, and every record accepted, rejected or a duplicate (checked);
  - compares every field two sides both state (export vs API, API vs the
    statistics recomputed from the parts, export vs recomputed) and gives each
    difference one cause: parts_truncated, stale, timezone, office_hours,
    anchor, bot_author, reopened, definition, rounding, or unexplained;
  - for each dashboard figure, computes the naive export value, the value
    recomputed under Intercom's definition, and a bridge between them in named
    steps, each with the conversations it moved, ending in a residual.

Definitions and detectors: docs/metrics.md and docs/reconcile.md.

It writes into --out: report.xlsx (the workbook: summary with a waterfall
chart per figure, fields, differences, conversations, export only, API only,
rejected rows, definitions, run), summary.json (schema icrecon.summary/v1),
conversations.csv, differences.csv, bridge.csv, rejected.csv, evidence/
(evidence.md: what to ask Intercom, and where in bridge.csv and
differences.csv the ids are) and evidence.zip (evidence/ with the two CSVs
it refers to, in one file to attach to a ticket). No output holds names, e-mails or message bodies unless
--include-pii. It prints a summary.
Give every export and every pull in one run: the exports are read first and
each pulled conversation is compared as it is read.

EXAMPLE:
   icrecon reconcile --export fixtures/sample/export.csv --api fixtures/sample/api \
     --dashboard fixtures/sample/dashboard.csv --workspace fixtures/sample/workspace.yaml --out out/

` + metricsHelp() + `

` + variantHelp() + `

` + exitHelp(readFailure+", or the results could not be written", "--fail-on unexplained, and a difference or a figure's residual is unexplained"),
		Flags: append([]cli.Flag{
			pathsFlag(&cli.StringSliceFlag{Name: "export", Usage: "Reports CSV export: a file, folder or .gz (repeatable)"}),
			pathsFlag(&cli.StringSliceFlag{Name: "api", Usage: "API pull: a file, folder or .gz (repeatable)"}),
			pathFlag(&cli.StringFlag{Name: "dashboard", Usage: "dashboard figures: metric,from,to,value[,timezone][,hours]; metric as icrecon's id or Intercom's label (\"Median first response time\")"}),
			&cli.BoolFlag{Name: "skip-bad-figures", Usage: "go on without a dashboard row that cannot be read (listed in rejected.csv); without it such a row stops the run (exit 1)"},
			pathFlag(&cli.StringFlag{Name: "out", Usage: "folder to write the results into (created if missing)"}),
			&cli.StringFlag{Name: "fail-on", Usage: "exit 3 when there is something unexplained: unexplained"},
			&cli.BoolFlag{Name: "strict", Usage: "stop at the first rejected record (exit 1)"},
			&cli.StringFlag{Name: "export-taken-at", Usage: "when the export was taken, e.g. 2025-11-03T10:00:00 (the workspace zone): for an export without \"Conversation updated at\" or any other time, to tell a stale export"},
			&cli.BoolFlag{Name: "include-pii", Usage: "add customers' names and e-mail addresses (from the export) to the evidence bundle (evidence/customers.csv, for the conversations it names), and rejected records' raw rows to report.xlsx and rejected.csv"},
		}, append(periodFlags("to reconcile: only conversations whose thread starts in it (workspace zone)"), settingsFlags()...)...),
		Action: func(c *cli.Context) error {
			opts, err := reconcileOptionsFrom(c)
			if err != nil {
				return err
			}
			return runReconcile(c.Context, opts, c.App.Writer, c.App.ErrWriter)
		},
	}
}

// metricsHelp lists the dashboard metrics reconcile knows, for --help.
func metricsHelp() string {
	var b strings.Builder
	b.WriteString("DASHBOARD METRICS (the metric column of --dashboard):")
	for _, m := range intercom.Metrics {
		b.WriteString("\n   " + m.ID)
	}
	return b.String()
}

func reconcileOptionsFrom(c *cli.Context) (reconcileOptions, error) {
	opts := reconcileOptions{
		ExportPaths: c.StringSlice("export"), APIPaths: c.StringSlice("api"), DashboardPath: c.String("dashboard"),
		Out: c.String("out"), FailOn: c.String("fail-on"), Strict: c.Bool("strict"), SkipBadFigures: c.Bool("skip-bad-figures"), IncludePII: c.Bool("include-pii"),
	}
	switch {
	case c.NArg() > 0:
		return opts, usagef("inputs are given with --export, --api and --dashboard; %q is not a flag", c.Args().First())
	case len(opts.ExportPaths) == 0 && len(opts.APIPaths) == 0:
		return opts, usagef("give at least one --export or --api")
	case opts.Out == "":
		return opts, usagef("give --out, the folder to write the results into")
	case opts.FailOn != "" && opts.FailOn != "unexplained":
		return opts, usagef("--fail-on takes unexplained, not %q", opts.FailOn)
	}
	var err error
	if opts.Settings, err = readSettings(c); err != nil {
		return opts, err
	}
	if at := c.String("export-taken-at"); at != "" {
		if opts.ExportTakenAt, err = parseTakenAt(at, opts.Settings.Zone); err != nil {
			return opts, err
		}
	}
	from, to, ok, err := readPeriod(c)
	if err != nil {
		return opts, err
	}
	if ok {
		zone := opts.Settings.Zone
		if zone == nil {
			zone = time.UTC
		}
		opts.Period = &reconcile.Period{From: from, To: to, Zone: zone}
	}
	opts.Command = commandLine(c)
	return opts, nil
}

// parseTakenAt reads an instant as RFC 3339, or a local date and time in
// the workspace zone.
func parseTakenAt(s string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if zone == nil {
		zone = time.UTC
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--export-taken-at %q is not a time like 2025-11-03T10:00:00 (the workspace zone) or 2025-11-03T18:00:00Z", s)
}

// commandLine rebuilds the command as given, for the summary and evidence
// (never a token: reconcile takes none).
func commandLine(c *cli.Context) string {
	parts := []string{"icrecon", "reconcile"}
	for _, name := range c.FlagNames() {
		for _, v := range flagValues(c, name) {
			parts = append(parts, "--"+name, quoteArg(v))
		}
	}
	return strings.Join(parts, " ")
}

func flagValues(c *cli.Context, name string) []string {
	if vs := c.StringSlice(name); len(vs) > 0 {
		return vs
	}
	if v := c.String(name); v != "" {
		return []string{v}
	}
	if c.Bool(name) {
		return []string{"true"}
	}
	return nil
}

func quoteArg(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"'$\\;&|<>*?") {
		return strconv.Quote(s)
	}
	return s
}

func runReconcile(ctx context.Context, opts reconcileOptions, stdout, stderr io.Writer) error {
	generatedAt, err := generationTime()
	if err != nil {
		return err
	}
	if err := readableTwice(opts); err != nil {
		return err
	}
	err = writeOutDir(opts.Out, opts.inputPaths(), func(dir string) error {
		run, err := newReconcileRun(opts, dir)
		if err != nil {
			return err
		}
		run.stderr, run.generatedAt = stderr, generatedAt
		defer run.close()
		res, err := run.read()
		if err != nil {
			run.progress.finish()
			run.printTrailing()
			return err
		}
		summary := report.NewSummary(res, run.info(res))
		err = run.write(res, summary)
		run.progress.finish()
		run.printTrailing()
		if err != nil {
			return err
		}
		report.WriteTerminal(stdout, summary, outputWidth(stdout))
		fmt.Fprintf(stdout, "\nwrote %s\n", strings.Join(outputFiles, ", "))
		return failOn(opts.FailOn, res)
	})
	// The record --strict stopped at is told as rejected.csv tells it.
	return hideStrictValue(err, opts.IncludePII, hiddenValueNotePII)
}

// outputFiles are the files reconcile writes, in the order it lists them.
var outputFiles = []string{"report.xlsx", "summary.json", "conversations.csv", "differences.csv", "bridge.csv", "rejected.csv", "evidence/", "evidence.zip"}

// reconcileRun is one reconciliation in progress.
type reconcileRun struct {
	opts        reconcileOptions
	dir         string
	rec         *reconcile.Reconciler
	differences *report.DifferencesCSV
	diffFile    *os.File
	// rejectedCSV lists every rejected record as it is rejected; rejected
	// keeps, per input, the first ones for the workbook's sheet.
	rejectedCSV  *report.RejectedCSV
	rejectedFile *os.File
	inputs       []report.Input
	exportZone   string
	rejected     []report.Rejected
	progress     *progress // nil unless stderr is a terminal
	stderr       io.Writer
	// trailing says, one sentence each, what followed a gzip file's data
	// and was ignored; printed once the progress line is gone.
	trailing []string
	learning *reconcile.Learning
	phases   phases
	// generatedAt is the one time every output records (generationTime).
	generatedAt time.Time
}

func newReconcileRun(opts reconcileOptions, dir string) (*reconcileRun, error) {
	f, err := os.Create(filepath.Join(dir, "differences.csv"))
	if err != nil {
		return nil, err
	}
	d, err := report.NewDifferencesCSV(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	run := &reconcileRun{opts: opts, dir: dir, differences: d, diffFile: f}
	if run.rejectedFile, err = os.Create(filepath.Join(dir, "rejected.csv")); err != nil {
		f.Close()
		return nil, err
	}
	if run.rejectedCSV, err = report.NewRejectedCSV(run.rejectedFile, opts.IncludePII); err != nil {
		run.close()
		return nil, err
	}
	pulls := readManifests(opts.APIPaths)
	run.rec = reconcile.New(reconcile.Options{
		Metrics: opts.Settings.Metrics, Zone: opts.Settings.Zone, Period: opts.Period, OnDifference: d.Write,
		KeepPersonalData: opts.IncludePII, Pinned: opts.Settings.Pinned, LegacyFiles: pulls.legacy, PullWindow: pulls.window,
		ZoneSource: opts.Settings.ZoneSource, ScheduleSource: opts.Settings.ScheduleSource, ExportTakenAt: opts.ExportTakenAt,
	})
	return run, nil
}

func (run *reconcileRun) close() {
	run.diffFile.Close()
	run.rejectedFile.Close()
}

// reject lists one rejected record in rejected.csv.
func (run *reconcileRun) reject(r parse.Reject) error {
	return run.rejectedCSV.Write(report.Rejected{File: r.File, Line: r.Line, Record: r.Record, Column: r.Column, Value: r.Value, Reason: r.Reason, Raw: r.Raw})
}

// expand lists the files to read, and says on standard error what the
// folders held that is not read.
func (run *reconcileRun) expand(paths []string) ([]parse.Input, error) {
	expand := parse.Expand
	if run.opts.FS != nil {
		expand = func(paths []string) ([]parse.Input, []parse.Skipped, error) {
			return parse.ExpandFS(run.opts.FS, paths)
		}
	}
	inputs, skipped, err := expand(paths)
	printSkipped(run.stderr, skipped)
	return inputs, err
}

// read feeds every input to the reconciler: all exports, then all pulls,
// then the figures.
func (run *reconcileRun) read() (*reconcile.Result, error) {
	exports, err := run.expand(run.opts.ExportPaths)
	if err != nil {
		return nil, err
	}
	pulls, err := run.expand(run.opts.APIPaths)
	if err != nil {
		return nil, err
	}
	// Listed before the progress line starts, so no message cuts into it.
	dashboards, err := run.expandDashboard()
	if err != nil {
		return nil, err
	}
	run.progress = newProgress(run.stderr, totalSize(exports)+totalSize(pulls))
	run.phases.mark(run.stderr, "start")
	// The reconciler's records tell which ids each source has met, across
	// its files.
	for _, in := range exports {
		if err := run.readExport(in, run.rec.ExportLedger()); err != nil {
			return nil, err
		}
	}
	run.phases.mark(run.stderr, "read the exports")
	run.progress.doing("learning the workspace's definitions from the first conversations of the pulls")
	if err := run.learn(pulls); err != nil {
		return nil, err
	}
	run.phases.mark(run.stderr, "learned")
	for _, in := range pulls {
		if err := run.readAPI(in, run.rec.APILedger()); err != nil {
			return nil, err
		}
	}
	figures, err := run.readDashboard(dashboards)
	if err != nil {
		return nil, err
	}
	run.phases.mark(run.stderr, "read the pulls")
	run.progress.doing(fmt.Sprintf("working out %d dashboard figures and their bridges", len(figures)))
	res, err := run.rec.Finish(figures)
	run.phases.mark(run.stderr, "figures")
	if err == nil {
		run.phases.liveHeap(run.stderr, res.Accounting.Conversations)
	}
	return res, err
}

func (run *reconcileRun) readExport(in parse.Input, ledger parse.Ledger) error {
	o, err := openAs(in, parse.KindExport, "export")
	if err != nil {
		return err
	}
	defer o.Close()
	run.progress.file(in.Path, o.BytesRead)
	info, err := parse.ReadExport(o, parse.ExportOptions{Zone: run.opts.Settings.Zone, Strict: run.opts.Strict, Ledger: ledger, OnReject: run.reject, ReuseConversations: true}, run.rec.AddExport)
	if err != nil {
		return err
	}
	if zone := strings.Split(info.Zone, ",")[0]; zone != "" {
		if loc, err := time.LoadLocation(zone); err == nil {
			run.rec.SetExportZone(loc)
			if run.exportZone == "" {
				run.exportZone = zone
			}
		}
	}
	run.rec.CountExport(info.Tally.Read, info.Tally.Rejected, info.Tally.Duplicates)
	run.addInput(info.File, info.Tally, info.Rejects, true)
	return nil
}

func (run *reconcileRun) readAPI(in parse.Input, ledger parse.Ledger) error {
	o, err := openAs(in, parse.KindAPI, "api")
	if err != nil {
		return err
	}
	defer o.Close()
	run.progress.file(in.Path, o.BytesRead)
	info, err := parse.ReadAPIPrepared(o, parse.APIOptions{Strict: run.opts.Strict, Ledger: ledger, Lean: true, OnReject: run.reject, ReuseConversations: true}, run.rec.PrepareAPI, run.rec.AddAPI)
	if err != nil {
		return err
	}
	run.rec.CountAPI(info.Tally.Read, info.Tally.Rejected, info.Tally.Duplicates)
	run.addInput(info.File, info.Tally, info.Rejects, true)
	return nil
}

// pullManifests is what the pulls' manifest.json files say.
type pullManifests struct {
	// legacy are the files of pulls made with an API version before 2.6,
	// which reports assignments, attribute changes and workflow events as
	// comment parts (singer-io/tap-intercom#65).
	legacy map[string]bool
	// window is the span every pull's manifest says it covers; zero when a
	// pull has no manifest (coverage then comes from the data).
	window reconcile.Window
}

func readManifests(paths []string) pullManifests {
	m := pullManifests{legacy: map[string]bool{}}
	all := len(paths) > 0
	for _, dir := range paths {
		b, err := os.ReadFile(filepath.Join(dir, intercom.PullManifestFile))
		var manifest struct {
			Schema string `json:"schema"`
			Query  struct {
				APIVersion string    `json:"api_version"`
				From       time.Time `json:"from"`
				To         time.Time `json:"to"`
			} `json:"query"`
		}
		// A manifest.json of another schema is no pull's: it was read as
		// an input, like any file.
		if err != nil || json.Unmarshal(b, &manifest) != nil || manifest.Schema != intercom.PullManifestSchema {
			all = false
			continue
		}
		q := manifest.Query
		switch {
		case q.To.IsZero():
			all = false
		case m.window.From.IsZero() || q.From.Before(m.window.From):
			m.window.From = q.From
			fallthrough
		default:
			if q.To.After(m.window.To) {
				m.window.To = q.To
			}
		}
		if !beforeVersion(q.APIVersion, 2, 6) {
			continue
		}
		inputs, _, _ := parse.Expand([]string{dir})
		for _, in := range inputs {
			m.legacy[in.Path] = true
		}
	}
	if !all {
		m.window = reconcile.Window{}
	}
	return m
}

// beforeVersion reports whether an Intercom-Version like "2.5" is older
// than major.minor; an unreadable one is not.
func beforeVersion(v string, major, minor int) bool {
	a, b, ok := strings.Cut(strings.TrimSpace(v), ".")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return false
	}
	return x < major || x == major && y < minor
}

// readableTwice refuses a pull given as a pipe (--api <(zcat …)): the
// pulls are read twice, first the beginning to learn from, then in full,
// and the second read of a pipe would find it emptied by the first. It is
// asked before the output folder is claimed. (A pipe inside a folder is
// never read: the folder walk skips it.)
func readableTwice(opts reconcileOptions) error {
	if opts.FS != nil {
		return nil
	}
	for _, p := range opts.APIPaths {
		if info, err := os.Stat(p); err == nil && !info.IsDir() && !info.Mode().IsRegular() {
			return usagef("--api %s is a pipe or a device, not a file: reconcile reads the pulls twice (the first conversations to learn from, then all of them), and what a pipe gave once is gone; save it to a file first (… > pull.jsonl) and give that file", p)
		}
	}
	return nil
}

// learn looks at the first conversations of the pulls (reconcile.LearnFrom
// complete ones) to learn each source's readings and, when none were given,
// the office hours, before the pulls are read in full. Records are not
// accounted for here: the full read does that.
func (run *reconcileRun) learn(pulls []parse.Input) error {
	ledger := parse.IDSet{}
	for _, in := range pulls {
		o, err := openAs(in, parse.KindAPI, "api")
		if err != nil {
			return err
		}
		_, err = parse.ReadAPIPrepared(o, parse.APIOptions{Ledger: ledger, Lean: true, ReuseConversations: true}, run.rec.Observe, run.rec.AddObservation)
		o.Close()
		if errors.Is(err, reconcile.ErrLearnedEnough) {
			break
		}
		if err != nil {
			return err
		}
	}
	run.learning = run.rec.Learn()
	return nil
}

func (run *reconcileRun) expandDashboard() ([]parse.Input, error) {
	if run.opts.DashboardPath == "" {
		return nil, nil
	}
	return run.expand([]string{run.opts.DashboardPath})
}

func (run *reconcileRun) readDashboard(inputs []parse.Input) ([]intercom.Figure, error) {
	var figures []intercom.Figure
	for _, in := range inputs {
		o, err := openAs(in, parse.KindDashboard, "dashboard")
		if err != nil {
			return nil, err
		}
		info, err := parse.ReadDashboard(o, run.opts.Strict)
		o.Close()
		if err != nil {
			return nil, err
		}
		if err := badFigures(info, run.opts.SkipBadFigures, run.opts.IncludePII); err != nil {
			return nil, err
		}
		figures = append(figures, info.Figures...)
		if err := run.addInput(info.File, info.Tally, info.Rejects, false); err != nil {
			return nil, err
		}
	}
	return figures, nil
}

// badFigures stops the run at a dashboard row that could not be read, unless
// told to go on: a figure left out silently is a question never answered.
// The row's value is said as rejected.csv says it (report.ShownValue).
func badFigures(info *parse.DashboardInfo, skip, includePII bool) error {
	if skip || len(info.Rejects) == 0 {
		return nil
	}
	more := ""
	switch n := info.Tally.Rejected - 1; {
	case n == 1:
		more = " (and 1 more row)"
	case n > 1:
		more = fmt.Sprintf(" (and %d more rows)", n)
	}
	return fmt.Errorf("%s%s. Fix the row, or run with --skip-bad-figures to go on without it", hideValue(info.Rejects[0], includePII, hiddenValueNotePII).Error(), more)
}

// addInput records an input read and the rejects its reader kept (for the
// workbook's sheet); listed says they are already in rejected.csv (the
// reader streamed every one there), else they are written there now.
func (run *reconcileRun) addInput(f parse.FileInfo, t parse.Tally, rejects []parse.Reject, listed bool) error {
	run.inputs = append(run.inputs, report.Input{Path: f.Path, Kind: string(f.Kind), SHA256: f.SHA256, Records: t.Read, Rejected: t.Rejected, Duplicates: t.Duplicates})
	if f.Trailing != "" {
		run.trailing = append(run.trailing, f.Path+": "+f.Trailing)
	}
	for _, r := range rejects {
		run.rejected = append(run.rejected, report.Rejected{File: r.File, Line: r.Line, Record: r.Record, Column: r.Column, Value: r.Value, Reason: r.Reason, Raw: r.Raw})
		if !listed {
			if err := run.reject(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// printTrailing lists on standard error what followed the data of gzip
// files and was ignored: no record, but not to be passed over unseen.
func (run *reconcileRun) printTrailing() {
	for _, t := range run.trailing {
		fmt.Fprintln(run.stderr, t)
	}
}

// info is what the summary says of the run beyond the results.
func (run *reconcileRun) info(res *reconcile.Result) report.RunInfo {
	s := run.opts.Settings
	ws := report.Workspace{OfficeHours: "all hours (none given or learned)", ClosedDays: []string{}, Bots: []string{}, Variants: readingsInUse(res.Learning)}
	switch {
	case s.Zone != nil:
		ws.Timezone = s.Zone.String()
	default:
		ws.Timezone = run.exportZone
	}
	if sch := res.Learning.Schedule.Schedule; sch != nil {
		ws.OfficeHours = sch.Spec() + " in " + sch.Zone().String() + " (" + res.Learning.Schedule.Source + ")"
		for _, d := range sch.Closed() {
			ws.ClosedDays = append(ws.ClosedDays, d.String())
		}
	}
	if s.Workspace != nil {
		ws.AppID = s.Workspace.AppID
		ws.Bots = append(ws.Bots, s.Workspace.Bots...)
	}
	return report.RunInfo{Version: version, GeneratedAt: run.generatedAt, Command: run.opts.Command, Workspace: ws, Inputs: run.inputs}
}

// readingsInUse names, per source, the readings other than the defaults.
func readingsInUse(l *reconcile.Learning) string {
	var parts []string
	for _, side := range []reconcile.Side{reconcile.API, reconcile.Export} {
		var changed []string
		for _, c := range l.Readings {
			if c.Source == side && c.Reading != c.Family.Readings()[0] {
				changed = append(changed, c.Family.Name()+"="+c.Reading)
			}
		}
		if len(changed) > 0 {
			parts = append(parts, side.String()+": "+strings.Join(changed, " "))
		}
	}
	if len(parts) == 0 {
		return "Intercom's defaults (docs/metrics.md §6)"
	}
	return strings.Join(parts, "; ") + "; every other family at Intercom's default"
}

// generationTime is now, unless SOURCE_DATE_EPOCH pins it (reproducible
// outputs). It is taken once per run, so that every output records the
// same second. A value that is not a time a zip file can hold (1980 to
// 2107) is refused: ignored, the run would not be the reproducible one
// asked for, and out of range, the evidence bundle's dates would wrap.
func generationTime() (time.Time, error) {
	const earliest, latest = 315532800, 4354819199 // 1980-01-01, 2107-12-31T23:59:59 UTC
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now().UTC().Truncate(time.Second), nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < earliest || n > latest {
		return time.Time{}, usagef("SOURCE_DATE_EPOCH=%s is not a time icrecon can record: give whole seconds since 1970 from %d (1980) to %d (2107), or unset it to record the time of the run", s, earliest, latest)
	}
	return time.Unix(n, 0).UTC(), nil
}

func (run *reconcileRun) write(res *reconcile.Result, summary report.Summary) error {
	if err := errors.Join(run.differences.Close(), run.rejectedCSV.Close()); err != nil {
		return err
	}
	run.progress.doing("writing report.xlsx, summary.json, the CSVs and the evidence")
	collectSoonerWhileWriting()
	// The workbook takes longest; the other files are written meanwhile.
	workbook := make(chan error, 1)
	go func() {
		workbook <- report.WriteWorkbook(filepath.Join(run.dir, "report.xlsx"), report.WorkbookInput{
			Summary: summary, Result: res, DifferencesCSV: filepath.Join(run.dir, "differences.csv"),
			Rejected: run.rejected, Zone: run.zone(), AppID: summary.Workspace.AppID, GeneratedAt: run.generatedAt,
			IncludePersonalData: run.opts.IncludePII,
		})
	}()
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"summary.json", summary.WriteJSON},
		{"conversations.csv", func(w io.Writer) error { return report.WriteConversationsCSV(w, res) }},
		{"bridge.csv", func(w io.Writer) error { return report.WriteBridgeCSV(w, res) }},
	}
	var errs []error
	for _, wr := range writers {
		errs = append(errs, writeFile(filepath.Join(run.dir, wr.name), wr.write))
	}
	run.phases.mark(run.stderr, "summary and CSVs")
	evidence := filepath.Join(run.dir, "evidence")
	err := report.WriteEvidence(evidence, report.EvidenceInput{
		Summary: summary, Result: res, DifferencesCSV: filepath.Join(run.dir, "differences.csv"),
		AppID: summary.Workspace.AppID, IncludePersonalData: run.opts.IncludePII,
	})
	// evidence.zip packs bridge.csv and differences.csv as written, so it
	// comes after both are complete: differences.csv was closed first,
	// bridge.csv in the loop above. It is not made when either failed.
	if err == nil && errors.Join(errs...) == nil {
		err = report.WriteEvidenceZip(filepath.Join(run.dir, "evidence.zip"), evidence, run.generatedAt)
	}
	errs = append(errs, err)
	run.phases.mark(run.stderr, "evidence")
	errs = append(errs, <-workbook)
	run.phases.mark(run.stderr, "workbook (written beside the rest)")
	return errors.Join(errs...)
}

// phases prints how long each phase of a run took, when ICRECON_TIMINGS is
// set: for bench/ and profiling, never in tests' assertions.
// ICRECON_MEMPROFILE=PREFIX also writes the live heap at the end of each
// phase to PREFIX.1, PREFIX.2, ….
type phases struct {
	last    time.Time
	lastCPU time.Duration
	n       int
}

func (p *phases) mark(w io.Writer, name string) {
	if os.Getenv("ICRECON_TIMINGS") == "" {
		return
	}
	now, cpu := time.Now(), processCPU()
	if !p.last.IsZero() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Fprintf(w, "timing %-36s %6.2f s  cpu %6.2f s  heap %4d MB  peak RSS %4d MB\n", name, now.Sub(p.last).Seconds(), (cpu - p.lastCPU).Seconds(), m.HeapAlloc>>20, peakRSS()>>20)
	}
	if prefix := os.Getenv("ICRECON_MEMPROFILE"); prefix != "" {
		p.n++
		if f, err := os.Create(fmt.Sprintf("%s.%d", prefix, p.n)); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	p.last, p.lastCPU = now, cpu
}

// liveHeap prints the heap that outlives the reading, after a collection,
// and what it is per conversation: the records and the figures' results.
func (p *phases) liveHeap(w io.Writer, conversations int) {
	if os.Getenv("ICRECON_TIMINGS") == "" || conversations == 0 {
		return
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(w, "timing live heap after the figures: %d MB, %d bytes per conversation (%d conversations)\n", m.HeapAlloc>>20, m.HeapAlloc/uint64(conversations), conversations)
	p.last, p.lastCPU = time.Now(), processCPU() // the collection is not the next phase's
}

// peakRSS is the process's peak resident memory so far, in bytes (0 where
// the system does not say).
func peakRSS() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// zone is the workspace's zone: given, else the export's, else UTC.
func (run *reconcileRun) zone() *time.Location {
	if run.opts.Settings.Zone != nil {
		return run.opts.Settings.Zone
	}
	if loc, err := time.LoadLocation(run.exportZone); err == nil && run.exportZone != "" {
		return loc
	}
	return time.UTC
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// failOn turns something unexplained into exit 3 when asked to.
func failOn(mode string, res *reconcile.Result) error {
	if mode != "unexplained" {
		return nil
	}
	diffs, figures := res.Unexplained()
	if diffs > 0 || figures > 0 {
		return thresholdError{fmt.Sprintf("--fail-on unexplained: %d unexplained differences and %d figures with a residual", diffs, figures)}
	}
	return nil
}

// inputPaths are the files and folders on disk the run reads, as given:
// --out must be none of them, nor inside one of the folders. The demo's
// inputs are embedded, not on disk.
func (o reconcileOptions) inputPaths() []string {
	if o.FS != nil {
		return nil
	}
	paths := slices.Concat(o.ExportPaths, o.APIPaths)
	if o.DashboardPath != "" {
		paths = append(paths, o.DashboardPath)
	}
	if ws := o.Settings.Workspace; ws != nil {
		paths = append(paths, ws.File.Path)
	}
	return paths
}

// writeOutDir runs write against a fresh folder inside dir (see
// internal/outdir) and switches dir to it only when it succeeds, so a failed
// run never leaves half of its results and a killed one changes nothing.
// A dir that is one of inputs, or inside a folder given as one, is refused
// before anything is made: the next run would read the results as inputs.
func writeOutDir(dir string, inputs []string, write func(tmp string) error) error {
	if err := outfile.CheckFolder(dir, inputs); err != nil {
		return err
	}
	out, err := outdir.Claim(dir, outputNames())
	if err != nil {
		return err
	}
	defer out.Release()
	gen, err := out.Begin()
	if err != nil {
		out.Abandon()
		return err
	}
	runErr := write(gen)
	var threshold thresholdError
	if runErr != nil && !asThreshold(runErr, &threshold) {
		out.Abandon()
		return runErr
	}
	if err := out.Commit(); err != nil {
		out.Abandon()
		return err
	}
	return runErr
}

// outputNames are outputFiles as names in the folder.
func outputNames() []string {
	names := make([]string, len(outputFiles))
	for i, f := range outputFiles {
		names[i] = strings.TrimSuffix(f, "/")
	}
	return names
}

func asThreshold(err error, target *thresholdError) bool {
	t, ok := err.(thresholdError)
	if ok {
		*target = t
	}
	return ok
}
