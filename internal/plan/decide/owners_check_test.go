package decide

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckOwners(t *testing.T) {
	active := []User{{Name: "Ann Admin", Email: "ann@acme.com"}, {Name: "Bob Builder", Email: "Bob.Builder@acme.com"}}
	d := Decisions{Owners: []Owner{
		{Klipy: "A", Resolution: OwnerMap, Target: " ANN@acme.com "},           // ok: case and space
		{Klipy: "B", Resolution: OwnerMap, Target: "nobody@acme.com"},          // typo, nothing close
		{Klipy: "C", Resolution: OwnerFallback, Target: "bob.bulder@acme.com"}, // typo, close
		{Klipy: "D", Resolution: OwnerProvision, Email: "dan@acme.com"},        // to provision
		{Klipy: "E", Resolution: OwnerOpen},                                    // Open's business
		{Klipy: "F", Resolution: OwnerMatched, Target: "bob.builder@acme.com"},
		{Klipy: "G", Resolution: OwnerMatched, Target: "gone@acme.com"}, // deactivated since plan
	}}
	want := []OwnerProblem{
		{Owner: "B", Resolution: OwnerMap, Email: "nobody@acme.com"},
		{Owner: "C", Resolution: OwnerFallback, Email: "bob.bulder@acme.com", Suggest: "Bob.Builder@acme.com"},
		{Owner: "D", Resolution: OwnerProvision, Email: "dan@acme.com", Suggest: "ann@acme.com"},
		{Owner: "G", Resolution: OwnerMatched, Email: "gone@acme.com"},
	}
	if diff := cmp.Diff(want, d.CheckOwners(active)); diff != "" {
		t.Errorf("CheckOwners (-want +got):\n%s", diff)
	}
}
