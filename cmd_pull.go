package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/internal/atomicfile"
	"github.com/icrecon/icrecon/internal/pipewait"
	"github.com/icrecon/icrecon/pull"
)

// pullOptions are the inputs of `icrecon pull`.
type pullOptions struct {
	From, To    string // dates, both included, in Zone
	Zone        *time.Location
	By          string
	BaseURL     string
	APIVersion  string
	Concurrency int
	Out         string
	Token       string
	FailOn      string
	// InsecureHTTP allows a plain http:// --base-url (a test server).
	InsecureHTTP bool
}

func pullCommand() *cli.Command {
	return &cli.Command{
		Name:  "pull",
		Usage: "fetch conversations with their parts from Intercom's REST API, completely and resumably",
		Description: `pull searches Intercom for the conversations of a period (POST
/conversations/search, a day at a time, 150 per page), fetches each one with
its parts (GET /conversations/{id}), --concurrency requests at a time, and
writes them into --out as conversations.jsonl, one conversation per line,
which every icrecon command reads as an API pull, and manifest.json, which
records the query, the API version, the counts and the checks below.

The API token is read from the INTERCOM_TOKEN environment variable or from
--token-file (a file of at most 64 KiB holding the token alone; a UTF-8
byte-order mark, line ends and spaces around it are dropped, and a token
with any other control character, space or non-ASCII character is refused
before anything is sent). It is sent only to the API's address, over https
(--insecure-http allows plain http, for a test server), never to another
address a redirect points to, and it is never printed, logged or written:
what a server echoes of it, in any spelling, shows as [token].

Checks, on the terminal and in manifest.json:
  - search: the conversations each day's pages listed against Intercom's
    total_count (a search that lost its way is begun again, up to 3 times);
  - parts: conversations with fewer parts than Intercom counts (the API
    returns at most the 500 most recent) are listed as truncated;
  - changes: a conversation that changed between being listed and being
    fetched is fetched again; one that changed after it was fetched is
    listed; one that entered the period during the pull is fetched.

Rate limits are honoured (429 waits for X-RateLimit-Reset; requests slow down
as X-RateLimit-Remaining runs low); server errors, time-outs and dropped
connections are retried with growing, jittered waits.

If a pull stops — an error, Ctrl-C, even kill -9 — run the same command again:
it resumes from where conversations.jsonl ends, with nothing lost and nothing
twice. A finished pull run again says so and does nothing.

EXAMPLE:
   export INTERCOM_TOKEN=...   # or --token-file ~/.intercom-token
   icrecon pull --from 2025-10-01 --to 2025-10-31 --timezone America/Vancouver --out pull-2025-10
   icrecon reconcile --export export.csv --api pull-2025-10 --dashboard dashboard.csv --out out

` + exitHelp("Intercom could not be reached or refused the token, the folder holds another pull, or the pull could not be saved",
			"--fail-on incomplete, and the pull is not complete"),
		Flags: append([]cli.Flag{
			pathFlag(&cli.StringFlag{Name: "out", Usage: "folder to write conversations.jsonl and manifest.json into (required)"}),
			&cli.StringFlag{Name: "by", Value: "created_at", Usage: "which time puts a conversation in the period: created_at or updated_at"},
			&cli.StringFlag{Name: "timezone", Usage: "the zone the days are in (default UTC; the workspace's zone makes the days match Intercom's reports)"},
			pathFlag(&cli.StringFlag{Name: "workspace", Usage: "workspace.yaml, for its time zone"}),
			&cli.StringFlag{Name: "region", Value: "us", Usage: "the workspace's data region: us, eu or au"},
			&cli.StringFlag{Name: "base-url", Usage: "the API's address, instead of the region's (e.g. a proxy)"},
			&cli.StringFlag{Name: "api-version", Value: pull.DefaultVersion, Usage: "the Intercom-Version header"},
			&cli.IntFlag{Name: "concurrency", Value: 4, Usage: "requests in flight at once, searches and fetches together (1 to 32)"},
			pathFlag(&cli.StringFlag{Name: "token-file", Usage: "read the API token from this file instead of INTERCOM_TOKEN"}),
			&cli.BoolFlag{Name: "insecure-http", Usage: "allow a plain http:// --base-url, for a test server (the token travels unencrypted)"},
			&cli.StringFlag{Name: "fail-on", Usage: "exit 3 when the pull is not complete: incomplete"},
		}, periodFlags("to pull (required)")...),
		Action: func(c *cli.Context) error {
			opts, err := readPullOptions(c)
			if err != nil {
				return err
			}
			// Ctrl-C saves a checkpoint rather than leaving it to the next run.
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runPull(ctx, opts, c.App.Writer, c.App.ErrWriter)
		},
	}
}

func readPullOptions(c *cli.Context) (pullOptions, error) {
	from, to, hasPeriod, err := readPeriod(c)
	if err != nil {
		return pullOptions{}, err
	}
	opts := pullOptions{
		From: from.String(), To: to.String(), Out: c.String("out"), By: c.String("by"),
		BaseURL: c.String("base-url"), APIVersion: c.String("api-version"), Concurrency: c.Int("concurrency"),
		FailOn: c.String("fail-on"), InsecureHTTP: c.Bool("insecure-http"),
	}
	switch {
	case c.NArg() > 0:
		return opts, usagef("pull takes no arguments; %q is not a flag", c.Args().First())
	case !hasPeriod || opts.Out == "":
		return opts, usagef("pull needs a period (--from and --to, or --period FROM..TO) and --out")
	case opts.By != "created_at" && opts.By != "updated_at":
		return opts, usagef("--by %q: created_at or updated_at", opts.By)
	case opts.Concurrency < 1 || opts.Concurrency > 32:
		return opts, usagef("--concurrency %d: from 1 to 32", opts.Concurrency)
	case opts.FailOn != "" && opts.FailOn != "incomplete":
		return opts, usagef("--fail-on %q: the only choice is incomplete", opts.FailOn)
	case c.String("workspace") != "" && c.String("timezone") != "":
		return opts, usagef("give either --workspace or --timezone, not both")
	}
	if opts.BaseURL == "" {
		region := strings.ToLower(c.String("region"))
		if opts.BaseURL = pull.Regions[region]; opts.BaseURL == "" {
			return opts, usagef("--region %q: us, eu or au", c.String("region"))
		}
	}
	if err := pull.CheckBaseURL(opts.BaseURL, opts.InsecureHTTP); err != nil {
		return opts, usagef("--base-url %s %v", opts.BaseURL, err)
	}
	if opts.Zone, err = zoneFlag(c.String("timezone")); err != nil {
		return opts, err
	}
	if path := c.String("workspace"); path != "" {
		ws, err := readWorkspaceFile(path)
		if err != nil {
			return opts, err
		}
		opts.Zone = ws.Zone
	}
	opts.Token, err = readToken(c.String("token-file"))
	return opts, err
}

// readToken takes the token from the file, else from INTERCOM_TOKEN, and
// refuses one that cannot be a token before anything is sent.
func readToken(file string) (string, error) {
	if file == "" {
		env := os.Getenv("INTERCOM_TOKEN")
		if strings.TrimSpace(env) == "" {
			return "", usagef("no API token: set INTERCOM_TOKEN or give --token-file FILE (an Intercom access token with permission to read conversations)")
		}
		t, err := pull.CleanToken(env)
		if err != nil {
			return "", fmt.Errorf("INTERCOM_TOKEN %v", err)
		}
		return t, nil
	}
	b, err := readTokenFile(file)
	if err != nil {
		return "", err
	}
	t, err := pull.CleanToken(string(b))
	if err != nil {
		return "", fmt.Errorf("--token-file %s %v", file, err)
	}
	return t, nil
}

// maxTokenFile bounds what is read of --token-file: a token is one short
// line, and the file could be /dev/zero, a pipe or a huge file given by
// mistake.
const maxTokenFile = 64 << 10

// tokenFileWait is how long --token-file may take to read. A file reads at
// once; a named pipe waits for its writer (a password manager's `<(pass
// show …)` writes at once), and one that nothing writes would otherwise
// wait for ever.
var tokenFileWait = pipewait.Default

// readTokenFile bounds the whole read, not only its start as the inputs'
// is: a token is one short line, written at once.
func readTokenFile(file string) ([]byte, error) {
	b, err := pipewait.Do(tokenFileWait, func() ([]byte, error) { return readTokenFileNow(file) }, nil)
	var nothing *pipewait.NothingCame
	if errors.As(err, &nothing) {
		return nil, fmt.Errorf("--token-file %s: %w", file, err)
	}
	return b, err
}

func readTokenFileNow(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--token-file %s: cannot read it: %v", file, atomicfile.Cause(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("--token-file %s: cannot read it: %v", file, atomicfile.Cause(err))
	case len(b) > maxTokenFile:
		return nil, fmt.Errorf("--token-file %s is too large to be a token file (more than 64 KiB; a token is one short line)", file)
	}
	return b, nil
}

// period turns the two dates into [from, to) in the zone.
func (o pullOptions) period() (time.Time, time.Time, error) {
	zone := o.Zone
	if zone == nil {
		zone = time.UTC
	}
	from, err := time.ParseInLocation(time.DateOnly, o.From, zone)
	if err != nil {
		return from, from, usagef("--from %q is not a date like 2025-10-01", o.From)
	}
	last, err := time.ParseInLocation(time.DateOnly, o.To, zone)
	if err != nil {
		return from, from, usagef("--to %q is not a date like 2025-10-31", o.To)
	}
	if last.Before(from) {
		return from, from, usagef("--to %s is before --from %s", o.To, o.From)
	}
	return from, last.AddDate(0, 0, 1), nil
}

func runPull(ctx context.Context, opts pullOptions, stdout, stderr io.Writer) error {
	from, to, err := opts.period()
	if err != nil {
		return err
	}
	zone := "UTC"
	if opts.Zone != nil {
		zone = opts.Zone.String()
	}
	puller, err := pull.New(pull.Options{
		Dir:          opts.Out,
		Query:        pull.Query{BaseURL: strings.TrimRight(opts.BaseURL, "/"), APIVersion: opts.APIVersion, By: opts.By, From: from, To: to, Timezone: zone},
		Token:        opts.Token,
		Concurrency:  opts.Concurrency,
		Tool:         "icrecon/" + version,
		InsecureHTTP: opts.InsecureHTTP,
	})
	if err != nil {
		return usagef("%v", err)
	}
	// Everything said from here on can carry what a server sent.
	red := puller.Redactor()
	err = pullAndReport(ctx, opts, puller, zone, red.Writer(stdout), stderr)
	if _, ok := err.(thresholdError); ok {
		return err // the manifest's problems, redacted already; it keeps its exit status
	}
	return red.Error(err)
}

// pullAndReport runs the pull and tells how it went. What Run returns has
// the token hidden; stdout hides it too, and the progress line is hidden
// here.
func pullAndReport(ctx context.Context, opts pullOptions, puller *pull.Puller, zone string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "Pulling the conversations %s %s to %s (%s) from %s, API %s, %d at a time, into %s.\n",
		strings.TrimSuffix(opts.By, "_at"), opts.From, opts.To, zone, opts.BaseURL, opts.APIVersion, opts.Concurrency, opts.Out)
	// stderr is left unwrapped: the status line draws only on a terminal.
	line := newStatusLine(stderr, func() string { return puller.Redactor().String(pullProgressText(puller.Progress())) })
	res, err := puller.Run(ctx)
	line.finish()
	if res != nil {
		printPullStart(stdout, res)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("stopped; what was fetched is saved in %s: run the same command again to go on", opts.Out)
		}
		if res != nil && res.Manifest != nil {
			return fmt.Errorf("%v; what was fetched is saved in %s: run the same command again to go on", err, opts.Out)
		}
		return err
	}
	printPullSummary(stdout, res.Manifest, opts.Out)
	if opts.FailOn == "incomplete" && !res.Manifest.Completeness.Complete {
		return thresholdError{"--fail-on incomplete: " + strings.Join(res.Manifest.Completeness.Problems, "; ")}
	}
	return nil
}

func pullProgressText(p pull.Progress) string {
	text := fmt.Sprintf("pulling: day %d of %d, %d conversations fetched, %d requests", min(p.WindowsDone+1, p.Windows), p.Windows, p.Fetched, p.Requests)
	if p.Sweeping {
		text = fmt.Sprintf("listing the period again for what changed during the pull: %d conversations fetched, %d requests", p.Fetched, p.Requests)
	}
	if p.RateLimited > 0 {
		text += fmt.Sprintf(", %d rate-limited", p.RateLimited)
	}
	return text
}

func printPullStart(w io.Writer, res *pull.Result) {
	switch {
	case res.AlreadyComplete:
		fmt.Fprintln(w, "This pull is already complete; nothing to do. (Choose another --out for a fresh pull.)")
	case res.Resumed && res.TornBytes > 0:
		fmt.Fprintf(w, "Resumed an earlier run; cut off the torn last line it left (%d bytes).\n", res.TornBytes)
	case res.Resumed:
		fmt.Fprintln(w, "Resumed an earlier run.")
	}
}

func printPullSummary(w io.Writer, m *pull.Manifest, dir string) {
	n, c := m.Counts, m.Completeness
	fmt.Fprintln(w)
	fmt.Fprintf(w, "search    %d windows, %d pages: listed %d, Intercom's total_count %d; %d in the period", len(m.Windows), n.Pages, n.SearchListed, n.SearchTotalCount, n.Found)
	if n.FoundLate > 0 {
		fmt.Fprintf(w, " (%d entered it during the pull)", n.FoundLate)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "fetched   %d conversations with their parts, %d missing\n", n.Fetched, n.Missing)
	fmt.Fprintf(w, "parts     %d with a truncated history (Intercom returns at most 500 parts)%s\n", len(c.TruncatedHistories), truncatedList(c.TruncatedHistories))
	fmt.Fprintf(w, "changes   %d changed while being fetched and were fetched again, %d still changing, %d changed after they were fetched\n",
		len(c.UpdatedDuringPull), len(c.StillChanging), len(c.ChangedAfterFetch))
	perConversation := 0.0
	if n.Fetched > 0 {
		perConversation = float64(n.Requests) / float64(n.Fetched)
	}
	fmt.Fprintf(w, "requests  %d (%.2f per conversation), %d retried, %d answered 429; waits for the rate limit and retries %.1f s (summed over the concurrent fetches)\n", n.Requests, perConversation, n.Retries, n.RateLimited, n.WaitedSeconds)
	fmt.Fprintln(w)
	if c.Complete {
		fmt.Fprintln(w, "Complete: every conversation the search listed is in conversations.jsonl, and every search added up to its total_count.")
	} else {
		fmt.Fprintln(w, "INCOMPLETE:")
		for _, p := range c.Problems {
			fmt.Fprintf(w, "  - %s\n", p)
		}
		fmt.Fprintln(w, "Run the same command again to retry what is missing.")
	}
	fmt.Fprintf(w, "wrote %s, %s\n", filepath.Join(dir, pull.ConversationsFile), filepath.Join(dir, pull.ManifestFile))
}

func truncatedList(ts []pull.Truncated) string {
	var parts []string
	for i, t := range ts {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("… %d more in manifest.json", len(ts)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d of %d)", t.ID, t.Parts, t.Total))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}
