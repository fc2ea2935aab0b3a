// Package reconcile joins the sources by conversation id, compares every
// field two sides both state and labels each difference with one cause from a
// fixed taxonomy, and bridges each dashboard figure from the naive export
// value to the dashboard's in named steps. docs/reconcile.md is its contract.
//
// It is pure: conversations in, results out; files are the caller's.
package reconcile
