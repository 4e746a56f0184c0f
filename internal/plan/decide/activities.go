package decide

import (
	"sort"
	"strings"

	"ferry/internal/source"
)

// defaultActivity is DESIGN.md §4's default map from Klipy interaction types to Pipedrive
// activity type keys. Direct messages become tasks with the channel in the description.
var defaultActivity = map[string]string{
	source.TypeEmail:            "email",
	source.TypeMeeting:          "meeting",
	source.TypeBookingCreated:   "meeting",
	source.TypeBookingCancelled: "meeting",
	source.TypeVoiceNote:        "call",
	source.TypeDirectMessage:    "task",
	source.TypeMemo:             "task",
	source.TypeManual:           "task",
	source.TypeAPIEvent:         "task",
}

// proposeActivityTypes maps each interaction type seen to the default Pipedrive type, when
// that type exists in the destination (an unknown one is left open for a person).
func proposeActivityTypes(sc *Scan, dest Destination) []ActivityType {
	have := map[string]bool{}
	for _, k := range dest.ActivityTypes {
		have[k] = true
	}
	var out []ActivityType
	for klipy, n := range sc.Interactions {
		base, channel, _ := strings.Cut(klipy, "/")
		at := ActivityType{Klipy: klipy, Count: n, Channel: channel != ""}
		if t, ok := defaultActivity[base]; ok && (have[t] || len(have) == 0) {
			at.Target = t
		}
		out = append(out, at)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Klipy < out[j].Klipy })
	return out
}

// ActivityTypeFor returns the Pipedrive type of an interaction type and channel, and
// whether the channel goes into the description.
func (d Decisions) ActivityTypeFor(typ, channel string) (string, bool) {
	key := strings.ToUpper(strings.TrimSpace(typ))
	if ch := strings.TrimSpace(channel); key == source.TypeDirectMessage && ch != "" {
		key += "/" + ch
	}
	for _, a := range d.ActivityTypes {
		if strings.EqualFold(a.Klipy, key) {
			return a.Target, a.Channel
		}
	}
	return "", false
}
