package review

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// clustersShown bounds the clusters one page lists (dedupe.json can hold hundreds of
// thousands); the counts cover them all.
const clustersShown = 200

// clusterView is one duplicate cluster as the page shows it.
type clusterView struct {
	Kind       source.Kind
	Survivor   string
	Members    []memberView
	Links      []dedupe.Link
	Confidence string // high, medium or low: the weakest rule that joined it
	Variant    string // the name-variant class of a person cluster, when names differ
}

// memberView is one record of a cluster with the values a reviewer recognises it by.
type memberView struct {
	ID, Name, Email, Company, Origin string
}

type duplicatesData struct {
	Clusters []clusterView
	Total    int
	Refused  []dedupe.Link
	Stats    dedupe.Stats
}

// ruleConfidence is how sure a join rule is: an email, a LinkedIn profile or a company domain
// identifies; a phone can be a switchboard; a company name alone is the weakest.
func ruleConfidence(on string) int {
	switch on {
	case "email", "linkedin", "domain":
		return 3
	case "phone":
		return 2
	}
	return 1
}

var confidenceName = map[int]string{3: "high", 2: "medium", 1: "low"}

func (s *Server) duplicates(w http.ResponseWriter, r *http.Request) { s.duplicatesWith(w, r, nil) }

func (s *Server) duplicatesWith(w http.ResponseWriter, r *http.Request, out *outcome) {
	data, err := s.readClusters(r.Context())
	s.render(w, "duplicates", out, data, err)
}

func (s *Server) readClusters(ctx context.Context) (*duplicatesData, error) {
	path := s.ws.PlanPath(workspace.DedupeFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, errNoPlan
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := dedupe.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	st, err := s.be.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	variants := map[string]string{}
	for _, v := range res.NameVariants {
		variants[v.Survivor] = v.Class
	}
	all := append(append([]dedupe.Cluster(nil), res.PersonClusters...), res.CompanyClusters...)
	data := &duplicatesData{Total: len(all), Refused: res.Refused, Stats: res.Stats}
	for _, c := range all[:min(len(all), clustersShown)] {
		cv := clusterView{Kind: c.Kind, Survivor: c.Survivor, Links: c.Links, Variant: variants[c.Survivor]}
		conf := 3
		for _, l := range c.Links {
			conf = min(conf, ruleConfidence(l.On))
		}
		cv.Confidence = confidenceName[conf]
		for _, id := range c.Members {
			m, err := member(ctx, st, c.Kind, id)
			if err != nil {
				return nil, err
			}
			cv.Members = append(cv.Members, m)
		}
		data.Clusters = append(data.Clusters, cv)
	}
	return data, nil
}

// member reads one record of a cluster from the snapshot.
func member(ctx context.Context, st store.Store, kind source.Kind, id string) (memberView, error) {
	rec, err := st.GetRecord(ctx, kind, id)
	if err != nil {
		return memberView{ID: id, Name: "(not in the snapshot: " + err.Error() + ")"}, nil
	}
	f := rec.Fields
	name := f["name"]
	if name == "" {
		name = strings.TrimSpace(f["first_name"] + " " + f["last_name"])
	}
	company := f["company"]
	if company == "" {
		company = f["domain"]
	}
	return memberView{ID: id, Name: name, Email: f["email"], Company: company, Origin: rec.Origin}, nil
}

// splitCluster splits one cluster with ferry decide split.
func (s *Server) splitCluster(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.PostFormValue("survivor"))
	if id == "" {
		http.Error(w, "survivor is required", http.StatusBadRequest)
		return
	}
	s.duplicatesWith(w, r, s.exec(r.Context(), "decide", "split", id))
}
