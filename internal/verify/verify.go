package verify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// DefaultMaxMismatches is how many mismatches a Result keeps when Config says none.
const DefaultMaxMismatches = 200

// Config configures Run. Client, Store and Engine are required.
type Config struct {
	Client *pipedrive.Client
	Store  store.Store
	// Engine is built as for the run (mapping, decisions, merges, harvest folder); verify
	// uses it only to rebuild bodies (migrate.Engine.ReadSchema and Intended), never to write.
	Engine *migrate.Engine
	// Merges are the run's dedupe merges: a duplicate is checked on its survivor.
	Merges        []migrate.Merge
	MaxMismatches int // mismatches kept in Result.First; default DefaultMaxMismatches
	// Progress, when set, is told after each page read back how many items of the entity
	// ("read person") have been read so far.
	Progress func(step string, n int)
	// AcceptLoss says which accepted loss reason (decisions.yaml accepted_losses) the class
	// (migrate.ReasonClass) of a record that did not arrive falls under; nil accepts none. Every other record the plan meant
	// to move and Pipedrive does not hold is a mismatch (field "record").
	AcceptLoss func(reason string) (string, bool)
}

// Mismatch is one difference between what the mapping intended and what Pipedrive holds.
// Field "record" with Got "missing or deleted" is a record Pipedrive no longer lists.
type Mismatch struct {
	Kind     source.Kind `json:"kind"`
	SourceID string      `json:"source_id"`
	Entity   string      `json:"entity"`
	DestID   int64       `json:"pipedrive_id"`
	Field    string      `json:"field"`
	Want     string      `json:"want"`
	Got      string      `json:"got"`
}

// Count is the read-back of one Klipy kind.
type Count struct {
	Kind        source.Kind `json:"kind"`
	Entity      string      `json:"entity"`
	Checked     int         `json:"checked"`      // id-map rows done or merged, read back
	Matched     int         `json:"matched"`      // of Checked: no difference
	Mismatched  int         `json:"mismatched"`   // of Checked: at least one difference
	Missing     int         `json:"missing"`      // of Mismatched: not (or no longer) in Pipedrive
	Merged      int         `json:"merged"`       // of Checked: duplicates and merges into existing records
	NotMigrated int         `json:"not_migrated"` // snapshot records not done or merged (see the reconciliation)
	Absent      int         `json:"absent"`       // records (and rows quarantined at extract) the plan meant to move, not in Pipedrive
	Accepted    int         `json:"accepted"`     // records not in Pipedrive under an accepted loss reason
}

// Result is one verification: counts per kind, the total number of field mismatches, the
// first MaxMismatches of them, and what the read-back cost.
type Result struct {
	At         time.Time  `json:"at"`
	Status     string     `json:"status"` // StatusPassed or StatusMismatches
	Counts     []Count    `json:"counts"`
	Mismatches int        `json:"mismatches"`
	First      []Mismatch `json:"first_mismatches"`
	Requests   int64      `json:"requests"`
	Tokens     int64      `json:"tokens"`
}

// Result statuses.
const (
	StatusPassed     = "passed"
	StatusMismatches = "mismatches"
)

// OK reports whether the verification found no mismatch.
func (r Result) OK() bool { return r.Mismatches == 0 }

// Checked returns how many migrated records were read back, over all kinds.
func (r Result) Checked() int {
	n := 0
	for _, c := range r.Counts {
		n += c.Checked
	}
	return n
}

// Run reads back every record the id map says is done or merged, through list endpoints
// only (never one GET per record), and compares it with the body the mapping intended,
// rebuilt with the schema Pipedrive holds and the id map. It checks every link (persons →
// organization; deals → person, organization, stage, owner; activities, notes and files →
// their parents) and the labels. Errors are the client's (budget, network) or the
// store's; mismatches are in the Result, not errors.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Client == nil || cfg.Store == nil || cfg.Engine == nil {
		return Result{}, errors.New("verify: client, store and engine are required")
	}
	if cfg.MaxMismatches <= 0 {
		cfg.MaxMismatches = DefaultMaxMismatches
	}
	before := cfg.Client.Stats()
	schema, err := cfg.Engine.ReadSchema(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("verify: %w", err)
	}
	ck := &checker{cfg: cfg, schema: schema, survivor: survivors(cfg.Merges)}
	if err := ck.load(ctx); err != nil {
		return Result{}, err
	}
	res := Result{At: time.Now().UTC()}
	for _, kind := range migrate.Phases() {
		c, err := ck.checkKind(ctx, kind, &res)
		if err != nil {
			return Result{}, err
		}
		if c.Checked+c.NotMigrated+c.Absent+c.Accepted > 0 {
			res.Counts = append(res.Counts, c)
		}
	}
	after := cfg.Client.Stats()
	res.Requests, res.Tokens = after.Requests-before.Requests, after.Tokens-before.Tokens
	res.Status = StatusPassed
	if !res.OK() {
		res.Status = StatusMismatches
	}
	return res, nil
}

// add records mismatches, keeping the first MaxMismatches.
func (r *Result) add(max int, ms ...Mismatch) {
	r.Mismatches += len(ms)
	for _, m := range ms {
		if len(r.First) < max {
			r.First = append(r.First, m)
		}
	}
}

// survivors maps each duplicate to its survivor, per kind.
func survivors(ms []migrate.Merge) map[source.Kind]map[string]string {
	out := map[source.Kind]map[string]string{}
	for _, m := range ms {
		if out[m.Kind] == nil {
			out[m.Kind] = map[string]string{}
		}
		for _, id := range m.Members {
			if id != m.Survivor {
				out[m.Kind][id] = m.Survivor
			}
		}
	}
	return out
}
