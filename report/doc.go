// Package report writes icrecon's results for people and machines: the
// per-conversation metrics rows (JSON Lines, CSV), and the reconciliation's
// summary, CSVs, workbook and evidence bundle. It is the only package that
// imports excelize.
package report
