package main

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/source"
	"ferry/internal/store"
)

// delta changes the Klipy sandbox during the "cutover" — one person's title edited, one
// person added — then carries the changes over with ferry delta, and runs a second delta
// that must write nothing.
func (d *demo) delta(ctx context.Context) error {
	edited, err := d.editKlipy(ctx)
	if err != nil {
		return err
	}
	d.g.printf("in Klipy meanwhile: %s's title changed, person %s added\n", edited, demoNewPersonID)
	quiet := &globalOptions{stdout: discard{}, stderr: discard{}}
	before := countWrites(d.pd.Stats())
	rep, _, err := deltaWorkspace(ctx, quiet, d.ws, d.st, d.env, DeltaOptions{extract: ExtractOptions{klipyRate: -1}})
	if err != nil {
		return err
	}
	printDeltaReport(d.g, rep)
	first := countWrites(d.pd.Stats()) - before
	if _, _, err := deltaWorkspace(ctx, quiet, d.ws, d.st, d.env, DeltaOptions{extract: ExtractOptions{klipyRate: -1}}); err != nil {
		return err
	}
	second := countWrites(d.pd.Stats()) - before - first
	d.g.printf("delta wrote %d change(s) to Pipedrive; a second delta wrote %d\n", first, second)
	if first != 2 || second != 0 {
		d.problems = append(d.problems, fmt.Sprintf("delta wrote %d then %d, want 2 then 0", first, second))
		return errors.New(d.problems[len(d.problems)-1])
	}
	return nil
}

// demoNewPersonID is the person the demo adds in Klipy during the cutover.
const demoNewPersonID = "per_demo_cutover"

// editKlipy edits the first person with an email that the run created as a Pipedrive person
// of its own (not merged into a duplicate, not quarantined: their changes are not the delta's
// to carry) and adds a new one, through the sandbox.
func (d *demo) editKlipy(ctx context.Context) (string, error) {
	var first source.Record
	err := d.data.Each(source.Person, func(r source.Record) error {
		if first.ID != "" || r.Fields["email"] == "" || r.Fields["first_name"] == "" {
			return nil
		}
		m, err := d.st.GetMapping(ctx, source.Person, r.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && m.State != store.Done) {
			return nil
		}
		if err != nil {
			return err
		}
		first = r
		return nil
	})
	if err != nil || first.ID == "" {
		return "", fmt.Errorf("demo: no person to edit: %v", err)
	}
	first.Fields["title"] = "VP Revenue (changed during cutover)"
	if err := d.kl.UpsertPerson(first); err != nil {
		return "", err
	}
	added := source.Record{Kind: source.Person, ID: demoNewPersonID, Channel: source.API, Fields: map[string]string{
		"first_name": "Casey", "last_name": "Cutover", "email": "casey.cutover@example.org"}}
	return first.Fields["first_name"] + " " + first.Fields["last_name"], d.kl.UpsertPerson(added)
}

// countWrites counts the requests that change something in the Pipedrive sandbox.
func countWrites(st pdStats) int {
	n := 0
	for ep, e := range st.Endpoints {
		for _, m := range []string{"POST ", "PATCH ", "PUT ", "DELETE "} {
			if len(ep) > len(m) && ep[:len(m)] == m {
				n += e.Requests
			}
		}
	}
	return n
}
