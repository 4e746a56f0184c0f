// Package normalize turns the identifiers people type into CRMs (email addresses, web
// domains, phone numbers, LinkedIn profile URLs, person and company names) into canonical
// keys that compare equal when they denote the same thing.
//
// Every function is total: it never panics, whatever the input, and reports with a bool
// whether the input held a usable value. Every output is a fixed point: normalising an
// output again returns it unchanged (the fuzz targets check both properties).
package normalize
