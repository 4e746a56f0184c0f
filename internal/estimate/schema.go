package estimate

import (
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
)

// schemaWork counts what schema setup creates for the plan, as migrate's setupSchema does:
// the mapping's new fields and ferry's own fields unless the mapping reuses a field of that
// name; labels on every record entity when a label group is not in Pipedrive yet; pipelines
// the stage map creates, with their stages.
func schemaWork(p Plan) SchemaWork {
	sw := SchemaWork{Fields: map[pipedrive.FieldEntity]int{}}
	seen := map[string]bool{}
	for _, f := range (migrate.FileMapper{M: p.Mapping}).Fields() {
		if k := fieldKey(f.Entity, f.Name); !seen[k] {
			seen[k] = true
			sw.Fields[f.Entity]++
		}
	}
	reused := reusedFields(p.Mapping)
	own := []struct {
		ent  pipedrive.FieldEntity
		name string
	}{{pipedrive.DealFields, migrate.KlipyCreatedField}}
	for _, ent := range recordEntities {
		own = append(own, struct {
			ent  pipedrive.FieldEntity
			name string
		}{ent, migrate.KlipyIDField})
	}
	for _, f := range own {
		if k := fieldKey(f.ent, f.name); !seen[k] && !reused[k] {
			seen[k] = true
			sw.Fields[f.ent]++
		}
	}
	for _, g := range p.Decisions.Labels {
		if !g.Exists && g.Label != "" {
			sw.LabelPuts = len(recordEntities)
		}
	}
	sw.Pipelines, sw.Stages = pipelineWork(p.Decisions)
	return sw
}

// reusedFields lists the existing Pipedrive fields the mapping reuses (field_code set).
func reusedFields(m mapping.Mapping) map[string]bool {
	out := map[string]bool{}
	for _, o := range m.Objects {
		ent, ok := entityOf[o.Target]
		if !ok {
			continue
		}
		for _, f := range o.Fields {
			if f.CustomField != "" && f.FieldCode != "" {
				out[fieldKey(ent, f.CustomField)] = true
			}
		}
	}
	return out
}

// pipelineWork counts the pipelines and stages the stage map creates (collapse targets exist).
func pipelineWork(d decide.Decisions) (pipelines, stages int) {
	made := map[string]map[string]bool{}
	for _, pm := range d.Pipelines {
		if pm.Action != decide.ActionCreate {
			continue
		}
		st := made[mapping.FieldKey(pm.Target)]
		if st == nil {
			st = map[string]bool{}
			made[mapping.FieldKey(pm.Target)] = st
			pipelines++
		}
		for _, sm := range pm.Stages {
			if sm.Target != "" && !st[mapping.FieldKey(sm.Target)] {
				st[mapping.FieldKey(sm.Target)] = true
				stages++
			}
		}
	}
	return pipelines, stages
}

// mappingFacts collects what the grade reads about the mapping and the decisions.
func mappingFacts(p Plan) MappingFacts {
	mf := MappingFacts{Known: true, Objects: len(p.Mapping.Objects), OpenDecisions: len(p.Decisions.Open()),
		LabelGroups: len(p.Decisions.Labels)}
	for _, o := range p.Mapping.Objects {
		if o.Skip != "" {
			if o.Target != mapping.EntityUser { // owners are matched to users, never created
				mf.SkippedObjects = append(mf.SkippedObjects, string(o.Source))
			}
			continue
		}
		for _, f := range o.Fields {
			mf.Fields++
			switch {
			case f.Skip != "":
				mf.SkippedFields++
			case f.CustomField != "":
				mf.CustomFields++
			}
		}
	}
	for _, pm := range p.Decisions.Pipelines {
		if pm.Action == decide.ActionCollapse {
			mf.Collapsed++
		}
	}
	for _, o := range p.Decisions.Owners {
		if o.Resolution == decide.OwnerProvision || o.Resolution == decide.OwnerFallback {
			mf.OwnersToAct++
		}
	}
	for _, g := range p.Decisions.Labels {
		if len(g.Variants) > 1 {
			mf.TagVariants += len(g.Variants) - 1
		}
	}
	return mf
}
