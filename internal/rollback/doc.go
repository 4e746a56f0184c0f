// Package rollback undoes a migration: it replays ferry's journal in reverse dependency order
// (files, notes, activities, deals, persons, organizations, then created label options,
// custom field options, custom fields, stages and pipelines), deleting what ferry created and
// patching the pre-image back into records it merged into. Each journal entry is marked
// undone only after Pipedrive confirmed its undo, so a rollback stopped at any point resumes
// where it stopped, and a finished one sends nothing when run again. A DELETE answered 404
// (or 410) counts as done: the item is already gone.
//
// Afterwards Prove compares every item the journal names with what Pipedrive holds (read
// through list endpoints, 500 a page): created items must be gone, merged-into records must
// carry their pre-image again.
//
// Error contract: Run and Prove return budget exhaustion (pipedrive.ErrBudgetExhausted),
// cancellation, rejected tokens and store errors; undos Pipedrive refused for other reasons
// are listed in Result.Failed and stay pending for the next rollback.
package rollback
