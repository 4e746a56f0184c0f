// Package webhook captures Klipy's outbound webhooks, which Svix delivers: it signs and
// verifies deliveries (Svix's HMAC-SHA256 scheme), parses the {type, object, data} envelope,
// serves an http.Handler that stores each event once in the state store, and folds the
// captured deal events into current deal state as source records of the webhook channel.
//
// Error contract: verification failures wrap one of ErrMissingHeaders, ErrMalformedHeaders,
// ErrStaleTimestamp or ErrBadSignature; a secret that cannot be used wraps ErrBadSecret; a body
// that is not a valid envelope wraps ErrMalformedEvent. No error, log line or response ever
// contains the secret.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verification errors.
var (
	ErrBadSecret        = errors.New("webhook secret is not a whsec_ base64 key")
	ErrMissingHeaders   = errors.New("missing svix-id, svix-timestamp or svix-signature header")
	ErrMalformedHeaders = errors.New("malformed svix header")
	ErrStaleTimestamp   = errors.New("stale timestamp")
	ErrBadSignature     = errors.New("no matching signature")
)

// Tolerance is how far a delivery's svix-timestamp may be from now, in either direction.
const Tolerance = 5 * time.Minute

// SecretPrefix starts every Svix endpoint secret.
const SecretPrefix = "whsec_"

// Header names of a Svix delivery.
const (
	HeaderID        = "svix-id"
	HeaderTimestamp = "svix-timestamp"
	HeaderSignature = "svix-signature"
)

// Verifier checks deliveries signed with one endpoint secret. Its String form hides the key.
type Verifier struct {
	key []byte
}

// NewVerifier parses secret: "whsec_" followed by the base64 key (the prefix may be left out,
// as Svix's own libraries allow). An empty or undecodable secret gives an error wrapping
// ErrBadSecret that does not quote the secret.
func NewVerifier(secret string) (*Verifier, error) {
	key, err := parseSecret(secret)
	if err != nil {
		return nil, err
	}
	return &Verifier{key: key}, nil
}

// String describes the verifier without revealing its key.
func (v *Verifier) String() string { return "webhook.Verifier{key: redacted}" }

func parseSecret(secret string) ([]byte, error) {
	s := strings.TrimPrefix(strings.TrimSpace(secret), SecretPrefix)
	if s == "" {
		return nil, fmt.Errorf("%w: empty", ErrBadSecret)
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("%w: the part after %s must be standard base64", ErrBadSecret, SecretPrefix)
	}
	return key, nil
}

// sign returns the base64 HMAC-SHA256 of "{id}.{unix ts}.{body}".
func (v *Verifier) sign(id, ts string, body []byte) string {
	m := hmac.New(sha256.New, v.key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Sign returns the svix-signature header value ("v1,<base64>") for a delivery of body with
// message id and timestamp ts, signed with secret. The error wraps ErrBadSecret.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	v, err := NewVerifier(secret)
	if err != nil {
		return "", err
	}
	return v.Sign(id, ts, body), nil
}

// Sign returns the svix-signature header value for a delivery.
func (v *Verifier) Sign(id string, ts time.Time, body []byte) string {
	return "v1," + v.sign(id, strconv.FormatInt(ts.Unix(), 10), body)
}

// Verify checks a delivery against secret at time now. See (*Verifier).Verify.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	v, err := NewVerifier(secret)
	if err != nil {
		return err
	}
	return v.Verify(h, body, now)
}

// Verify checks a delivery: the three svix headers (or their webhook- equivalents) must be
// present, the timestamp within Tolerance of now, and one v1 entry of the space-separated
// signature list must equal the HMAC of "{id}.{timestamp}.{body}" (compared in constant time).
// The error wraps ErrMissingHeaders, ErrMalformedHeaders, ErrStaleTimestamp or ErrBadSignature.
func (v *Verifier) Verify(h http.Header, body []byte, now time.Time) error {
	id, tsText, sigs := header(h, HeaderID), header(h, HeaderTimestamp), header(h, HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return ErrMissingHeaders
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not Unix seconds", ErrMalformedHeaders, HeaderTimestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > Tolerance || d < -Tolerance {
		return fmt.Errorf("%w: %s is %s away from now (tolerance %s)", ErrStaleTimestamp,
			HeaderTimestamp, d.Abs().Round(time.Second), Tolerance)
	}
	want := []byte(v.sign(id, tsText, body))
	for _, entry := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(entry, ",")
		if ok && version == "v1" && subtle.ConstantTimeCompare([]byte(sig), want) == 1 {
			return nil
		}
	}
	return ErrBadSignature
}

// header returns the svix- header, or its Standard Webhooks (webhook-) twin.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	return h.Get("webhook-" + strings.TrimPrefix(name, "svix-"))
}
