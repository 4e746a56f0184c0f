package pipedrive

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
)

// connectFailure classifies a transport error that happened before any answer: "dns" (the
// name does not resolve), "tls" (the handshake or certificate failed), "refused" (nothing
// listens, or the network is unreachable), "dial" (another connect failure, e.g. a dial
// timeout), or "" for errors after the connection was made.
func connectFailure(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var unknownAuth x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &unknownAuth),
		errors.As(err, &invalid), errors.As(err, &recordErr):
		return "tls"
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "refused"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "dial"
	}
	return ""
}

// connectRetries is how many attempts a refused or timed-out connection gets in all: a
// restarting proxy recovers within them, a wrong host fails in seconds.
const connectRetries = 3
