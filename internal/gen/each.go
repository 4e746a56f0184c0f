package gen

import (
	"fmt"

	"ferry/internal/source"
)

// Each calls fn with every Klipy record of kind, in a deterministic order, generating them one
// at a time (memory does not grow with the workspace). Channel says where the record is
// served from: people, companies and interactions from the API (the harvest folder repeats
// them with the fields the API lacks), deals, notes, tasks, owners and attachments from the
// harvest folder. For deals it yields only the harvest deals; LiveDealEvents has the rest.
// Rows that are broken on purpose but structurally unreadable (no id, ragged, repeated id)
// exist only in the written CSV files, never here. Each stops at and returns the first error
// fn returns, and fails for an unknown kind.
func (d *Dataset) Each(kind source.Kind, fn func(source.Record) error) error {
	switch kind {
	case source.Owner:
		for i := range d.owners {
			if err := fn(d.owner(i).record()); err != nil {
				return err
			}
		}
		return nil
	case source.Company:
		return d.eachCompany(fn)
	case source.Person:
		return d.eachPerson(func(r source.Record, _ personMeta) error { return fn(r) })
	case source.Deal:
		return d.eachDeal(fn)
	case source.Interaction, source.Note, source.Task:
		return d.eachChild(kind, fn)
	case source.Attachment:
		return d.eachAttachment(func(a attachment) error { return fn(a.rec) })
	}
	return fmt.Errorf("gen: each: unknown kind %q (allowed: %v)", kind, source.Kinds)
}
