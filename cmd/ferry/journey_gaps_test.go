package main

// journeyKnownGaps lists, per hand-made export folder, the checks of
// TestJourneyHandMadeExports that still fail on main: their differences are logged as
// KNOWN GAPS instead of failing the test, so that main stays green while the work of issue
// 11 lands. A check not listed here fails the test. Shrink the list as that work lands: the
// test logs "KNOWN GAP SHOWS NO DIFFERENCE" for an entry that did not fail (it may still be
// masked by an earlier gap: a deal that is missing has no status to compare).
//
// Keys are the folder names: the shared ones (../shared/fixtures/harvests) and the hand-made
// cases in testdata/exports. journeyMasked lists the checks that cannot fail today only
// because the records they compare are missing (deals:missing, activities:missing).
// crm-dump and unreadable-file pass every check.
var journeyKnownGaps = map[string][]string{
	// The bad row is quarantined and every name is intact, but extract exits 0 and its
	// output does not name people.csv (only the quarantined count).
	"bad-utf8-row": {"step:extract", "mentions:extract"},
	// p2 (the row whose quote never closes) is lost without extract naming people.csv.
	"broken-quote": {"mentions:extract"},
	// Tags "Wholesale" and "newsletter" have no label in the label decisions: a company and
	// a person are quarantined and hold 3 people, 2 deals (D-101, D-105) and their 3
	// interactions, 1 task, 2 notes and 2 attachments (named by decide list as predicted
	// losses, which the journey accepts as a user would, so run exits 0). Size
	// (51-200, 11-50) is not created as an enum custom field.
	"sheets-export": {
		"counts:persons", "counts:organizations", "counts:deals", "counts:activities",
		"counts:notes", "counts:files", "deals:missing", "activities:missing", "labels", "custom_fields",
	},
	// Tag "premium" has no label in the label decisions: its person is quarantined and holds
	// deal V-2024-004, its 2 interactions and a note (named as predicted losses, accepted).
	"excel-eu": {
		"counts:persons", "counts:deals", "counts:activities", "counts:notes",
		"deals:missing", "activities:missing",
	},
}

// journeyMasked lists, per folder, the checks not compared today because the records they
// compare are missing (see journeyKnownGaps' deals:missing and activities:missing): they
// may fail once those records arrive, and are logged as MASKED until then.
var journeyMasked = map[string][]string{
	"sheets-export": {
		"deals:person_email", "deals:org_name", "deals:status", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:type", "activities:participant_email", "activities:due",
	},
	"excel-eu": {
		"deals:person_email", "deals:org_name", "deals:status", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:type", "activities:participant_email", "activities:due",
	},
}
