package estimate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
	"ferry/internal/store"
)

// Plan is the confirmed (or proposed) plan of a workspace, as ferry run reads it.
type Plan struct {
	Mapping      mapping.Mapping
	Decisions    decide.Decisions
	Merges       []migrate.Merge // from dedupe.json; nil without one
	FilesRoot    string          // the harvest folder attachments are read from
	MaxFileBytes int64           // 0: migrate.DefaultMaxFileBytes
}

// Simulate dry-runs the plan over the snapshot in st: each record goes through the mapping
// (migrate.FileMapper) with a resolver that answers from the plan and from what the dry run
// migrated so far, phase by phase in the engine's order. Nothing is sent anywhere. Errors
// are the store's, wrapped.
func Simulate(ctx context.Context, st store.Store, p Plan) (Workload, error) {
	if p.MaxFileBytes <= 0 {
		p.MaxFileBytes = migrate.DefaultMaxFileBytes
	}
	w := Workload{From: "workspace", Source: map[string]int{}, Mapping: mappingFacts(p), Assumptions: []string{
		"the owners decisions.yaml names are active Pipedrive users; no field, label or pipeline the plan creates exists yet",
		verifyAssumption}}
	w.Schema = schemaWork(p)
	r := &simResolver{ctx: ctx, st: st, decisions: p.Decisions, fields: knownFields(p.Mapping),
		migrated: map[source.Kind]map[string]bool{}, merges: map[source.Kind]map[string]string{},
		names: map[string]map[string]string{}}
	into := map[source.Kind]map[string]bool{}
	for _, m := range p.Merges {
		if r.merges[m.Kind] == nil {
			r.merges[m.Kind], into[m.Kind] = map[string]string{}, map[string]bool{}
		}
		for _, id := range m.Members {
			if id != m.Survivor {
				r.merges[m.Kind][id] = m.Survivor
			}
		}
		into[m.Kind][m.Survivor] = m.DestID > 0
	}
	for _, k := range source.Kinds {
		n, err := st.CountRecords(ctx, k)
		if err != nil {
			return w, fmt.Errorf("estimate: count %s records: %w", k, err)
		}
		w.Source[string(k)] = n
	}
	sim := &phaseSim{r: r, into: into, plan: p}
	for _, k := range migrate.Phases() {
		pw, err := sim.run(ctx, k)
		if err != nil {
			return w, err
		}
		w.Phases = append(w.Phases, pw)
	}
	return w, nil
}

// phaseSim runs the record phases of the dry run.
type phaseSim struct {
	r    *simResolver
	into map[source.Kind]map[string]bool
	plan Plan
}

func (s *phaseSim) run(ctx context.Context, k source.Kind) (PhaseWork, error) {
	pw := PhaseWork{Kind: k}
	s.r.migrated[k] = map[string]bool{}
	mapper := migrate.FileMapper{M: s.plan.Mapping}
	types := simFieldTypes(s.plan.Mapping, k)
	var members []source.Record
	err := s.r.st.EachRecord(ctx, k, func(rec source.Record) error {
		pw.Source++
		if s.r.merges[k][rec.ID] != "" {
			members = append(members, rec)
			return nil
		}
		var err error
		if k == source.Attachment {
			err = fileCheck(rec, s.r, s.plan)
		} else {
			var body pipedrive.Entity
			body, err = mapper.Payload(k, rec, s.r)
			if why := migrate.Refusal(k, body, types); err == nil && why != "" {
				err = migrate.RefusedError(why)
			}
		}
		s.count(&pw, rec, err)
		return nil
	})
	if err != nil {
		return pw, fmt.Errorf("estimate: read %s records: %w", k, err)
	}
	if err := s.extractQuarantine(ctx, &pw); err != nil {
		return pw, err
	}
	for _, rec := range members {
		if s.r.migrated[k][s.r.merges[k][rec.ID]] {
			pw.Merged++
			s.r.migrated[k][rec.ID] = true
		} else {
			pw.Held++
			survivor := s.r.parentName(k, s.r.merges[k][rec.ID])
			lost := lostRecord(rec)
			lost.Name += ", duplicate of " + survivor
			pw.loss(fmt.Sprintf("held: duplicate of %s, which is not migrated", survivor), lost)
		}
	}
	return pw, nil
}

// mappingReason starts the reason of quarantine items the engine writes (migrate's
// mappingReasonPrefix); the other items are rows extraction quarantined.
const mappingReason = "mapping: "

// extractQuarantine adds the rows extraction quarantined, as the engine's reconciliation
// does: they count as source and quarantined and cost nothing.
func (s *phaseSim) extractQuarantine(ctx context.Context, pw *PhaseWork) error {
	items, err := s.r.st.QuarantineItems(ctx, pw.Kind)
	if err != nil {
		return fmt.Errorf("estimate: %s quarantine: %w", pw.Kind, err)
	}
	for _, q := range items {
		if !strings.HasPrefix(q.Reason, mappingReason) {
			pw.Source++
			pw.Quarantined++
			pw.FromExtract++
			pw.loss(migrate.ExtractLossClass(q.Reason), LostRecord{Name: extractRow(q)})
		}
	}
	return nil
}

// lostRecord names a snapshot record predicted lost.
func lostRecord(rec source.Record) LostRecord {
	return LostRecord{ID: rec.ID, Name: source.Named(rec)}
}

// extractRow names a row extraction quarantined by its file and line.
func extractRow(q store.QuarantineItem) string {
	if q.Line > 0 {
		return fmt.Sprintf("%s:%d", q.File, q.Line)
	}
	return q.File
}

// count classifies one record as the engine settles it.
func (s *phaseSim) count(pw *PhaseWork, rec source.Record, err error) {
	id, lost := rec.ID, lostRecord(rec)
	switch {
	case errors.Is(err, migrate.ErrSkip):
		pw.Skipped++
		if errors.Is(err, migrate.ErrCannotMove) {
			pw.loss(migrate.CannotMoveReason(err), lost)
		}
	case errors.Is(err, migrate.ErrHeld):
		pw.Held++
		pw.loss(migrate.HeldReason(err), lost)
	case err != nil:
		pw.Quarantined++
		if !errors.Is(err, migrate.ErrUnmappable) {
			err = fmt.Errorf("%w: %w", migrate.ErrUnmappable, err)
		}
		pw.loss(migrate.QuarantineReason(err), lost)
	case s.into[pw.Kind][id]:
		pw.MergeInto++
		s.r.migrated[pw.Kind][id] = true
	default:
		pw.Create++
		s.r.migrated[pw.Kind][id] = true
	}
}

// simFieldTypes returns the names and types of the custom fields the mapping gives records
// of kind k, by the codes the dry run's bodies carry: the simResolver's code for a field
// schema setup makes, the field_code of one the mapping reuses.
func simFieldTypes(m mapping.Mapping, k source.Kind) pipedrive.FieldInfo {
	byCode := map[string]mapping.Field{}
	for _, o := range m.Objects {
		if _, ok := entityOf[o.Target]; !ok || o.Skip != "" || o.Source != k {
			continue
		}
		for _, f := range o.Fields {
			if f.CustomField == "" || f.Skip != "" {
				continue
			}
			code := f.FieldCode
			if code == "" {
				code = simCode(f.CustomField)
			}
			byCode[code] = f
		}
	}
	return func(code string) (string, string) { return byCode[code].CustomField, byCode[code].Type }
}

// recordEntities are the entities that carry ferry's Klipy ID field.
var recordEntities = []pipedrive.FieldEntity{pipedrive.OrganizationFields, pipedrive.PersonFields, pipedrive.DealFields}

// entityOf maps the mapping's entity names to field entities.
var entityOf = map[string]pipedrive.FieldEntity{mapping.EntityPerson: pipedrive.PersonFields,
	mapping.EntityOrganization: pipedrive.OrganizationFields, mapping.EntityDeal: pipedrive.DealFields}

// knownFields lists the custom fields that exist after schema setup, with their options.
func knownFields(m mapping.Mapping) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, ent := range recordEntities {
		out[fieldKey(ent, migrate.KlipyIDField)] = map[string]bool{}
	}
	out[fieldKey(pipedrive.DealFields, migrate.KlipyCreatedField)] = map[string]bool{}
	for _, o := range m.Objects {
		ent, ok := entityOf[o.Target]
		if !ok || o.Skip != "" {
			continue
		}
		for _, f := range o.Fields {
			if f.CustomField == "" || f.Skip != "" {
				continue
			}
			opts := out[fieldKey(ent, f.CustomField)]
			if opts == nil {
				opts = map[string]bool{}
				out[fieldKey(ent, f.CustomField)] = opts
			}
			for _, l := range f.Options {
				opts[mapping.FieldKey(l)] = true
			}
		}
	}
	return out
}
