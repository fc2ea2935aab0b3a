package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionCommand prints a shell script that completes icrecon's
// commands and flags. Bash and zsh ask icrecon itself for the candidates
// ("icrecon __complete WORD…", hidden), so the script never goes stale;
// fish's script lists them (urfave/cli's own fish writer recurses without
// end through the help command).
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: `completion prints a script that makes the shell complete icrecon's commands
and flags. Load it for this session, or add the line to your shell's
start-up file:

   bash:  source <(icrecon completion bash)        (~/.bashrc)
   zsh:   source <(icrecon completion zsh)         (~/.zshrc)
   fish:  icrecon completion fish | source         (~/.config/fish/config.fish)

` + exitHelp("the script could not be written", ""),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("name the shell: icrecon completion bash, zsh or fish")
			}
			return runCompletion(c.App, c.Args().First(), c.App.Writer)
		},
	}
}

// candidatesCommand answers the scripts: the commands when none is typed
// yet, else the typed command's flags.
func candidatesCommand() *cli.Command {
	return &cli.Command{
		Name:            "__complete",
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			for _, w := range completionCandidates(c.App, c.Args().Slice()) {
				fmt.Fprintln(c.App.Writer, w)
			}
			return nil
		},
	}
}

func completionCandidates(app *cli.App, typed []string) []string {
	var out []string
	if len(typed) == 0 {
		for _, cmd := range app.Commands {
			if !cmd.Hidden {
				out = append(out, cmd.Name)
			}
		}
		return out
	}
	cmd := app.Command(typed[0])
	if cmd == nil {
		return nil
	}
	for _, f := range cmd.Flags {
		out = append(out, "--"+f.Names()[0])
	}
	return out
}

func runCompletion(app *cli.App, shell string, stdout io.Writer) error {
	switch shell {
	case "bash":
		_, err := io.WriteString(stdout, bashCompletion)
		return err
	case "zsh":
		_, err := io.WriteString(stdout, zshCompletion)
		return err
	case "fish":
		_, err := io.WriteString(stdout, fishCompletion(app))
		return err
	}
	return usagef("completion: %q is not a shell icrecon knows; the shells are bash, zsh and fish", shell)
}

// bashCompletion asks icrecon for the words that may follow the line typed
// so far, and completes file names where a flag takes a path.
const bashCompletion = `# icrecon completion for bash: source <(icrecon completion bash)
_icrecon_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --export|--api|--dashboard|--workspace|--out|--token-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  local cmd=()
  (( COMP_CWORD > 1 )) && cmd=("${COMP_WORDS[1]}")
  COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete "${cmd[@]}" 2>/dev/null)" -- "$cur"))
}
complete -o default -F _icrecon_complete icrecon
`

// zshCompletion does the same through zsh's completion system.
const zshCompletion = `#compdef icrecon
# icrecon completion for zsh: source <(icrecon completion zsh)
_icrecon() {
  local -a candidates cmd
  (( CURRENT > 2 )) && cmd=("${words[2]}")
  candidates=("${(@f)$("${words[1]}" __complete "${cmd[@]}" 2>/dev/null)}")
  if (( ${#candidates} )); then
    compadd -a candidates
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef _icrecon icrecon; else autoload -U compinit && compinit && compdef _icrecon icrecon; fi
`

// fishCompletion lists every command and its flags, with their help.
func fishCompletion(app *cli.App) string {
	var b strings.Builder
	b.WriteString("# icrecon completion for fish: icrecon completion fish | source\n")
	b.WriteString("complete -c icrecon -f\n")
	for _, cmd := range app.Commands {
		if cmd.Hidden {
			continue
		}
		fmt.Fprintf(&b, "complete -c icrecon -n __fish_use_subcommand -a %s -d %s\n", cmd.Name, fishQuote(cmd.Usage))
		for _, f := range cmd.Flags {
			usage := ""
			if d, ok := f.(cli.DocGenerationFlag); ok {
				usage = d.GetUsage()
			}
			fmt.Fprintf(&b, "complete -c icrecon -n '__fish_seen_subcommand_from %s' -l %s -d %s\n", cmd.Name, f.Names()[0], fishQuote(usage))
		}
	}
	return b.String()
}

func fishQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }
