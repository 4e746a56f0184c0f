package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzVerify: arbitrary headers and bodies never panic, and Verify accepts only a delivery
// whose signature list holds the right HMAC (computed here independently) and whose
// timestamp is within tolerance. A correctly signed delivery is always accepted.
func FuzzVerify(f *testing.F) {
	good := signed(f, testSecret, "msg_1", testNow, movedBody)
	f.Add(good.id, strconv.FormatInt(testNow.Unix(), 10), good.sig, []byte(movedBody), int64(0))
	f.Add("msg_1", "1", "v1,AAAA v1,", []byte("{}"), int64(-400))
	f.Add("", "x", "v2,"+good.sig, []byte(nil), int64(301))
	f.Add("msg.1.2", "-9223372036854775808", "v1", []byte("\x00"), int64(1<<40))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte, skew int64) {
		now := testNow.Add(time.Duration(skew) * time.Second)
		h := http.Header{}
		h.Set(HeaderID, id)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		id, ts, sig = h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature) // as HTTP keeps them
		err := Verify(testSecret, h, body, now)
		if err == nil {
			m := hmac.New(sha256.New, testKey)
			m.Write([]byte(id + "." + ts + "."))
			m.Write(body)
			want := "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
			if !containsField(sig, want) {
				t.Fatalf("accepted without the right HMAC: sig %q, want %q", sig, want)
			}
			sec, perr := strconv.ParseInt(ts, 10, 64)
			if perr != nil || now.Sub(time.Unix(sec, 0)).Abs() > Tolerance {
				t.Fatalf("accepted timestamp %q at %v", ts, now)
			}
		}
		if id == "" {
			return
		}
		// The same delivery, signed right, inside the tolerance, is accepted.
		at := now.Add(-time.Duration(skew%300) * time.Second)
		d := signed(t, testSecret, id, at, string(body))
		if err := Verify(testSecret, d.headers(), body, now); err != nil {
			t.Fatalf("rejected a correctly signed delivery: %v", err)
		}
	})
}

// containsField reports whether want is one of sig's whitespace-separated fields.
func containsField(sig, want string) bool {
	for _, f := range strings.Fields(sig) {
		if f == want {
			return true
		}
	}
	return false
}

// FuzzParseEvent sends arbitrary bodies, correctly signed, through the Handler: it never
// panics, and every delivery is accounted for: stored (200, and ParseEvent accepts the body)
// or rejected with a reason and a 4xx, nothing stored. Folding whatever was stored finds no
// malformed payload and accounts for every event.
func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{movedBody, "", "null", "[]", `{"type":""}`, `{"type":"x","data":[]}`,
		`{"type":"deal.closed","data":{"deal_id":"d","won":"maybe"}}`, `{"type":"deal.closed","data":{"deal_id":1,"won":true}}`,
		`{"type":"deal.moved","object":"event","data":{"deal_id":"d","to":{"x":1}}}`, `{"type":"a","data":{}} {}`,
		`{"type":"deal.created","data":{"deal_id":"d","deal_creation_date":"9999999999999999999"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		st := newMemStore()
		h, results := newTestHandler(t, st, nil)
		d := signed(t, testSecret, "msg_fuzz", testNow, string(body))
		w := post(h, d, d.headers())
		r := (*results)[0]
		_, perr := ParseEvent(body)
		switch {
		case r.Outcome == Stored && w.Code == 200 && perr == nil && st.count() == 1:
		case r.Outcome == Rejected && w.Code/100 == 4 && r.Reason != "" && perr != nil && st.count() == 0:
		case r.Outcome == Rejected && w.Code == http.StatusRequestEntityTooLarge && st.count() == 0:
		default:
			t.Fatalf("unaccounted: status %d, result %+v, parse error %v, %d stored", w.Code, r, perr, st.count())
		}
		f := NewFolder()
		for _, e := range st.events {
			if err := f.Add(e); err != nil {
				t.Fatalf("stored event does not fold: %v", err)
			}
		}
		_ = f.Records()
		rep := f.Report()
		sum := rep.Folded + rep.Interactions + rep.Duplicates + rep.Malformed
		for _, n := range rep.NotMigrated {
			sum += n
		}
		if sum != rep.Events || rep.Malformed != 0 {
			t.Fatalf("report %+v does not account for its events", rep)
		}
	})
}
