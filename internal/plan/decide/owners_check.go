package decide

import (
	"fmt"
	"strings"
)

// OwnerProblem is an owner decision that Pipedrive's users do not back: a map, fallback or
// matched target that is no active user, or a user to provision that does not exist yet.
type OwnerProblem struct {
	Owner      string // the Klipy owner, as decisions.yaml names it
	Resolution string
	Email      string // the Pipedrive user the decision needs
	Suggest    string // the closest active user's email ("did you mean"), if any is close
}

// Provision reports whether the problem is a user still to be provisioned.
func (p OwnerProblem) Provision() bool { return p.Resolution == OwnerProvision }

func (p OwnerProblem) String() string {
	s := fmt.Sprintf("owner %s: %s %s: no active Pipedrive user has this email", p.Owner, p.Resolution, p.Email)
	if p.Provision() {
		s = fmt.Sprintf("owner %s: %s does not exist in Pipedrive yet (resolution provision)", p.Owner, p.Email)
	}
	if p.Suggest != "" {
		s += fmt.Sprintf("; did you mean %s?", p.Suggest)
	}
	return s
}

// CheckOwners checks every resolved owner decision against the company's active users
// (active holds only those): the user a decision gives records to must exist, compared by
// email without case or surrounding space. Open decisions are Open's business and skipped.
func (d Decisions) CheckOwners(active []User) []OwnerProblem {
	var out []OwnerProblem
	for _, o := range d.Owners {
		email := o.Target
		switch o.Resolution {
		case OwnerProvision:
			email = o.Email
		case OwnerMatched:
			if email == "" {
				email = o.Email
			}
		case OwnerMap, OwnerFallback:
		default:
			continue
		}
		if email == "" {
			continue
		}
		if ok, suggest := FindUser(active, email); !ok {
			out = append(out, OwnerProblem{Owner: o.Klipy, Resolution: o.Resolution, Email: email, Suggest: suggest})
		}
	}
	return out
}

// FindUser reports whether email is one of users (no case, no surrounding space); when it is
// not, suggest is the closest user email at most max(2, len/8) edits away, else "".
func FindUser(users []User, email string) (found bool, suggest string) {
	key := strings.ToLower(strings.TrimSpace(email))
	best, bestD := "", max(2, len([]rune(key))/8)+1
	for _, u := range users {
		ue := strings.ToLower(strings.TrimSpace(u.Email))
		if ue == "" {
			continue
		}
		if ue == key {
			return true, ""
		}
		if d := levenshtein(key, ue); d < bestD {
			best, bestD = u.Email, d
		}
	}
	return false, best
}
