package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"sync"

	"ferry/internal/source"
)

// Why an attachment cannot be uploaded, as the key records it.
const (
	AttachTooLarge   = "too_large"
	AttachBadType    = "unsupported_type"
	AttachEscapes    = "escapes_folder"
	AttachMissing    = "missing_file"
	LargeFileBytes   = 150 << 20 // the declared and sparse-written size of the too-large file
	UploadLimitBytes = 100 << 20 // what the key assumes Pipedrive accepts per file
)

// attachment is one attachment record and the bytes its file holds (nil when no file is
// written, size only when the file is written sparse).
type attachment struct {
	rec     source.Record
	content []byte
	sparse  int64
	problem string
}

// hasAttachment reports whether person record i has a regular attachment.
func (d *Dataset) hasAttachment(i int) bool {
	return d.rng(tagAttach, i).IntN(100) < d.cfg.AttachmentsPer100
}

type fileKind struct{ ext, ctype string }

var fileKinds = []fileKind{{".txt", "text/plain"}, {".csv", "text/csv"}, {".pdf", "application/pdf"},
	{".png", "image/png"}}

// tinyPNG is a valid 1×1 PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func fileContent(r *rand.Rand, k fileKind, who string) []byte {
	switch k.ext {
	case ".png":
		return tinyPNG
	case ".pdf":
		body := fmt.Sprintf("BT /F1 12 Tf 72 712 Td (Quote for %s: %d EUR) Tj ET", who, r.IntN(90000))
		return fmt.Appendf(nil, "%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"+
			"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R"+
			"/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n4 0 obj<</Length %d>>stream\n%s\n"+
			"endstream endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n", len(body), body)
	case ".csv":
		return fmt.Appendf(nil, "item,qty,price\nLicence,%d,%d.00\nSupport,1,%d.00\n",
			1+r.IntN(50), 100+r.IntN(900), 50+r.IntN(500))
	}
	return fmt.Appendf(nil, "Meeting notes with %s\nAgreed next steps: %s.\n", who, pick(r, topics))
}

// regularAttachment returns the attachment of person record i.
func (d *Dataset) regularAttachment(i int) attachment {
	r := d.rng(tagAttach, i)
	r.IntN(100) // the draw hasAttachment used
	a := d.anchorOf(i)
	k := pick(r, fileKinds)
	id := d.id("att_", tagAttach, i)
	fileName := pick(r, []string{"notes", "quote", "contract", "logo", "minutes"}) + k.ext
	content := fileContent(r, k, a.id)
	f := map[string]string{"id": id, "file_name": fileName,
		"path": source.FilesDir + "/" + id + "-" + fileName, "content_type": k.ctype,
		"person_id": a.id, "company_id": a.companyID,
		"source_url": "https://app.klipy.ai/files/" + id, "created_at": rfc(between(r, a.created, Now))}
	if a.interactions > 0 {
		f["interaction_id"] = a.interactionID(d, r.IntN(a.interactions))
	}
	return withContent(attachment{rec: d.attachRecord(id, f), content: content})
}

func (d *Dataset) attachRecord(id string, f map[string]string) source.Record {
	return source.Record{Kind: source.Attachment, ID: id, Channel: source.Harvest,
		Origin: "gen:attachment", Fields: compact(f)}
}

func withContent(a attachment) attachment {
	if a.content != nil {
		sum := sha256.Sum256(a.content)
		a.rec.Fields["sha256"] = hex.EncodeToString(sum[:])
		a.rec.Fields["size_bytes"] = strconv.Itoa(len(a.content))
	}
	return a
}

var zeroSum = sync.OnceValue(func() string {
	h := sha256.New()
	if _, err := io.CopyN(h, zeroReader{}, LargeFileBytes); err != nil {
		panic(err) // zeroReader never fails
	}
	return hex.EncodeToString(h.Sum(nil))
})

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// specialAttachments returns the four attachments that cannot be uploaded, one per reason.
func (d *Dataset) specialAttachments() []attachment {
	n := d.cfg.People
	p := d.anchorOf(0)
	mk := func(s int, fileName, path, ctype string) source.Record {
		id := d.id("att_", tagAttach, n+s)
		return d.attachRecord(id, map[string]string{"id": id, "file_name": fileName,
			"path": path, "content_type": ctype, "person_id": p.id, "company_id": p.companyID,
			"source_url": "https://app.klipy.ai/files/" + id, "created_at": rfc(Now.AddDate(0, -1, 0))})
	}
	large := attachment{rec: mk(0, "board-meeting.mp4", "files/board-meeting.mp4", "video/mp4"),
		sparse: LargeFileBytes, problem: AttachTooLarge}
	large.rec.Fields["size_bytes"] = strconv.Itoa(LargeFileBytes)
	large.rec.Fields["sha256"] = zeroSum()
	exe := withContent(attachment{rec: mk(1, "klipy-sync-setup.exe", "files/klipy-sync-setup.exe",
		"application/x-msdownload"), content: []byte("MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode.\r\n"),
		problem: AttachBadType})
	escape := withContent(attachment{rec: mk(2, "secret.txt", "../secret.txt", "text/plain"),
		content: []byte("outside the harvest folder\n"), problem: AttachEscapes})
	escape.content = nil // declared, never written
	missing := withContent(attachment{rec: mk(3, "signed-contract.pdf", "files/signed-contract.pdf",
		"application/pdf"), content: []byte("%PDF-1.4 lost\n"), problem: AttachMissing})
	missing.content = nil
	return []attachment{large, exe, escape, missing}
}

// eachAttachment yields every attachment: the regular ones in person order, then the four
// problem attachments.
func (d *Dataset) eachAttachment(fn func(attachment) error) error {
	for i := range d.cfg.People {
		if d.hasAttachment(i) {
			if err := fn(d.regularAttachment(i)); err != nil {
				return err
			}
		}
	}
	for _, a := range d.specialAttachments() {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}
