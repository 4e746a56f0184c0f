// Package gen generates a seeded, deterministic and realistically messy Klipy CRM workspace:
// owners, companies, people, deals, interactions, notes, tasks and attachments, plus the live
// deal webhook events and an answer key that tells what is really the same.
//
// Every record is derived from the seed and its own index (a PCG stream per kind and index),
// so generation streams in constant memory and any record can be regenerated on its own.
// Duplicates are decided from the index: person record i may repeat the person of an earlier
// original record within a small window, which keeps the answer key streamable too.
//
// The harvest folder (WriteHarvest) holds people.csv and companies.csv with Klipy's import
// template headers ("First Name", "Company Name", …) plus snake_case columns and custom
// fields by display name; the other CSVs use the canonical names of source.Standard. All are
// UTF-8, comma separated, RFC 4180 quoted; tasks.csv has a BOM and CRLF line ends. Attachment
// bytes live under files/ (the too-large one is a sparse file). answer-key.json is the Key;
// answer-key-clusters.jsonl streams its per-record lists (ClusterLine).
//
// List fields (tags, person_ids, multi-select custom fields, stage_history) use
// source.ListSep. Times are RFC 3339 UTC except where a field is messy on purpose (custom
// dates in their field's format, the broken deal date).
package gen

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Config selects the size and seed of a generated workspace. Zero knobs take defaults.
type Config struct {
	People int   // number of Klipy person records (duplicates included); at least 1
	Seed   int64 // the seed; the same seed and knobs give byte-identical output

	DuplicateRate     float64 // share of person records that repeat an earlier person (default 0.12)
	InteractionsMean  int     // mean interactions per person record (default 10)
	PeoplePerOrg      int     // original people per organization block (default 8)
	DealsPer100       int     // harvest deals per 100 person records (default 20)
	LiveDealsPer1000  int     // live (webhook-only) deals per 1000 person records (default 10, min 3)
	AttachmentsPer100 int     // attachments per 100 person records (default 1, min 4 regular)
	InlineKeyLimit    int     // up to this many people the key inlines clusters and phones (default 5000)
}

func (c Config) withDefaults() Config {
	if c.People < 1 {
		c.People = 1
	}
	if c.DuplicateRate <= 0 {
		c.DuplicateRate = 0.12
	}
	if c.InteractionsMean <= 0 {
		c.InteractionsMean = 10
	}
	if c.PeoplePerOrg <= 0 {
		c.PeoplePerOrg = 8
	}
	if c.DealsPer100 <= 0 {
		c.DealsPer100 = 20
	}
	if c.LiveDealsPer1000 <= 0 {
		c.LiveDealsPer1000 = 10
	}
	if c.AttachmentsPer100 <= 0 {
		c.AttachmentsPer100 = 1
	}
	if c.InlineKeyLimit <= 0 {
		c.InlineKeyLimit = 5000
	}
	return c
}

// Dataset is one generated workspace. It holds only the configuration and a few derived sizes;
// records are produced on demand by Each and friends. A Dataset is safe for concurrent use.
type Dataset struct {
	cfg       Config
	seed      uint64
	orgs      int
	owners    int
	deals     int // harvest deals
	liveDeals int
	badEmail  int // person index whose email is deliberately invalid

	keyOnce sync.Once
	key     Key
}

// Reference times. Generation never reads the clock.
var (
	// Epoch is the earliest created_at in a workspace.
	Epoch = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	// CaptureStart is when webhook capture began: deals created from here on exist only as
	// live webhook events.
	CaptureStart = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	// Now is the moment the harvest was taken.
	Now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

// New returns the dataset for cfg. It does no generation work beyond a few index lookups.
func New(cfg Config) *Dataset {
	cfg = cfg.withDefaults()
	d := &Dataset{cfg: cfg, seed: uint64(cfg.Seed)}
	n := cfg.People
	d.orgs = (n + cfg.PeoplePerOrg - 1) / cfg.PeoplePerOrg
	d.owners = max(3, n/50)
	d.deals = max(3, n*cfg.DealsPer100/100)
	d.liveDeals = max(3, n*cfg.LiveDealsPer1000/1000)
	d.badEmail = d.pickBadEmail()
	return d
}

// Config returns the effective configuration (defaults filled in).
func (d *Dataset) Config() Config { return d.cfg }

// stream tags keep the random streams of different purposes apart.
const (
	tagDup uint64 = iota + 1
	tagHuman
	tagPersonRec
	tagShow
	tagOrg
	tagCompanyRec
	tagOwner
	tagDeal
	tagLiveDeal
	tagInterCount
	tagInter
	tagNote
	tagTask
	tagAttach
	tagPersonCo
	tagDealPerson
)

// rng returns the random stream for (tag, index).
func (d *Dataset) rng(tag uint64, index int) *rand.Rand {
	return rand.New(rand.NewPCG(d.seed^(tag*0x9e3779b97f4a7c15), uint64(index)))
}

// mix64 is the splitmix64 finalizer: a bijection on uint64 with good avalanche.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// id returns an opaque, unique id for index n of a kind: the prefix and 13 base-36 digits of
// a bijective mix of n, so distinct n never collide within a prefix.
func (d *Dataset) id(prefix string, tag uint64, n int) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	v := mix64(uint64(n) + mix64(d.seed^tag))
	var b [48]byte
	i := copy(b[:], prefix)
	for k := i + 12; k >= i; k-- {
		b[k] = alphabet[v%36]
		v /= 36
	}
	return string(b[:i+13])
}

// between returns a time uniformly in [from, to), truncated to the second.
func between(r *rand.Rand, from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Second)
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// compact drops empty values: a record carries only the fields it has.
func compact(f map[string]string) map[string]string {
	for k, v := range f {
		if v == "" {
			delete(f, k)
		}
	}
	return f
}
