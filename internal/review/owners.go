package review

import (
	"net/http"
	"strings"

	"ferry/internal/plan/decide"
)

type ownersData struct {
	Owners    []decide.Owner
	Users     []string
	UsersNote string // why Pipedrive's users could not be listed
}

func (s *Server) owners(w http.ResponseWriter, r *http.Request) { s.ownersWith(w, r, nil) }

func (s *Server) ownersWith(w http.ResponseWriter, r *http.Request, out *outcome) {
	d, err := readDecisions(s.ws)
	if err != nil || d == nil {
		s.render(w, "owners", out, nil, orNoPlan(err))
		return
	}
	data := ownersData{Owners: d.Owners}
	if data.Users, err = s.be.Users(r.Context()); err != nil {
		data.UsersNote = err.Error()
	}
	s.render(w, "owners", out, data, nil)
}

// decideOwner resolves one owner with ferry decide owner: map or fallback to an existing user,
// or provision the owner's own email (the button's confirmation is the --yes).
func (s *Server) decideOwner(w http.ResponseWriter, r *http.Request) {
	owner := strings.TrimSpace(r.PostFormValue("owner"))
	user := strings.TrimSpace(r.PostFormValue("user"))
	args := []string{"decide", "owner", owner}
	switch how := r.PostFormValue("resolution"); how {
	case decide.OwnerMap, decide.OwnerFallback:
		args = append(args, "--"+how, user)
	case decide.OwnerProvision:
		args = append(args, "--provision", "--yes")
	default:
		http.Error(w, "resolution must be map, fallback or provision, not "+quote(how), http.StatusBadRequest)
		return
	}
	if owner == "" {
		http.Error(w, "owner is required", http.StatusBadRequest)
		return
	}
	s.ownersWith(w, r, s.exec(r.Context(), args...))
}
