package dedupe

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ReadJSON reads a Result written by WriteJSON (or any JSON of its shape) one array element at
// a time, so that a dedupe.json of hundreds of megabytes is never held whole beside what it
// decodes to. Unknown members are skipped, as json.Unmarshal skips them; errors say which
// member and element failed.
func ReadJSON(r io.Reader) (*Result, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, fmt.Errorf("read dedupe result: %w", err)
	}
	res := &Result{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("read dedupe result: %w", err)
		}
		name, _ := tok.(string)
		if err := res.readMember(dec, name); err != nil {
			return nil, fmt.Errorf("read dedupe result: %s: %w", name, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, fmt.Errorf("read dedupe result: %w", err)
	}
	return res, nil
}

// members are the top-level member names of a Result.
var members = []string{"person_clusters", "company_clusters", "name_variants", "refused_links",
	"destination_matches", "stats"}

// readMember decodes the value of one top-level member; names match without regard to case,
// as json.Unmarshal matches them.
func (res *Result) readMember(dec *json.Decoder, name string) error {
	for _, m := range members {
		if strings.EqualFold(name, m) {
			name = m
			break
		}
	}
	switch name {
	case "person_clusters":
		return readArray(dec, &res.PersonClusters)
	case "company_clusters":
		return readArray(dec, &res.CompanyClusters)
	case "name_variants":
		return readArray(dec, &res.NameVariants)
	case "refused_links":
		return readArray(dec, &res.Refused)
	case "destination_matches":
		return readArray(dec, &res.DestinationMatches)
	case "stats":
		return dec.Decode(&res.Stats)
	}
	var skip json.RawMessage
	return dec.Decode(&skip)
}

// readArray decodes a JSON array (or null) into out element by element.
func readArray[T any](dec *json.Decoder, out *[]T) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*out = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("want an array, got %v", tok)
	}
	*out = []T{}
	for i := 0; dec.More(); i++ {
		var v T
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		*out = append(*out, v)
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}
