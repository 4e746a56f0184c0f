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
// Every folder passes every check: crm-dump, excel-eu, sheets-export, unreadable-file,
// bad-utf8-row and broken-quote.
var journeyKnownGaps = map[string][]string{}

// journeyMasked lists, per folder, the checks not compared today because the records they
// compare are missing (see journeyKnownGaps' deals:missing and activities:missing): they
// may fail once those records arrive, and are logged as MASKED until then.
var journeyMasked = map[string][]string{}
