package storetest

import (
	"testing"

	"ferry/internal/store"
)

func testDecisions(t *testing.T, open Opener) {
	st := fresh(t, open)
	ctx := t.Context()
	ds := []store.Decision{
		{Kind: "tag", Key: "vip", Value: []byte(`"VIP"`), Updated: at(1)},
		{Kind: "owner", Key: "b@x.com", Value: []byte(`{"user_id":12}`), Updated: at(2)},
		{Kind: "owner", Key: "a@x.com", Open: true, Updated: at(3)},
	}
	for _, d := range ds {
		must(t, st.PutDecision(ctx, d))
	}
	answered := store.Decision{Kind: "owner", Key: "a@x.com", Value: []byte(`{"user_id":7}`)}
	must(t, st.PutDecision(ctx, answered))
	owners, err := st.Decisions(ctx, "owner")
	must(t, err)
	if len(owners) != 2 {
		t.Fatalf("owner decisions: got %d, want 2", len(owners))
	}
	near(t, "zero Updated after put", owners[0].Updated)
	answered.Updated = owners[0].Updated
	diff(t, "owner decisions by key", owners, []store.Decision{answered, ds[1]})
	all, err := st.Decisions(ctx, "")
	must(t, err)
	diff(t, "all decisions by kind and key", all, []store.Decision{answered, ds[1], ds[0]})
	none, err := st.Decisions(ctx, "stage")
	must(t, err)
	diff(t, "stage decisions", none, []store.Decision(nil))
	wantErr(t, "decision without kind", st.PutDecision(ctx, store.Decision{Key: "k"}))
	wantErr(t, "decision without key", st.PutDecision(ctx, store.Decision{Kind: "tag"}))
}
