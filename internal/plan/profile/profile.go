// Package profile streams a source snapshot once and describes every field of every kind:
// how often it is filled, how many distinct values it holds, what its values are (email,
// phone, date with its layout, money with its locale, enum, set, ...), a few examples and
// the values that do not fit. The mapping proposal (package mapping) decides Pipedrive
// targets and types from it.
//
// Memory is bounded whatever the snapshot size: each field tracks at most DistinctCap
// distinct values (and set items up to what a set may hold) exactly, then only counts, and
// keeps a handful of example and anomaly ids.
package profile

import (
	"context"
	"fmt"

	"ferry/internal/source"
)

// Type is the detected kind of a field's values.
type Type string

// Detected types.
const (
	TypeEmpty    Type = "empty"
	TypeEmail    Type = "email"
	TypePhone    Type = "phone"
	TypeURL      Type = "url"
	TypeDomain   Type = "domain"
	TypeLinkedIn Type = "linkedin"
	TypeDate     Type = "date"     // Layout has no time of day
	TypeDateTime Type = "datetime" // Layout has a time of day
	TypeNumber   Type = "number"
	TypePercent  Type = "percent"  // numbers written with a trailing %: 45%
	TypeDuration Type = "duration" // Layout is DurHM, DurMS or DurHMS
	TypeCountry  Type = "country"  // ISO 3166 codes or country names
	TypeMoney    Type = "money"
	TypeEnum     Type = "enum"
	TypeSet      Type = "set"
	TypeBoolean  Type = "boolean"
	TypeHTML     Type = "html"
	TypeLongText Type = "long_text"
	TypeText     Type = "short_text"
	TypeID       Type = "id"
)

// DistinctCap is how many distinct values a field tracks exactly.
const DistinctCap = 1000

// maxExamples and maxAnomalyIDs bound the samples kept per field.
const (
	maxExamples   = 5
	maxAnomalyIDs = 10
)

// Profile describes a snapshot, kind by kind in source.Kinds order.
type Profile struct {
	Objects []Object `json:"objects"`
}

// Object is the profile of one kind.
type Object struct {
	Kind    source.Kind `json:"kind"`
	Records int         `json:"records"`
	Fields  []Field     `json:"fields"` // standard fields in source.Standard order, then custom by name
}

// Field is the profile of one source field.
type Field struct {
	Name           string  `json:"name"` // canonical name or source.CustomPrefix + header
	Custom         bool    `json:"custom"`
	Filled         int     `json:"filled"`
	FillRate       float64 `json:"fill_rate"`
	Distinct       int     `json:"distinct"`
	DistinctCapped bool    `json:"distinct_capped"` // Distinct is a lower bound ("≥")
	Type           Type    `json:"type"`
	Confidence     float64 `json:"confidence"`       // share of filled values that fit Type
	Layout         string  `json:"layout,omitempty"` // dates: the Go layout (or LayoutUnix/LayoutUnixMs); durations: the form
	// DayMonthAmbiguous marks a slash-date column no value of which tells day-first from
	// month-first (no number above 12 in either place): Layout is the month-first guess and
	// the plan asks a person to confirm it.
	DayMonthAmbiguous bool         `json:"day_month_ambiguous,omitempty"`
	ListSep           string       `json:"list_sep,omitempty"` // sets: the item separator when it is not ";"
	Locale            string       `json:"locale,omitempty"`   // numbers and money: LocaleUS or LocaleEU
	Currency          string       `json:"currency,omitempty"`
	Values            []ValueCount `json:"values,omitempty"` // enum values or set items, by count
	Examples          []string     `json:"examples,omitempty"`
	Anomalies         []Anomaly    `json:"anomalies,omitempty"`
}

// ValueCount is one enum value or set item and how many records hold it.
type ValueCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Anomaly is a group of values that do not fit the field's detected type. Those values are
// left out when the records move (the record itself moves); the plan lists them by row.
type Anomaly struct {
	Message string   `json:"message"`
	Count   int      `json:"count"`
	IDs     []string `json:"ids"`              // the first few source ids
	Values  []string `json:"values,omitempty"` // the value of each of IDs, in the same order
}

// DistinctString renders Distinct as "42" or "≥1000".
func (f Field) DistinctString() string {
	if f.DistinctCapped {
		return fmt.Sprintf("≥%d", f.Distinct)
	}
	return fmt.Sprint(f.Distinct)
}

// Object returns the profile of kind, and false when the snapshot has no such kind.
func (p Profile) Object(kind source.Kind) (Object, bool) {
	for _, o := range p.Objects {
		if o.Kind == kind {
			return o, true
		}
	}
	return Object{}, false
}

// Field returns the profile of one field of an object.
func (o Object) Field(name string) (Field, bool) {
	for _, f := range o.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Records is the part of store.Store the profile reads; store.Store satisfies it.
type Records interface {
	EachRecord(ctx context.Context, kind source.Kind, fn func(source.Record) error) error
}

// Build streams every kind of st through a Profiler and returns the profile.
//
// Error contract: an error from st (or ctx cancelled) is returned wrapped, naming the kind.
func Build(ctx context.Context, st Records) (Profile, error) {
	pr := NewProfiler()
	for _, kind := range source.Kinds {
		err := st.EachRecord(ctx, kind, func(r source.Record) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			pr.Add(r)
			return nil
		})
		if err != nil {
			return Profile{}, fmt.Errorf("profile %s records: %w", kind, err)
		}
	}
	return pr.Profile(), nil
}
