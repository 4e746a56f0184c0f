package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// link is a deal participant (a person) or follower (a user).
type link struct {
	ID      int64     `json:"id"`
	DealID  int64     `json:"deal_id"`
	OtherID int64     `json:"other_id"` // person id (participant) or user id (follower)
	AddTime time.Time `json:"add_time"`
}

var currencies = [][3]string{{"USD", "US Dollar", "$"}, {"EUR", "Euro", "€"}, {"GBP", "Pound Sterling", "£"},
	{"CAD", "Canadian Dollar", "CA$"}, {"AUD", "Australian Dollar", "A$"}, {"JPY", "Japanese Yen", "¥"},
	{"CHF", "Swiss Franc", "CHF"}, {"SEK", "Swedish Krona", "kr"}, {"NOK", "Norwegian Krone", "kr"},
	{"DKK", "Danish Krone", "kr"}, {"PLN", "Polish Zloty", "zł"}, {"INR", "Indian Rupee", "₹"},
	{"BRL", "Brazilian Real", "R$"}}

// extraRoutes registers the optional endpoints ferry may use: currencies, deal
// participants and followers, recents and person pictures.
func (s *Server) extraRoutes() {
	s.handle("GET /api/v1/currencies", s.locked(s.currenciesList))
	s.handle("POST /api/v1/deals/{id}/participants", s.locked(s.participantAdd))
	s.handle("POST /api/v2/deals/{id}/followers", s.locked(s.followerAdd))
	s.handle("GET /api/v1/recents", s.locked(s.recentsList))
	s.handle("POST /api/v1/persons/{id}/picture", s.locked(s.personPicture))
}

// currenciesList serves GET /api/v1/currencies (term filters code and name).
func (s *Server) currenciesList(w http.ResponseWriter, r *http.Request) *apiError {
	term := strings.ToLower(r.URL.Query().Get("term"))
	out := []map[string]any{}
	for i, c := range currencies {
		if term != "" && !strings.Contains(strings.ToLower(c[0]+" "+c[1]), term) {
			continue
		}
		dp := 2
		if c[0] == "JPY" {
			dp = 0
		}
		out = append(out, map[string]any{"id": i + 1, "code": c[0], "name": c[1], "decimal_points": dp,
			"symbol": c[2], "active_flag": true, "is_custom_flag": false})
	}
	writeData(w, out)
	return nil
}

// participantAdd serves POST /api/v1/deals/{id}/participants with {person_id}.
func (s *Server) participantAdd(w http.ResponseWriter, r *http.Request) *apiError {
	deal, person, err := s.dealAndRef(r, "person_id", "persons")
	if err != nil {
		return err
	}
	for _, l := range s.st.Participants {
		if l.DealID == deal.ID && l.OtherID == person.ID {
			return v1Bad("Person is already a participant of this deal.")
		}
	}
	l := &link{ID: s.st.nextID("participants"), DealID: deal.ID, OtherID: person.ID, AddTime: s.now()}
	s.st.Participants = append(s.st.Participants, l)
	contacts := func(key string) any { return person.Attrs[key] }
	writeData(w, map[string]any{"id": l.ID, "add_time": fmtV1(l.AddTime), "active_flag": true,
		"person_id": map[string]any{"active_flag": !person.Deleted, "name": person.Attrs["name"],
			"email": contacts("emails"), "phone": contacts("phones"), "owner_id": person.Attrs["owner_id"], "value": person.ID},
		"related_item_data": map[string]any{"deal_id": deal.ID, "title": deal.Attrs["title"]}})
	return nil
}

// followerAdd serves POST /api/v2/deals/{id}/followers with {user_id}; 201 like the spec.
func (s *Server) followerAdd(w http.ResponseWriter, r *http.Request) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, ok := s.st.live("deals", id); !ok {
		return notFound()
	}
	body, err := decodeBody(r)
	if err != nil {
		return err
	}
	uid, ok := asInt(body["user_id"])
	if len(body) != 1 || !ok {
		return badRequest("Validation failed: user_id: Required integer, and no other key")
	}
	if _, ok := s.st.user(uid); !ok {
		return badRequest("User with id %d not found", uid)
	}
	for _, l := range s.st.Followers {
		if l.DealID == id && l.OtherID == uid {
			return badRequest("User %d already follows deal %d", uid, id)
		}
	}
	l := &link{ID: s.st.nextID("followers"), DealID: id, OtherID: uid, AddTime: s.now()}
	s.st.Followers = append(s.st.Followers, l)
	writeJSON(w, http.StatusCreated, map[string]any{"success": true,
		"data": map[string]any{"user_id": uid, "add_time": fmtV2(l.AddTime)}})
	return nil
}

// dealAndRef reads the live deal of {id} and the live record a v1 body names in key.
func (s *Server) dealAndRef(r *http.Request, key, coll string) (*record, *record, *apiError) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	deal, ok := s.st.live("deals", id)
	if !ok {
		return nil, nil, notFound()
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return nil, nil, err
	}
	ref, ok := v1Int(body[key])
	if !ok {
		return nil, nil, v1Bad(key + " must be given as an integer")
	}
	rec, ok := s.st.live(coll, ref)
	if !ok {
		return nil, nil, v1Bad(refName(coll) + " with id " + strconv.FormatInt(ref, 10) + " not found.")
	}
	return deal, rec, nil
}
