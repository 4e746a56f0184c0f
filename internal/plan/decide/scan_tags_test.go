package decide

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// TestScanSplitsTagsLikeTheMapping: the label decisions see the tags the mapping will send,
// whatever separator the export used ("VIP, Wholesale" from a spreadsheet cell is two tags).
func TestScanSplitsTagsLikeTheMapping(t *testing.T) {
	sc := NewScan()
	for i, tags := range []string{"VIP, Wholesale", "vip;Partner", "Newsletter|VIP", "Partner", ""} {
		sc.Add(source.Record{Kind: source.Company, ID: string(rune('a' + i)), Fields: map[string]string{"tags": tags}})
	}
	want := map[string]int{"VIP": 2, "Wholesale": 1, "vip": 1, "Partner": 2, "Newsletter": 1}
	if diff := cmp.Diff(want, sc.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}
