package gen

import (
	"ferry/internal/source"
)

// Key is the answer key of a generated workspace: the truth a migration is graded against.
// It is written as answer-key.json; the per-record lists (duplicate clusters, name variants,
// phones needing a region) are always streamed to answer-key-clusters.jsonl and, for
// workspaces up to Config.InlineKeyLimit people, repeated inline here.
type Key struct {
	Seed   int64 `json:"seed"`
	People int   `json:"people"`
	// Dialect is the surface the harvest was written through (WriteHarvestDialect); empty
	// for ferry's own layout.
	Dialect string `json:"dialect,omitempty"`

	// Records counts the Klipy records of each kind (deals: harvest and live).
	Records map[source.Kind]int `json:"records"`
	// Channels counts, per kind, the records each channel offers. The harvest folder
	// repeats people, companies and interactions the API also serves.
	Channels map[source.Kind]map[source.Channel]int `json:"channels"`
	// Distinct holds the true counts after deduplication.
	Distinct Distinct `json:"distinct"`
	// Files describes each harvest file's encoding and data row count.
	Files map[string]FileFormat `json:"files"`

	DefaultRegion      string         `json:"default_region"`
	PhoneRegions       map[string]int `json:"phone_regions"` // national-format phones by region they need
	CustomFields       []CustomField  `json:"custom_fields"`
	Tags               []TagGroup     `json:"tags"`
	Pipelines          []Pipeline     `json:"pipelines"`
	StageHistoryFormat string         `json:"stage_history_format"`
	Owners             []OwnerKey     `json:"owners"`
	BrokenRows         []BrokenRow    `json:"broken_rows"`
	Attachments        AttachmentKey  `json:"attachments"`
	LiveDealEvents     int            `json:"live_deal_events"`

	ClustersFile    string        `json:"clusters_file"`
	PersonClusters  [][]string    `json:"person_clusters,omitempty"`
	CompanyClusters [][]string    `json:"company_clusters,omitempty"`
	NameVariants    []NameVariant `json:"name_variants,omitempty"`
	Phones          []PhoneKey    `json:"phones,omitempty"`
}

// Distinct holds true counts.
type Distinct struct {
	People                 int `json:"people"`
	Organizations          int `json:"organizations"`
	Deals                  int `json:"deals"`
	HarvestDeals           int `json:"harvest_deals"`
	LiveDeals              int `json:"live_deals"`
	PersonClusters         int `json:"person_clusters"`  // clusters with two or more records
	CompanyClusters        int `json:"company_clusters"` // clusters with two or more records
	DuplicatePersonRecords int `json:"duplicate_person_records"`
	CompaniesWithoutDomain int `json:"companies_without_domain"`
	NameVariantPairs       int `json:"name_variant_pairs"`
}

// OwnerKey says whether a Klipy owner exists in Pipedrive and how it is matched.
type OwnerKey struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	Match          string `json:"match"` // MatchEmail, MatchName or MatchNone
	PipedriveEmail string `json:"pipedrive_email,omitempty"`
}

// Stages that must catch a broken row.
const (
	StageHarvest = "harvest" // structural: the row cannot be read as a record
	StageMapping = "mapping" // a value cannot be mapped
)

// BrokenRow is one deliberately broken row.
type BrokenRow struct {
	File   string `json:"file"`
	Line   int    `json:"line"` // 1-based physical line of the row's first line
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
	ID     string `json:"id,omitempty"`
}

// AttachmentKey says which attachments can be uploaded.
type AttachmentKey struct {
	Uploadable    int                 `json:"uploadable"`
	NotUploadable []AttachmentProblem `json:"not_uploadable"`
	UploadLimit   int64               `json:"upload_limit_bytes"`
}

// AttachmentProblem is one attachment that cannot be uploaded, and why.
type AttachmentProblem struct {
	ID     string `json:"id"`
	Path   string `json:"path"`
	Reason string `json:"reason"` // AttachTooLarge, AttachBadType, AttachEscapes, AttachMissing
}

// NameVariant is a pair of records of the same person whose names differ.
type NameVariant struct {
	A     string `json:"a"`
	B     string `json:"b"`
	AName string `json:"a_name"`
	BName string `json:"b_name"`
}

// PhoneKey is a national-format phone, the region it needs and what it resolves to.
type PhoneKey struct {
	ID     string `json:"id"`
	Raw    string `json:"raw"`
	Region string `json:"region"`
	E164   string `json:"e164"`
}

// ClusterLine is one line of answer-key-clusters.jsonl. Type is "person_cluster",
// "company_cluster" (IDs set), "name_variant" (Variant set) or "phone" (Phone set).
type ClusterLine struct {
	Type    string       `json:"type"`
	IDs     []string     `json:"ids,omitempty"`
	Variant *NameVariant `json:"variant,omitempty"`
	Phone   *PhoneKey    `json:"phone,omitempty"`
}

// ClustersFile is the name of the streamed per-record part of the key.
const ClustersFile = "answer-key-clusters.jsonl"

// KeyFile is the name of the answer key.
const KeyFile = "answer-key.json"

func (d *Dataset) newKey() *Key {
	k := &Key{Seed: d.cfg.Seed, People: d.cfg.People, Records: map[source.Kind]int{},
		Channels: map[source.Kind]map[source.Channel]int{}, Files: map[string]FileFormat{},
		DefaultRegion: "US", PhoneRegions: map[string]int{}, CustomFields: CustomFields,
		Tags: TagGroups, Pipelines: Pipelines, StageHistoryFormat: StageHistoryFormat,
		ClustersFile: ClustersFile, BrokenRows: []BrokenRow{},
		Attachments: AttachmentKey{UploadLimit: UploadLimitBytes}}
	for i := range d.owners {
		o := d.owner(i)
		k.Owners = append(k.Owners, OwnerKey{ID: o.id, Name: o.name, Email: o.email, Match: o.match,
			PipedriveEmail: o.pdEmail})
	}
	k.Distinct.Organizations = d.orgs
	k.Distinct.HarvestDeals, k.Distinct.LiveDeals = d.deals, d.liveDeals
	k.Distinct.Deals = d.deals + d.liveDeals
	return k
}

// count adds one record of kind seen through channel.
func (k *Key) count(kind source.Kind, ch source.Channel) {
	k.Records[kind]++
	if k.Channels[kind] == nil {
		k.Channels[kind] = map[source.Channel]int{}
	}
	k.Channels[kind][ch]++
}

// inline reports whether per-record lists go into the key itself.
func (d *Dataset) inline() bool { return d.cfg.People <= d.cfg.InlineKeyLimit }
