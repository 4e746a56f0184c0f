package store

import "ferry/internal/source"

// EncodedRecord is a source record as the stores keep it: its fields already encoded
// (source.MarshalFields) and its content hash (source.Record.Hash) already computed, so a
// bulk writer neither re-encodes nor re-hashes it.
type EncodedRecord struct {
	Kind    source.Kind
	ID      string
	Channel source.Channel
	Origin  string
	Fields  string
	Hash    string
}

// RecordMeta is what a merge needs of a stored record to tell whether a new version changes
// it: its id, content hash and provenance, without its fields.
type RecordMeta struct {
	ID, Hash, Origin string
	Channel          source.Channel
}

// RecordWriter writes encoded records inside one write of a bulk-writing store (see
// sqlite.Store.WriteRecords). Upsert replaces a record's content and provenance and sets its
// updated_at to the time of the write; SetProvenance changes only channel and origin.
type RecordWriter interface {
	Upsert(r EncodedRecord) error
	SetProvenance(kind source.Kind, id string, channel source.Channel, origin string) error
}
