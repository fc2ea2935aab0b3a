package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/icrecon/icrecon/fixtures"
	"github.com/icrecon/icrecon/parse"
)

// demoOptions are the inputs of `icrecon demo`.
type demoOptions struct {
	Out string
}

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "run reconcile on the sample workspace built into icrecon",
		Description: `demo reconciles the sample workspace embedded in icrecon — a Reports CSV
export of October 2025, API pulls of the same conversations, the dashboard
figures and the workspace's settings (America/Vancouver, office hours, bot
ids) — exactly as "icrecon reconcile" would, and writes every output into
--out: report.xlsx, summary.json, conversations.csv, differences.csv,
bridge.csv, rejected.csv, evidence/ and evidence.zip (the bundle to attach to a ticket).

The sample carries planted discrepancies of every kind icrecon explains
(fixtures/sample/README.md lists them), so the workbook and the bridges show
each cause and step at least once.

EXAMPLE:
   icrecon demo --out /tmp/icrecon-demo

` + exitHelp("the results could not be written", ""),
		Flags: []cli.Flag{
			pathFlag(&cli.StringFlag{Name: "out", Value: "icrecon-demo", Usage: "folder to write the results into (created if missing)"}),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("demo takes no arguments; %q is not a flag", c.Args().First())
			}
			return runDemo(c.Context, demoOptions{Out: c.String("out")}, c.App.Writer, c.App.ErrWriter)
		},
	}
}

func runDemo(ctx context.Context, opts demoOptions, stdout, stderr io.Writer) error {
	ws, err := sampleWorkspace()
	if err != nil {
		return err
	}
	s := settings{Zone: ws.Zone, Workspace: ws, OfficeHoursGiven: ws.Schedule != nil}
	s.Metrics.Schedule, s.Metrics.Bots = ws.Schedule, botsOf(ws.Bots)
	ropts := reconcileOptions{
		FS: fixtures.Sample, Settings: s, Out: opts.Out,
		ExportPaths: []string{"sample/export.csv"}, APIPaths: []string{"sample/api"}, DashboardPath: "sample/dashboard.csv",
		Command: "icrecon demo --out " + quoteArg(opts.Out),
	}
	fmt.Fprintf(stdout, "Reconciling the sample workspace built into icrecon (300 conversations, October 2025).\n\n")
	if err := runReconcile(ctx, ropts, stdout, stderr); err != nil {
		return err
	}
	abs, _ := filepath.Abs(opts.Out)
	fmt.Fprintf(stdout, "\nThe results are in %s: open report.xlsx (start with its Summary sheet), or read evidence/evidence.md (evidence.zip is the same bundle in one file, to attach to a ticket).\n", abs)
	return nil
}

// sampleWorkspace reads the embedded sample's workspace.yaml.
func sampleWorkspace() (*parse.Workspace, error) {
	inputs, _, err := parse.ExpandFS(fixtures.Sample, []string{"sample/workspace.yaml"})
	if err != nil {
		return nil, err
	}
	o, err := inputs[0].Open()
	if err != nil {
		return nil, err
	}
	defer o.Close()
	return parse.ReadWorkspace(o)
}
