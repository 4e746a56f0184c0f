// Package verify proves a migration field by field (ferry verify, DESIGN.md §1): it reads
// back every record the id map says is done or merged through Pipedrive's list endpoints
// (500 a page; files 100, that endpoint's maximum; never one GET per record), rebuilds the
// body the mapping intended with the engine's own resolver (migrate.Engine.ReadSchema and
// Intended: the schema Pipedrive holds and the id map), and compares them with the
// equivalences Pipedrive's storage calls for (package compare, shared with run --sample):
// e-mails lower-cased, phones by digits, numbers by value, instants by instant across RFC 3339 and
// "YYYY-MM-DD HH:MM:SS", HTML by its text, option and label ids as sets, custom fields
// nested under custom_fields. Completeness too: every record the plan meant to move must be
// in Pipedrive, found by its Klipy ID field or marker apart from the id map, unless its loss
// was accepted (Config.AcceptLoss). A deleted record counts as missing; links whose target
// Pipedrive no longer lists are reported; a duplicate is checked on its survivor, and a
// survivor merged into an existing record only on the fields its patch wrote.
//
// The Result (counts per kind, the first mismatches, requests and tokens spent) is stored
// with Save as the decision "verification"/"last" and read back with Load.
package verify
