package main

// journeyKnownGaps lists, per hand-made export folder, the checks of
// TestJourneyHandMadeExports that still fail on main: their differences are logged as
// KNOWN GAPS instead of failing the test, so that main stays green while the work of issue
// 11 lands. A check not listed here fails the test. Shrink the list as that work lands: the
// test logs "KNOWN GAP SHOWS NO DIFFERENCE" for an entry that did not fail (it may still be
// masked by an earlier gap: a deal that is missing has no status to compare).
//
// The deals:* and activities:* field checks are listed where deals:missing or
// activities:missing hides them today. Keys are the folder names: the shared ones
// (../shared/fixtures/harvests) and the hand-made cases in testdata/exports.
var journeyKnownGaps = map[string][]string{
	// testdata/exports: the invalid byte makes the whole people.csv read as Windows-1252
	// (every accented name garbled, the bad row kept), extract exits 0 without naming it.
	"bad-utf8-row": {"step:extract", "mentions:extract", "counts:persons", "names"},
	// testdata/exports: p2 (the row whose quote never closes) is lost without extract naming
	// people.csv.
	"broken-quote": {"mentions:extract"},
	// testdata/exports: extract aborts on the unreadable notes.csv instead of loading the
	// rest; deals:pipeline because plan collapses Klipy's "Sales" into the sandbox's default
	// "Pipeline" where the answer (like the shared folders') wants it created.
	"unreadable-file": {
		"step:extract", "mentions:extract", "step:plan", "step:decide", "step:lint", "step:confirm", "step:run", "step:verify",
		"counts:persons", "counts:organizations", "counts:deals", "counts:activities",
		"deals:missing", "deals:pipeline", "activities:missing", "owners",
	},
	"sheets-export": {
		"step:extract", "step:plan", "step:decide", "step:lint", "step:confirm", "step:run", "step:verify",
		"counts:persons", "counts:organizations", "counts:deals", "counts:activities", "counts:notes", "counts:files",
		"deals:missing", "deals:person_email", "deals:org_name", "deals:status", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:missing", "activities:type", "activities:participant_email", "activities:due",
		"pipelines", "labels", "owners", "custom_fields",
	},
	"excel-eu": {
		"step:run", // run exits 6: what the counts:* gaps lose is named as incomplete (issue 12)
		"counts:persons", "counts:organizations", "counts:activities", "counts:notes", "counts:files",
		// counts:deals, deals:missing: with Vorname/Nachname read, 13 of 14 persons move; the
		// 14th is quarantined on its tag "premium" (no label in the label decisions), which
		// holds deal V-2024-004.
		"counts:deals", "deals:missing",
		"deals:person_email", "deals:org_name", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:missing", "activities:type", "activities:participant_email", "activities:due",
		"pipelines", "labels", "owners", "custom_fields",
	},
	"crm-dump": {
		"step:extract", "step:plan", "step:decide", "step:lint", "step:confirm", "step:run", "step:verify",
		"counts:persons", "counts:organizations", "counts:deals", "counts:activities", "counts:notes", "counts:files",
		"deals:missing", "deals:person_email", "deals:org_name", "deals:status", "deals:close_date", "deals:pipeline", "deals:stage",
		"activities:missing", "activities:type", "activities:participant_email", "activities:due",
		"pipelines", "labels", "owners", "custom_fields", "refused", "duplicates",
	},
}
