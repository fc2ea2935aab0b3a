// Package parse reads what analysts bring — Reports CSV exports, REST API
// pulls, typed dashboard figures and workspace settings — into icrecon's
// domain types, accounting for every record: accepted, rejected with a located
// reason, or a duplicate. It knows file formats and nothing of reconciliation.
package parse
