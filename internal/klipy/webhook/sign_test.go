package webhook

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	raw := strings.TrimPrefix(testSecret, SecretPrefix)
	tests := []struct {
		name, secret, id, body string
	}{
		{"prefixed secret", testSecret, "msg_1", movedBody},
		{"bare base64 secret", raw, "msg_2", movedBody},
		{"unpadded base64 secret", SecretPrefix + strings.TrimRight(raw, "="), "msg_3", "{}"},
		{"empty body", testSecret, "msg_4", ""},
		{"binary body", testSecret, "msg_5", "\x00\xff.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := signed(t, tt.secret, tt.id, testNow, tt.body)
			if !strings.HasPrefix(d.sig, "v1,") {
				t.Fatalf("Sign = %q, want a v1, entry", d.sig)
			}
			if err := Verify(testSecret, d.headers(), d.body, testNow); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

// TestSignKnownVector pins Sign to an HMAC computed outside Go:
//
//	printf %s "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEYHEX -binary | base64
func TestSignKnownVector(t *testing.T) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	got, err := Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	const want = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	good := signed(t, testSecret, "msg_good", testNow, movedBody)
	other := signed(t, SecretPrefix+"b3RoZXIta2V5LW9mLWFub3RoZXItZW5kcG9pbnQ=", "msg_good", testNow, movedBody)
	with := func(mod func(http.Header)) http.Header {
		h := good.headers()
		mod(h)
		return h
	}
	tests := []struct {
		name string
		h    http.Header
		body string
		now  time.Time
		want error
	}{
		{"valid", good.headers(), movedBody, testNow, nil},
		{"valid among several signatures", with(func(h http.Header) {
			h.Set(HeaderSignature, other.sig+" v1,bm9wZQ== "+good.sig)
		}), movedBody, testNow, nil},
		{"webhook- headers", http.Header{"Webhook-Id": {good.id}, "Webhook-Timestamp": {strconv.FormatInt(testNow.Unix(), 10)},
			"Webhook-Signature": {good.sig}}, movedBody, testNow, nil},
		{"4m59s old", good.headers(), movedBody, testNow.Add(4*time.Minute + 59*time.Second), nil},
		{"wrong secret", with(func(h http.Header) { h.Set(HeaderSignature, other.sig) }), movedBody, testNow, ErrBadSignature},
		{"altered body", good.headers(), strings.Replace(movedBody, "12000", "99000", 1), testNow, ErrBadSignature},
		{"altered id", with(func(h http.Header) { h.Set(HeaderID, "msg_other") }), movedBody, testNow, ErrBadSignature},
		{"altered timestamp", with(func(h http.Header) {
			h.Set(HeaderTimestamp, strconv.FormatInt(testNow.Unix()+1, 10))
		}), movedBody, testNow, ErrBadSignature},
		{"right signature, wrong version", with(func(h http.Header) {
			h.Set(HeaderSignature, "v2,"+strings.TrimPrefix(good.sig, "v1,"))
		}), movedBody, testNow, ErrBadSignature},
		{"signature without version", with(func(h http.Header) {
			h.Set(HeaderSignature, strings.TrimPrefix(good.sig, "v1,"))
		}), movedBody, testNow, ErrBadSignature},
		{"missing id", with(func(h http.Header) { h.Del(HeaderID) }), movedBody, testNow, ErrMissingHeaders},
		{"missing timestamp", with(func(h http.Header) { h.Del(HeaderTimestamp) }), movedBody, testNow, ErrMissingHeaders},
		{"missing signature", with(func(h http.Header) { h.Del(HeaderSignature) }), movedBody, testNow, ErrMissingHeaders},
		{"no headers", http.Header{}, movedBody, testNow, ErrMissingHeaders},
		{"timestamp not a number", with(func(h http.Header) { h.Set(HeaderTimestamp, "yesterday") }), movedBody, testNow, ErrMalformedHeaders},
		{"timestamp in ms", with(func(h http.Header) {
			h.Set(HeaderTimestamp, strconv.FormatInt(testNow.UnixMilli(), 10))
		}), movedBody, testNow, ErrStaleTimestamp},
		{"6 minutes old", good.headers(), movedBody, testNow.Add(6 * time.Minute), ErrStaleTimestamp},
		{"6 minutes ahead", good.headers(), movedBody, testNow.Add(-6 * time.Minute), ErrStaleTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(testSecret, tt.h, []byte(tt.body), tt.now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBadSecret(t *testing.T) {
	for _, secret := range []string{"", "whsec_", "whsec_not base64!", "whsec_@@@@", "   "} {
		_, err := NewVerifier(secret)
		if !errors.Is(err, ErrBadSecret) {
			t.Errorf("NewVerifier(%q) = %v, want ErrBadSecret", secret, err)
		}
		if s := strings.TrimPrefix(secret, SecretPrefix); strings.TrimSpace(s) != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error %q quotes the secret", err)
		}
		if _, err := Sign(secret, "msg", testNow, nil); !errors.Is(err, ErrBadSecret) {
			t.Errorf("Sign(%q) = %v, want ErrBadSecret", secret, err)
		}
	}
}
