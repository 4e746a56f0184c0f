package migrate

import (
	"context"
	"testing"

	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
)

// TestFileMapperEndToEnd runs the engine with the mapping ferry plan proposes for the
// generated data (plan/mapping.Apply behind the engine's resolver).
func TestFileMapperEndToEnd(t *testing.T) {
	f := newFixture(t, 150, 9)
	ctx := context.Background()
	prof, err := profile.Build(ctx, f.store)
	if err != nil {
		t.Fatal(err)
	}
	m := mapping.Propose(prof, f.destSchema(ctx), mapping.Options{DefaultRegion: f.key.DefaultRegion})
	e, err := New(Config{Client: f.client(0), Store: f.store, Decisions: f.dec, Mapper: FileMapper{M: m}, Merges: f.merges, Workers: 4, FilesRoot: f.harvest})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Run(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, p := range rep.Phases {
		t.Log(p)
	}
	items, _ := f.store.QuarantineItems(ctx, "")
	for i, q := range items {
		if i < 5 {
			t.Logf("quarantined %s: %s", q.Raw, q.Reason)
		}
	}
	f.checkSandbox(rep)
}

// destSchema reads the sandbox's fields in the mapping's shape.
func (f *fixture) destSchema(ctx context.Context) mapping.Schema {
	s := mapping.Schema{Fields: map[string][]mapping.DestField{}}
	c := f.client(0)
	for _, ent := range recordEntities {
		fields, err := c.Fields(ctx, ent)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, fd := range fields {
			d := mapping.DestField{Name: fd.Name, Code: fd.Code, Type: fd.Type, Custom: fd.IsCustom}
			for _, o := range fd.Options {
				d.Options = append(d.Options, mapping.Option{ID: int(o.ID), Label: o.Label})
			}
			s.Fields[string(ent)] = append(s.Fields[string(ent)], d)
		}
	}
	return s
}
