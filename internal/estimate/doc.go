// Package estimate predicts what a migration will cost before it spends anything: the
// Pipedrive API tokens (schema setup, records, expected verification reads), the days of
// daily budget at a plan and seat count, the wall time at the plan's burst limit, and a
// complexity grade with its reasons (object compatibility, mapping clarity, source API
// constraints, volume), in the spirit of the service's estimator.
//
// The token model mirrors the call pattern of package migrate request by request: schema
// setup reads users, the custom fields of organizations, persons and deals (v2, 500 a page)
// and creates the fields the mapping needs plus ferry's own "Klipy ID" and "Klipy created
// at"; it reads each built-in label field (v1) and adds missing labels with a second read and
// one PUT per entity; it reads pipelines and stages and creates those the stage map creates.
// Each record then costs one create (v2 for organizations, persons, deals and activities; v1
// for notes and files), a survivor merged into an existing record one read and one PATCH,
// and a merged duplicate, a skipped, quarantined or held record nothing. A lost response
// adds a lookup (a list of what changed since the create, or of the parent's children); the
// expected share of lost responses is an option (0 by default: a healthy connection loses
// none). Verification mirrors ferry verify (package verify): the schema reads again, then
// every collection the id map points into and its link targets, as lists (500 a page; v1
// files 100).
//
// Costs never appear as literals here: every call's price is costs.Lookup of its method and
// path template, from Pipedrive's own OpenAPI documents.
//
// A Workload comes from a workspace (Simulate: a dry run of the confirmed mapping, decisions
// and dedupe merges over the snapshot, which predicts exactly which records will be created,
// merged, skipped, quarantined or held) or from bare counts (FromCounts, for a prospect
// without a workspace). Estimate prices it.
package estimate
