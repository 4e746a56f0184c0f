package webhook

import (
	"crypto/sha256"
	"strings"
	"time"

	"github.com/segmentio/ksuid"
)

// MessageIDPrefix starts every Svix message id.
const MessageIDPrefix = "msg_"

// MessageTime returns the creation time embedded in a Svix message id. Svix ids are
// "msg_" + a KSUID (a base62, K-sortable id whose first four bytes are the second it was made:
// https://pypi.org/project/svix-ksuid/), and a message id is made once, when the event is
// sent, and kept by every retry (https://docs.svix.com/receiving/verifying-payloads/how-manual),
// so this is when Klipy emitted the event, whatever attempt delivered it. ok is false for an id
// that is not of that form.
func MessageTime(id string) (time.Time, bool) {
	rest, found := strings.CutPrefix(id, MessageIDPrefix)
	if !found {
		return time.Time{}, false
	}
	k, err := ksuid.Parse(rest)
	if err != nil {
		return time.Time{}, false
	}
	return k.Time().UTC(), true
}

// NewMessageID returns a Svix-style message id made at t (the sandbox sends these).
func NewMessageID(t time.Time) string {
	k, err := ksuid.NewRandomWithTime(t)
	if err != nil { // only when the system's random source fails
		return MessageIDPrefix + ksuid.New().String()
	}
	return MessageIDPrefix + k.String()
}

// MessageIDFor returns a Svix-style message id made at t whose random part is derived from
// seed, so the same event always gets the same id (the sandbox replays generated events).
// An id that already is a Svix id is returned as it is.
func MessageIDFor(t time.Time, seed string) string {
	if _, ok := MessageTime(seed); ok {
		return seed
	}
	sum := sha256.Sum256([]byte(seed))
	k, err := ksuid.FromParts(t, sum[:16])
	if err != nil { // a time outside KSUID's range (before 2014 or after 2150)
		return seed
	}
	return MessageIDPrefix + k.String()
}
