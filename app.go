package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/internal/oneline"
	"github.com/icrecon/icrecon/parse"
)

// version and commit may be set at build time, with -ldflags
// "-X main.version=… -X main.commit=$(git rev-parse --short HEAD)"; without
// them the commit comes from what go build records of the checkout.
var (
	version = "0.1.0-dev"
	commit  = ""
)

// versionLine is the version with the commit it was built from, when the
// build recorded one (go build in a git checkout does).
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	commit, modified := commit, ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if commit == "" {
				commit = s.Value
			}
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", with local changes"
			}
		}
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if commit == "" {
		return version + " (" + info.GoVersion + ")"
	}
	return version + " (commit " + commit + modified + ", " + info.GoVersion + ")"
}

// Exit codes, the same for every command.
const (
	exitOK        = 0
	exitFailure   = 1
	exitUsage     = 2
	exitThreshold = 3
)

// exitHelp is a command's EXIT STATUS section: what failure means for it,
// and its threshold, if it has one.
func exitHelp(failure, threshold string) string {
	out := "EXIT STATUS:\n   0  done\n   1  failure: " + failure + "\n   2  usage: a flag or argument is wrong"
	if threshold != "" {
		out += "\n   3  " + threshold
	}
	return out
}

// readFailure is what exit status 1 means for the commands that read inputs.
const readFailure = "an input could not be read, or a record was rejected under --strict"

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef is a usageError. Its string arguments are what the user typed (a
// flag's value, an argument), so each is shortened (oneline.Shorten): a
// 100,000-character --timezone is not echoed whole. Fixed words belong in
// format.
func usagef(format string, args ...any) error {
	shown := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			a = oneline.Shorten(s, oneline.MaxValue)
		}
		shown[i] = a
	}
	return usageError{fmt.Sprintf(format, shown...)}
}

// run builds the app, runs it and turns the outcome into an exit code. It is
// main without os.Exit, so tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// Never a Go stack trace for the user: a bug is one sentence, and
		// ICRECON_DEBUG=1 shows the stack for the report.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "icrecon: internal error: %v (this is a bug in icrecon; please report it with the command you ran)\n", p)
			if os.Getenv("ICRECON_DEBUG") != "" {
				fmt.Fprintf(stderr, "%s", debug.Stack())
			}
			code = exitFailure
		}
	}()
	app := newApp(stdout, stderr)
	err := flagsGivenOnce(app, args)
	if err == nil {
		err = app.RunContext(ctx, moveFlagsFirst(app, args))
	}
	if err == nil {
		return exitOK
	}
	code = exitCode(err)
	command := "icrecon"
	if len(args) > 1 && app.Command(args[1]) != nil {
		command += " " + args[1]
	}
	fmt.Fprintf(stderr, "%s: %v\n", command, err)
	if code == exitUsage {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", command)
	}
	return code
}

// exitCode is the one place errors become exit codes.
func exitCode(err error) int {
	var usage usageError
	var strict *parse.ErrStrict
	var threshold thresholdError
	switch {
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &threshold):
		return exitThreshold
	case errors.As(err, &strict):
		return exitFailure
	}
	return exitFailure
}

// thresholdError is returned when --fail-on is crossed.
type thresholdError struct{ msg string }

func (e thresholdError) Error() string { return e.msg }

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:    "icrecon",
		Usage:   "explain why Intercom's numbers disagree",
		Version: versionLine(),
		Description: `icrecon reads what a support-operations analyst holds — the Reports
"Conversations" CSV export, conversations pulled from the REST API, the
figures on the dashboard, and the workspace's office hours — puts them on one
footing, and accounts for every record and every difference.

Every input record is accepted, rejected with a located reason, or counted as
a duplicate; the totals are checked and shown.

Start with "icrecon demo": it reconciles a sample workspace built into
icrecon and writes the workbook, the CSVs and the evidence bundle.
"icrecon help COMMAND" (or "icrecon COMMAND --help") explains a command;
"icrecon completion bash|zsh|fish" prints a shell completion script.

` + exitHelp("an input could not be read, a record was rejected under --strict, an output could not be written, or Intercom refused a pull",
			"reconcile --fail-on unexplained and something is unexplained, or pull --fail-on incomplete and the pull is not complete"),
		Writer:    stdout,
		ErrWriter: stderr,
		Commands:  commands(),
		// Errors are returned to run, which prints them and picks the exit
		// code; the library must never call os.Exit itself.
		ExitErrHandler: func(*cli.Context, error) {},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("there is no command %q; the commands are "+commandNames(), c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		OnUsageError: onUsageError,
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsageError
	}
	return app
}

func commands() []*cli.Command {
	return []*cli.Command{
		inspectCommand(),
		metricsCommand(),
		reconcileCommand(),
		demoCommand(),
		pullCommand(),
		completionCommand(),
		candidatesCommand(),
	}
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		if !c.Hidden {
			names = append(names, c.Name)
		}
	}
	names = append(names, "help")
	return strings.Join(names, ", ")
}

// onUsageError keeps flag mistakes short: the error and where to get help,
// not the whole manual. What the user typed (an unknown flag's name, a
// value that does not parse) is shortened, as usagef shortens it.
func onUsageError(c *cli.Context, err error, _ bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimLeft(name, "-")
		msg = fmt.Sprintf("flag provided but not defined: --%s", oneline.Shorten(name, oneline.MaxValue))
		if near := nearestFlag(c, name); near != "" {
			msg += fmt.Sprintf("; did you mean --%s?", near)
		}
	}
	// Go's flag package: invalid value "VALUE" for flag -NAME: REASON.
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if quoted, err := strconv.QuotedPrefix(rest); err == nil {
			value, _ := strconv.Unquote(quoted)
			msg = "invalid value " + oneline.Quote(value) + rest[len(quoted):]
		}
	}
	return usageError{msg}
}

// nearestFlag is the command's flag whose name is within two edits of
// name, "" when none is.
func nearestFlag(c *cli.Context, name string) string {
	var flags []cli.Flag
	if c.Command != nil && c.Command.Name != "" {
		flags = c.Command.Flags
	} else if c.App != nil {
		flags = c.App.Flags
	}
	best, bestDistance := "", 3
	for _, f := range flags {
		for _, n := range f.Names() {
			if d := editDistance(n, name); d < bestDistance {
				best, bestDistance = n, d
			}
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two short words.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// flagsGivenOnce refuses a flag of one value given twice ("--out a --out
// b"): urfave/cli keeps the last in silence, so a second --dashboard would
// drop the first one's figures without a word. Flags that take a list
// (--export, --api, --variant) may repeat; so may switches, which only say
// yes.
func flagsGivenOnce(app *cli.App, args []string) error {
	given, ok := scanArgs(app, args)
	if !ok {
		return nil
	}
	single := map[string]string{} // every name of a one-value flag → its first name
	for _, f := range given.cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		list, isList := f.(interface{ IsSliceFlag() bool })
		if isBool || isList && list.IsSliceFlag() {
			continue
		}
		for _, name := range f.Names() {
			single[name] = f.Names()[0]
		}
	}
	seen := map[string]bool{}
	for _, g := range given.flags {
		first, ok := single[g.name]
		if !ok {
			continue
		}
		if seen[first] {
			return usagef("--%s is given twice; it takes one value, and icrecon will not guess which one you meant", first)
		}
		seen[first] = true
	}
	return nil
}

// moveFlagsFirst lets flags follow the files ("inspect a.csv --json"): Go's
// flag parsing stops at the first argument that is not a flag, which would
// silently turn "--json" into a file name. Flags that take a value keep it.
func moveFlagsFirst(app *cli.App, args []string) []string {
	given, ok := scanArgs(app, args)
	if !ok {
		return args
	}
	out := []string{args[0], args[1]}
	for _, g := range given.flags {
		out = append(out, g.tokens...)
	}
	if len(given.positional) > 0 {
		out = append(append(out, "--"), given.positional...)
	}
	return out
}

// commandArgs are a command's arguments sorted as urfave/cli reads them.
type commandArgs struct {
	cmd        *cli.Command
	flags      []givenFlag
	positional []string
}

// givenFlag is one flag as typed.
type givenFlag struct {
	name   string   // without its dashes or =value
	tokens []string // the flag, and its value when given apart
}

// scanArgs sorts the arguments of the command args name; false when there
// is none to sort (no command, a command that parses its own, nothing
// after it). A flag that takes a value takes the next argument, whatever
// it looks like.
func scanArgs(app *cli.App, args []string) (commandArgs, bool) {
	if len(args) < 3 {
		return commandArgs{}, false
	}
	cmd := app.Command(args[1])
	if cmd == nil || cmd.SkipFlagParsing {
		return commandArgs{}, false
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, name := range f.Names() {
			takesValue[name] = !isBool
		}
	}
	given := commandArgs{cmd: cmd}
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			given.positional = append(given.positional, rest[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			given.positional = append(given.positional, a)
			continue
		}
		name, _, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		g := givenFlag{name: name, tokens: []string{a}}
		if takesValue[name] && !inline && i+1 < len(rest) {
			g.tokens = append(g.tokens, rest[i+1])
			i++
		}
		given.flags = append(given.flags, g)
	}
	return given, true
}
