// Package report builds ferry's deliverables for the customer's admin (DESIGN.md §6) from
// what a workspace holds: the state store (snapshot counts, quarantine, runs, id map,
// journal, confirmed decisions, the engine's per-phase reconciliation) and the plan files
// (mapping.yaml, decisions.yaml, dedupe.json). Build gathers everything into a Report;
// WriteDir renders it three ways into one directory: report.md for people (with a table of
// contents), one CSV file per table for spreadsheets, and report.json with everything for
// tools.
//
// The report never invents data: a section whose source does not exist yet says so ("no
// run yet", "not verified yet", "none yet"). It reads no environment variable, so no secret
// can reach it.
//
// CSV cells that a spreadsheet would execute are neutralised with a leading single quote
// (see Neutralize).
//
// Errors: Build fails on store errors and on plan files that exist but cannot be read or
// parsed (a missing plan file is not an error: its sections say "not planned yet"); WriteDir
// fails on file-system errors. Every error is wrapped with the step that failed.
package report
