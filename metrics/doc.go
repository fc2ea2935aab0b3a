// Package metrics recomputes Intercom's conversation statistics from the raw
// parts, as docs/metrics.md defines them (office hours subtracted, bots
// excluded, everything measured after the first customer message), and holds
// the definitions of the dashboard's figures. It is pure: conversations in,
// statistics out; no files.
package metrics
