package review

import "net/http"

type confirmData struct {
	State *state
}

func (s *Server) confirmPage(w http.ResponseWriter, r *http.Request) { s.confirmWith(w, r, nil) }

func (s *Server) confirmWith(w http.ResponseWriter, r *http.Request, out *outcome) {
	st, err := s.load(r.Context(), true)
	if err != nil {
		s.render(w, "confirm", out, nil, err)
		return
	}
	s.render(w, "confirm", out, confirmData{State: st}, nil)
}

// confirm runs ferry confirm --yes: the same checks (open decisions, the mapping's lint,
// owners against Pipedrive's users, unaccepted losses); the button is the confirmation.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request) {
	s.confirmWith(w, r, s.exec(r.Context(), "confirm", "--yes"))
}
