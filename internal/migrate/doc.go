// Package migrate is ferry's migration engine: it turns the confirmed plan into Pipedrive
// records. Run first sets up the schema (pipelines and stages from the stage map, custom
// fields and their options from the mapping, label options from the label groups, the
// "Klipy ID" field on persons, organizations and deals and "Klipy created at" on deals),
// finding by name and type what exists and journaling what it creates. Then it runs the
// phases in dependency order: organizations, persons, deals, activities (interactions, then
// tasks), notes and files (attachments read from the harvest folder).
//
// Exactly once (DESIGN.md invariant 3). Every create is preceded by an id-map row in state
// in_flight carrying the request fingerprint. A create whose outcome is unknown (lost
// response, 5xx) and every in_flight row found on resume are looked up in Pipedrive before
// anything is re-sent: persons, organizations and deals by the "Klipy ID" custom field among
// the records the list endpoint says changed since the in-flight mark (newest first; lists
// are consistent right after a create, search is not: its index lags behind writes);
// activities and notes, which have no custom fields, by the marker
// line "(Klipy ID <id>)" appended to their note/content, among the parent's activities or
// notes (list endpoints, 500 a page). Done rows are never sent again. Every write is
// journaled with what undoes it before the id map says done: a crash between the two leaves
// at most a repeated journal entry for the same id, which a rollback treats as already undone.
//
// Refusals. A body Pipedrive's documented rules refuse (pipedrive.CreateRefusal: a note
// without content or without a deal, person, organization or lead; a nameless organization
// or person, a deal without a title; a property of the wrong JSON type; visible_to, status
// or currency outside their values; a lost reason or won/lost/close time the deal's status
// does not allow; a custom field value of the wrong shape or over its type's length) is
// never sent: the record is quarantined wrapping ErrRefused, and ferry plan's dry run
// (package estimate) predicts it with the same reason. A participant is always a person
// the id map has migrated (an unmigrated one is unlinked or holds the record). A
// create answered with another 4xx is stored failed with Pipedrive's message and its
// fingerprint, and is not sent again until its request body changes.
//
// Outcomes. Accounted tells an id-map row that accounts for its record (created, merged,
// skipped by an explicit decision) from a loss (quarantined, failed, held, open, or
// ErrCannotMove); LossReason words the loss.
//
// Merges. Dedupe members are never created: they are marked merged with their survivor's
// Pipedrive id. A survivor planned into an existing Pipedrive record is an update (fill
// blanks by default) whose pre-image is journaled first.
//
// Accounting (invariant 2). After each phase Reconcile classifies every source record of the
// kind by its id-map state; the row is stored as the cursor "migrate.reconcile.<kind>"
// (JSON, with the run id) and returned. A record without a final state breaks the identity
// and stops the run with ErrIdentity. A child whose parent is not migrated is held with the
// parent named in the reason and retried by the next run.
//
// Budget (invariant 7). Estimate prices what remains from the snapshot, the id map and the
// journal alone (one create per remaining record at its spec cost, plus schema setup). With
// Config.WaitForBudget, a step stopped by the daily budget pauses on Config.Clock until the
// BudgetError's Reset (Event.Pause says when it starts and ends) and carries on where it
// stopped; schema setup is not repeated.
//
// Sample. ChooseSample picks N records greedily to cover every class the snapshot has
// (object kind, interaction type and channel, merged and new, with attachments, with custom
// fields) and closes the set over parents and merge survivors; Config.Only restricts a run
// to it (its reconciliation rows count the slice and are not stored), and DiffSelection
// compares what was sent with what list endpoints read back, field by field.
//
// Progress. ProgressPrinter renders events as bars, throttled plain lines or JSON.
//
// Errors: Run returns *pipedrive.BudgetError (errors.Is ErrBudgetExhausted) when the daily
// budget runs out and it does not wait (or a whole day's budget moved nothing), the
// context's error when cancelled (both resumable by running again),
// ErrIdentity when accounting fails, and wrapped store or schema errors otherwise. A stop
// lets the requests already sent finish and sends no new one.
package migrate
