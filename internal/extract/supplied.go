package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"ferry/internal/source"
	"ferry/internal/store"
)

// SuppliedCursor names the store cursor that lists, as JSON, how many records each channel
// supplied in the last finished extraction.
const SuppliedCursor = "extract.supplied"

// RecordSupplied stores what each channel of rep loaded, for the next extraction's check.
func RecordSupplied(ctx context.Context, st store.Store, rep Report) error {
	out := map[source.Channel]int{}
	for ch, kinds := range rep.Channels {
		for _, c := range kinds {
			out[ch] += c.Loaded
		}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if err := st.PutCursor(ctx, SuppliedCursor, string(data)); err != nil {
		return fmt.Errorf("store the channels this extraction used: %w", err)
	}
	return nil
}

// Supplied returns how many records each channel supplied last time. A workspace extracted
// before the cursor existed has it derived from the snapshot's records (their origins name
// every channel that contributed; counts are then lower bounds); an empty snapshot gives an
// empty map.
func Supplied(ctx context.Context, st store.Store) (map[source.Channel]int, error) {
	out := map[source.Channel]int{}
	v, err := st.GetCursor(ctx, SuppliedCursor)
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			return nil, fmt.Errorf("cursor %s: %w", SuppliedCursor, err)
		}
		return out, nil
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	err = st.EachRecord(ctx, "", func(r source.Record) error {
		for _, part := range strings.Split(originOf(r), " + ") {
			ch, _, _ := strings.Cut(part, ":")
			out[source.Channel(ch)]++
		}
		if len(out) >= len(Precedence) {
			return errStop // every channel seen: the rest of the walk changes no answer
		}
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// Missing lists the channels that supplied records last time and are not among present,
// in precedence order.
func Missing(last map[source.Channel]int, present []Channel) []source.Channel {
	have := map[source.Channel]bool{}
	for _, ch := range present {
		have[ch.Name()] = true
	}
	var out []source.Channel
	for _, ch := range Precedence {
		if last[ch] > 0 && !have[ch] {
			out = append(out, ch)
		}
	}
	return out
}
