package dedupe

import (
	"context"
	"fmt"

	"ferry/internal/source"
)

// Records is the part of store.Store that dedupe reads.
type Records interface {
	EachRecord(ctx context.Context, kind source.Kind, fn func(source.Record) error) error
}

// Merge policies for a cluster that matches an existing Pipedrive record.
const (
	FillBlanks = "fill_blanks" // only empty Pipedrive fields are written
	Overwrite  = "overwrite"   // the merged Klipy values replace Pipedrive's
)

// Options configures Run.
type Options struct {
	// DefaultRegion reads national phone spellings when neither the person nor their company
	// has a country (ISO 3166 code or name, e.g. "US"). Empty: only international spellings.
	DefaultRegion string
	// Policy is carried into every destination match: FillBlanks (default) or Overwrite.
	Policy string
	// Destination holds what Pipedrive already has (LoadDestination); nil: no matching.
	Destination *Destination
	// Progress, when set, is told how many records a step ("read person", "merge person")
	// has handled, from time to time, on any goroutine.
	Progress func(step string, n int)
}

func (o Options) check() (Options, error) {
	if o.Progress == nil {
		o.Progress = func(string, int) {}
	}
	switch o.Policy {
	case "":
		o.Policy = FillBlanks
	case FillBlanks, Overwrite:
	default:
		return o, fmt.Errorf("dedupe: unknown merge policy %q (allowed: %s, %s)", o.Policy, FillBlanks, Overwrite)
	}
	return o, nil
}

// Result is what Run found. Every list is in a deterministic order (by survivor id).
type Result struct {
	PersonClusters     []Cluster          `json:"person_clusters"`
	CompanyClusters    []Cluster          `json:"company_clusters"`
	NameVariants       []NameVariant      `json:"name_variants"`
	Refused            []Link             `json:"refused_links"`
	DestinationMatches []DestinationMatch `json:"destination_matches"`
	Stats              Stats              `json:"stats"`
}

// Cluster is two or more source records of one person or organisation.
type Cluster struct {
	Kind     source.Kind `json:"kind"`
	Survivor string      `json:"survivor"`
	Members  []string    `json:"members"` // survivor first, then by rank
	Links    []Link      `json:"links"`   // the links that joined them
	// Fields is the merge, as a difference to the survivor, by field name: fields filled from
	// another member, list fields that gained items, created_at/updated_at taken from another
	// member, and fields whose value the survivor keeps while other members disagree (with
	// Alternatives). Every other field of the merged record is the survivor's own: see Merged.
	Fields []MergedField `json:"fields"`
}

// Merged returns the cluster's merged record given the survivor's fields: the survivor's
// values overlaid with Fields. The survivor map is not modified.
func (c Cluster) Merged(survivor map[string]string) map[string]string {
	out := make(map[string]string, len(survivor)+len(c.Fields))
	for k, v := range survivor {
		out[k] = v
	}
	for _, f := range c.Fields {
		out[f.Field] = f.Value
	}
	return out
}

// Link says why two records were joined (or, in Result.Refused, why not).
type Link struct {
	A   string `json:"a"`
	B   string `json:"b"`
	On  string `json:"on"`  // "email", "phone", "linkedin", "domain", "name"
	Key string `json:"key"` // the normalised value they share
	Why string `json:"why,omitempty"`
}

// MergedField is one field of a cluster's merged record.
type MergedField struct {
	Field        string        `json:"field"`
	Value        string        `json:"value"`
	From         []string      `json:"from"` // source ids the value (or its list items) came from
	Alternatives []SourceValue `json:"alternatives,omitempty"`
}

// SourceValue is a value of one source record.
type SourceValue struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// Name variant classes, from mild to strong.
const (
	VariantSpelling  = "spelling"  // equal after normalize.Name (accents, case, punctuation)
	VariantNickname  = "nickname"  // equal after normalize.NameKey
	VariantDifferent = "different" // names really differ: check the cluster
)

// NameVariant flags a person cluster whose members spell the name differently.
type NameVariant struct {
	Survivor string        `json:"survivor"`
	Class    string        `json:"class"`
	Names    []SourceValue `json:"names"` // one per member, in cluster order
}

// DestinationMatch proposes merging a cluster (or a single record) into an existing
// Pipedrive record.
type DestinationMatch struct {
	Kind       source.Kind `json:"kind"`
	Survivor   string      `json:"survivor"`
	Members    []string    `json:"members"`
	DestID     int64       `json:"dest_id"`              // 0 when ambiguous
	Candidates []int64     `json:"candidates,omitempty"` // when several Pipedrive records match
	On         string      `json:"on"`                   // "email", "domain", "name"
	Key        string      `json:"key"`
	Policy     string      `json:"policy"`
	// Contested is set when another cluster is proposed for the same Pipedrive record.
	Contested bool `json:"contested,omitempty"`
}

// Stats counts what Run saw and did.
type Stats struct {
	People              int   `json:"people"`
	Companies           int   `json:"companies"`
	DistinctPeople      int   `json:"distinct_people"`
	DistinctCompanies   int   `json:"distinct_companies"`
	PersonClusters      int   `json:"person_clusters"`
	CompanyClusters     int   `json:"company_clusters"`
	InvalidEmails       int   `json:"invalid_emails"`
	GenericEmails       int   `json:"generic_emails"`
	InvalidPhones       int   `json:"invalid_phones"`
	InvalidLinkedIn     int   `json:"invalid_linkedin"`
	InvalidDomains      int   `json:"invalid_domains"`
	RefusedLinks        int   `json:"refused_links"`
	NameVariantClusters int   `json:"name_variant_clusters"`
	PersonDestMatches   int   `json:"person_destination_matches"`
	OrgDestMatches      int   `json:"organization_destination_matches"`
	ElapsedMillis       int64 `json:"elapsed_ms"`
}

// SurvivorMap returns, for every clustered record of kind, the id of its cluster's survivor
// (records not in a cluster survive themselves and are absent).
func (r *Result) SurvivorMap(kind source.Kind) map[string]string {
	cs := r.PersonClusters
	if kind == source.Company {
		cs = r.CompanyClusters
	}
	m := map[string]string{}
	for _, c := range cs {
		for _, id := range c.Members[1:] {
			m[id] = c.Survivor
		}
	}
	return m
}
