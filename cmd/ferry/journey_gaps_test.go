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
var journeyKnownGaps = map[string][]string{
	// notes.csv (gzip) is read as Windows-1252 text: its garbage becomes 2 note rows
	// quarantined at extract, extract exits 0 without naming the file and run exits 6 for
	// them. deals:pipeline: plan collapses Klipy's "Sales" into the sandbox's default
	// "Pipeline" where the answer (like the shared folders') wants it created.
	"unreadable-file": {"step:extract", "mentions:extract", "step:run", "deals:pipeline"},
	// The one Latin-1 byte makes the whole people.csv read as Windows-1252: every accented
	// name garbled, the bad row kept, extract exits 0 without naming the file.
	"bad-utf8-row": {"step:extract", "mentions:extract", "counts:persons", "names"},
	// p2 (the row whose quote never closes) is lost without extract naming people.csv.
	"broken-quote": {"mentions:extract"},
	// Tags "Wholesale" and "newsletter" have no label in the label decisions: a company and a
	// person are quarantined and hold 3 people, 2 deals and their children; 2 interactions
	// without a subject are quarantined (required subject); tasks lose their due time.
	"sheets-export": {
		"step:run", "counts:persons", "counts:organizations", "counts:deals", "counts:activities",
		"counts:notes", "counts:files", "deals:missing", "activities:missing", "activities:due", "labels",
		"custom_fields", // Size (51-200, 11-50) is not created as an enum custom field
	},
	// Tag "premium" has no label in the label decisions: its person is quarantined and holds
	// deal V-2024-004 with its interactions and a note; 2 interactions without a subject are
	// quarantined (required subject).
	"excel-eu": {
		"step:run", "counts:persons", "counts:deals", "counts:activities", "counts:notes",
		"deals:missing", "activities:missing",
	},
	// 3 interactions without a subject are quarantined (required subject); tasks lose their
	// due time.
	"crm-dump": {
		"counts:activities", "activities:missing", "activities:due",
	},
}

// journeyMasked lists, per folder, the checks not compared today because the records they
// compare are missing (see journeyKnownGaps' deals:missing and activities:missing): they
// may fail once those records arrive, and are logged as MASKED until then.
var journeyMasked = map[string][]string{
	"sheets-export": {
		"deals:person_email", "deals:org_name", "deals:status", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:type", "activities:participant_email",
	},
	"excel-eu": {
		"deals:person_email", "deals:org_name", "deals:status", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:type", "activities:participant_email", "activities:due",
	},
	"crm-dump": {"activities:type", "activities:participant_email"},
}
