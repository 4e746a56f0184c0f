package rollback

import (
	"context"
	"testing"

	"ferry/internal/pipedrive/spectest"
)

// TestOverwriteMergeBodiesConformToSpec: a migration whose merges into existing persons and
// organizations use the overwrite policy, then its rollback and proof, with every request
// ferry sends (creates, merge PATCHes, restores, deletes) validated against Pipedrive's
// OpenAPI documents, undeclared body keys included. Before the fix every overwrite merge
// carried add_time, which v2 refuses on PATCH.
func TestOverwriteMergeBodiesConformToSpec(t *testing.T) {
	ctx := context.Background()
	specs := spectest.Load(t)
	rec := spectest.NewRecorder(specs, nil)
	f := newFixtureWith(t, 20, 5, &fixture{rt: rec, policy: "overwrite"})
	res := f.rollbackAll(ctx)
	f.checkRestored()
	f.checkProof(ctx, res.RunID)
	rec.Check(t)
}
