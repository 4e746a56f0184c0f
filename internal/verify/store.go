package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"ferry/internal/store"
)

// Where a verification result is stored: the decision of kind DecisionKind, key
// DecisionKey, value the Result as JSON. The report reads it with Load.
const (
	DecisionKind = "verification"
	DecisionKey  = "last"
)

// Save stores res as the workspace's last verification.
func Save(ctx context.Context, st store.Store, res Result) error {
	data, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("verify: encode result: %w", err)
	}
	if err := st.PutDecision(ctx, store.Decision{Kind: DecisionKind, Key: DecisionKey, Value: data}); err != nil {
		return fmt.Errorf("verify: store result: %w", err)
	}
	return nil
}

// Load returns the last stored verification; ok is false when none is stored.
func Load(ctx context.Context, st store.Store) (res Result, ok bool, err error) {
	ds, err := st.Decisions(ctx, DecisionKind)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Result{}, false, fmt.Errorf("verify: read result: %w", err)
	}
	for _, d := range ds {
		if d.Key != DecisionKey {
			continue
		}
		if err := json.Unmarshal(d.Value, &res); err != nil {
			return Result{}, false, fmt.Errorf("verify: decode stored result: %w", err)
		}
		return res, true, nil
	}
	return Result{}, false, nil
}
