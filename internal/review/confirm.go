package review

import (
	"net/http"
	"strings"
)

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

// acceptLoss accepts one loss reason (or, with all, every current one) with ferry decide
// accept-loss, which names the records that will not arrive as a decision.
func (s *Server) acceptLoss(w http.ResponseWriter, r *http.Request) {
	args := []string{"decide", "accept-loss"}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	switch {
	case r.PostFormValue("all") == "1":
		args = append(args, "--all")
	case reason != "":
		args = append(args, reason)
	default:
		http.Error(w, "give a reason or all=1", http.StatusBadRequest)
		return
	}
	s.confirmWith(w, r, s.exec(r.Context(), args...))
}
