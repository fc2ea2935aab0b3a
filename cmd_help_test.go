package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestHelp_NamesOnlyRealFlags reads every command's --help, and
// "icrecon help COMMAND", and checks that every --flag it mentions is one
// the command has (a line that shows another command, as in an example,
// speaks of that command's flags), and that every flag the command has is
// listed.
func TestHelp_NamesOnlyRealFlags(t *testing.T) {
	app := newApp(nil, nil)
	flagWord := regexp.MustCompile(`--[a-z][a-z-]*`)
	for _, cmd := range app.Commands {
		if cmd.Hidden || cmd.Name == "help" {
			continue
		}
		t.Run(cmd.Name, func(t *testing.T) {
			code, help, stderr := runCLI(t, cmd.Name, "--help")
			if code != exitOK {
				t.Fatalf("--help: exit %d: %s", code, stderr)
			}
			if code, viaHelp, _ := runCLI(t, "help", cmd.Name); code != exitOK || viaHelp != help {
				t.Errorf("icrecon help %s (exit %d) differs from icrecon %s --help", cmd.Name, code, cmd.Name)
			}
			var own []string
			for _, f := range cmd.Flags {
				own = append(own, "--"+f.Names()[0])
			}
			own = append(own, "--help")
			for _, line := range strings.Split(help, "\n") {
				if other := otherCommandIn(line, cmd.Name, app.Commands); other != "" {
					continue
				}
				for _, w := range flagWord.FindAllString(line, -1) {
					if !slices.Contains(own, w) {
						t.Errorf("the help mentions %s, which %s does not have: %q", w, cmd.Name, strings.TrimSpace(line))
					}
				}
			}
			for _, f := range own {
				if !strings.Contains(help, f) {
					t.Errorf("the help does not list %s", f)
				}
			}
		})
	}
	code, help, _ := runCLI(t, "--help")
	for _, want := range []string{"EXIT STATUS", "3  reconcile --fail-on unexplained", "pull --fail-on incomplete", "icrecon help COMMAND", "completion"} {
		if code != exitOK || !strings.Contains(help, want) {
			t.Errorf("the app's help does not say %q", want)
		}
	}
	_, help, _ = runCLI(t, "reconcile", "--help")
	for _, want := range []string{"new_conversations", "median_time_to_first_close", "reply_pairing: latest, first_of_run, bots_break", "EXIT STATUS"} {
		if !strings.Contains(help, want) {
			t.Errorf("reconcile's help does not list %q", want)
		}
	}
}

// otherCommandIn names another command a help line shows being run.
func otherCommandIn(line, self string, cmds []*cli.Command) string {
	for _, c := range cmds {
		if c.Name != self && strings.Contains(line, "icrecon "+c.Name) {
			return c.Name
		}
	}
	return ""
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, script, stderr := runCLI(t, "completion", shell)
		if code != exitOK || !strings.Contains(script, "icrecon") {
			t.Errorf("%s: exit %d, %s", shell, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "completion", "powershell"); code != exitUsage || !strings.Contains(stderr, "bash, zsh and fish") {
		t.Errorf("an unknown shell: exit %d, %s", code, stderr)
	}
	app := newApp(nil, nil)
	if got := completionCandidates(app, nil); !slices.Contains(got, "reconcile") || slices.Contains(got, "__complete") {
		t.Errorf("commands offered: %v", got)
	}
	if got := completionCandidates(app, []string{"reconcile"}); !slices.Contains(got, "--dashboard") || !slices.Contains(got, "--from") {
		t.Errorf("reconcile's flags offered: %v", got)
	}
}

func TestVersionNamesTheBuild(t *testing.T) {
	code, out, _ := runCLI(t, "--version")
	if code != exitOK || !strings.Contains(out, version) || !strings.Contains(out, "go1.") {
		t.Errorf("--version: %q", out)
	}
}
