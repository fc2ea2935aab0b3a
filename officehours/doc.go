// Package officehours measures how many seconds between two instants fall
// inside a workspace's office hours (a weekly schedule in an IANA time zone,
// minus closed days), the way Intercom's API subtracts out-of-office time from
// conversation durations (docs/metrics.md §5).
package officehours

// The embedded zone database lets time.LoadLocation resolve the workspace's
// zone on machines without /usr/share/zoneinfo (minimal containers, Windows),
// so office hours never silently fall back to UTC there.
import _ "time/tzdata"
