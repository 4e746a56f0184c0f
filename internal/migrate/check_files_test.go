package migrate

import (
	"fmt"
	"sort"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// checkFiles compares the sandbox's files with the uploadable attachments (the answer key
// names the ones that cannot be uploaded): same name, size and person, each exactly once.
func (f *fixture) checkFiles(v sandboxView, missing map[string]string, rep Report) {
	notUploadable := map[string]bool{}
	for _, p := range f.key.Attachments.NotUploadable {
		notUploadable[p.ID] = true
	}
	var want, got []string
	skipped := 0
	_ = f.data.Each(source.Attachment, func(r source.Record) error {
		switch {
		case notUploadable[r.ID]:
			skipped++
		case missing[r.ID] == "":
			want = append(want, fmt.Sprintf("%s|%s|%s", r.Fields["file_name"], r.Fields["size_bytes"], f.survivor(source.Person, r.Fields["person_id"])))
		}
		return nil
	})
	for _, fl := range f.sb.Snapshot().Files {
		if active, ok := fl["active_flag"].(bool); ok && !active {
			continue // deleted
		}
		pid, _ := fl["person_id"].(float64)
		got = append(got, fmt.Sprintf("%s|%.0f|%s", fl["file_name"], fl["file_size"], v.idOf[source.Person][pid]))
	}
	sort.Strings(want)
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		f.t.Errorf("files in Pipedrive (-want +got):\n%s", diff)
	}
	for _, p := range rep.Phases {
		if p.Kind == source.Attachment && (p.Created != len(want) || p.SkippedByRule+p.Quarantined < skipped) {
			f.t.Errorf("files: report %s disagrees with the sandbox (%d uploaded, %d not uploadable)", p, len(want), skipped)
		}
	}
}
