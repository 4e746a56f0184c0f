package specgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeSpecs(t *testing.T, v1, v2 string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{"openapi-v1.yaml": v1, "openapi-v2.yaml": v2} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const v1Doc = `paths:
  /things:
    parameters:
      - in: query
        name: x
    get:
      operationId: getThings
      x-token-cost: 20
  '/things/{id}':
    delete:
      operationId: deleteThing
      x-token-cost: 6
`

const v2Doc = `paths:
  /things:
    post:
      operationId: addThing
      x-token-cost: 5
`

func TestReadPrefixesAndSorts(t *testing.T) {
	got, err := Read(writeSpecs(t, v1Doc, v2Doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Method: "GET", Path: "/api/v1/things", Cost: 20, OperationID: "getThings"},
		{Method: "DELETE", Path: "/api/v1/things/{id}", Cost: 6, OperationID: "deleteThing"},
		{Method: "POST", Path: "/api/v2/things", Cost: 5, OperationID: "addThing"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	src, err := Render(got)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), `{Method: "DELETE", Path: "/api/v1/things/{id}", Cost: 6, OperationID: "deleteThing"},`) {
		t.Errorf("rendered source lacks the entry:\n%s", src)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, v1, want string
	}{
		{"missing cost", "paths:\n  /a:\n    get:\n      operationId: a\n", "no x-token-cost"},
		{"no paths", "openapi: 3.0.1\n", "no paths"},
		{"bad yaml", "paths: [\n", "parse openapi document"},
	}
	for _, tt := range tests {
		_, err := Read(writeSpecs(t, tt.v1, v2Doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := Read(t.TempDir()); err == nil {
		t.Error("empty directory: no error")
	}
}
