package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/intercom"
)

// periodFlags are the one way every command takes a period: --from and
// --to, both days included, or --period FROM..TO as a shorthand.
func periodFlags(what string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "from", Usage: "first day of the period " + what + ", YYYY-MM-DD"},
		&cli.StringFlag{Name: "to", Usage: "last day of the period, YYYY-MM-DD, included"},
		&cli.StringFlag{Name: "period", Usage: "the same as --from FROM --to TO, written FROM..TO (e.g. 2025-10-01..2025-10-31)"},
	}
}

// readPeriod reads --from/--to or --period; ok is false when none is given.
// Its messages name the flags as typed.
func readPeriod(c *cli.Context) (from, to intercom.Date, ok bool, err error) {
	f, t, p := c.String("from"), c.String("to"), c.String("period")
	fromFlag, toFlag := "--from", "--to"
	switch {
	case p != "" && (f != "" || t != ""):
		return from, to, false, usagef("give the period either as --from and --to or as --period, not both")
	case p != "":
		var cut bool
		if f, t, cut = strings.Cut(p, ".."); !cut {
			return from, to, false, usagef("--period %q should read FROM..TO, e.g. 2025-10-01..2025-10-31", p)
		}
		fromFlag, toFlag = "--period's first day", "--period's last day"
	case f == "" && t == "":
		return from, to, false, nil
	case f == "" || t == "":
		return from, to, false, usagef("give both --from and --to (the first and the last day of the period)")
	}
	if from, err = intercom.ParseDate(strings.TrimSpace(f)); err != nil {
		return from, to, false, usagef("%s %q is not a date like 2025-10-01", fromFlag, strings.TrimSpace(f))
	}
	if to, err = intercom.ParseDate(strings.TrimSpace(t)); err != nil {
		return from, to, false, usagef("%s %q is not a date like 2025-10-31", toFlag, strings.TrimSpace(t))
	}
	if from.After(to) {
		if p != "" {
			return from, to, false, usagef("--period %s ends before it starts", p)
		}
		return from, to, false, usagef("--to %s is before --from %s", to, from)
	}
	return from, to, true, nil
}
