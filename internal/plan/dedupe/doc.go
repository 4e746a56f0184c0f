// Package dedupe finds the Klipy people and companies that describe the same person or
// organisation, proposes one surviving record per cluster with a field-by-field merge, and
// matches clusters to the persons and organisations already in Pipedrive.
//
// It streams the snapshot twice (EachRecord in the store's order) and keeps only compact
// per-record keys in memory: the id, interned key ids, a completeness score and a creation
// time per record. The first pass normalises on GOMAXPROCS workers and commits in order; the
// second holds the fields of a cluster's members only until its last member has been read.
// At 1,000,000 generated people the live heap peaks near 600 MB; the Go heap reaches about
// twice that under the default GOGC unless the caller sets a memory limit (GOMEMLIMIT).
//
// # Rules
//
// People are joined, in this order, by
//  1. normalised email address (normalize.Email), except shared role mailboxes (info@,
//     sales@, … — normalize.IsGenericEmail), which never join anything;
//  2. E.164 phone number (normalize.PhoneExt; a number with an extension only matches the same
//     number with the same extension). National spellings are read with the person's own
//     "country" field, else the country of the company record the person links to, else
//     Options.DefaultRegion; when that region does not resolve the number the default region
//     is tried;
//  3. LinkedIn profile URL (normalize.LinkedIn).
//
// Guard against over-merging: a phone or LinkedIn link between two clusters is refused when
// both clusters hold at least one email address (generic ones included) and their address
// sets are disjoint: two people behind one switchboard number, or a shared info@ mailbox and
// a personal one, stay apart. Every refused link is reported in Result.Refused for review.
// Union is cluster-wide, so the guard also holds transitively (A–phone–B–LinkedIn–C is refused
// when A and C carry different addresses).
//
// Companies are joined by registrable domain (normalize.Domain of the domain and website
// fields; free-mail and profile-hosting domains never count). Records without any domain are
// then joined by normalised name (normalize.CompanyName) among themselves, and to a
// domain-bearing cluster only when exactly one such cluster carries that name: a name never
// joins two records whose domains differ.
//
// # Survivor and merge
//
// Members are ranked by completeness (non-empty fields), then oldest created_at, then id; the
// first is the survivor. Each field takes the value of the best-ranked member that has one, so
// the survivor's non-empty values win and its blanks are filled from the others. List fields
// (tags, email, phone) are unioned, email and phone by their normalised key (phones written
// E.164), tags case-insensitively. created_at takes the oldest and updated_at the newest
// value. Values that lose are kept as alternatives. Cluster.Fields holds only what differs
// from the survivor's own record (Cluster.Merged rebuilds the whole merged record).
//
// Name variants (members of one person cluster whose names are spelled differently) are
// flagged for review, classified as "spelling" (equal under normalize.Name), "nickname" (equal
// under normalize.NameKey) or "different"; they are never split.
package dedupe
