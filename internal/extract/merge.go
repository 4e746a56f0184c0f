// Package extract builds the source snapshot: it takes what each Klipy channel supplies (the
// harvest folder, the Klipy API, captured webhook events), keeps each channel's records apart
// in a staging store, then merges them by (kind, id) into the workspace's snapshot and reports
// what changed.
//
// Conflict rule (documented in `ferry extract --help`): for one record seen on several
// channels, each field takes the value of the most authoritative channel that has it, where
// webhook events (the newest deal state) outrank the API (live data), which outranks the
// harvest folder (a manual export). A channel that lacks a field, or has it empty, never
// erases another channel's value. The merged record's Channel is the highest one that
// contributed and its Origin lists every contribution.
package extract

import (
	"strings"

	"ferry/internal/source"
)

// Precedence orders channels from least to most authoritative.
var Precedence = []source.Channel{source.Harvest, source.API, source.Webhook}

func rank(c source.Channel) int {
	for i, p := range Precedence {
		if p == c {
			return i
		}
	}
	return -1
}

// Merge combines the versions of one record from several channels (any order) by the
// conflict rule. It panics on an empty slice.
func Merge(versions []source.Record) source.Record {
	ordered := make([]source.Record, 0, len(versions))
	for _, p := range Precedence {
		for _, v := range versions {
			if v.Channel == p {
				ordered = append(ordered, v)
			}
		}
	}
	for _, v := range versions {
		if rank(v.Channel) < 0 {
			ordered = append(ordered, v)
		}
	}
	out := source.Record{Kind: ordered[0].Kind, ID: ordered[0].ID, Fields: map[string]string{}}
	var origins []string
	for _, v := range ordered {
		for k, val := range v.Fields {
			if strings.TrimSpace(val) != "" {
				out.Fields[k] = val
			}
		}
		out.Channel = v.Channel
		origins = append(origins, originOf(v))
	}
	out.Origin = strings.Join(origins, " + ")
	return out
}

func originOf(r source.Record) string {
	if r.Origin == "" {
		return string(r.Channel)
	}
	if strings.HasPrefix(r.Origin, string(r.Channel)+":") {
		return r.Origin
	}
	return string(r.Channel) + ":" + r.Origin
}
