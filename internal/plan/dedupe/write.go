package dedupe

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes res as json.MarshalIndent(res, "", "  ") would, byte for byte, but one
// element at a time: at a million people the whole document would be hundreds of megabytes
// held twice in memory.
func (res *Result) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("{\n")
	err := writeArray(bw, "person_clusters", res.PersonClusters, false)
	if err == nil {
		err = writeArray(bw, "company_clusters", res.CompanyClusters, false)
	}
	if err == nil {
		err = writeArray(bw, "name_variants", res.NameVariants, false)
	}
	if err == nil {
		err = writeArray(bw, "refused_links", res.Refused, false)
	}
	if err == nil {
		err = writeArray(bw, "destination_matches", res.DestinationMatches, false)
	}
	if err == nil {
		err = writeMember(bw, "stats", res.Stats, true)
	}
	if err != nil {
		return fmt.Errorf("write dedupe result: %w", err)
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// writeArray writes one member holding a slice, each element indented at depth two.
func writeArray[T any](w *bufio.Writer, name string, items []T, last bool) error {
	if items == nil || len(items) == 0 {
		return writeMember(w, name, items, last)
	}
	fmt.Fprintf(w, "  %q: [\n", name)
	for i, it := range items {
		b, err := json.MarshalIndent(it, "    ", "  ")
		if err != nil {
			return fmt.Errorf("%s[%d]: %w", name, i, err)
		}
		w.WriteString("    ")
		w.Write(b)
		if i < len(items)-1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	w.WriteString("  ]")
	return endMember(w, last)
}

// writeMember writes one member whose value is small enough to encode at once.
func writeMember(w *bufio.Writer, name string, v any, last bool) error {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(w, "  %q: ", name)
	w.Write(b)
	return endMember(w, last)
}

func endMember(w *bufio.Writer, last bool) error {
	if !last {
		w.WriteByte(',')
	}
	return w.WriteByte('\n')
}
