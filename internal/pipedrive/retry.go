package pipedrive

import (
	"math/rand/v2"
	"time"
)

// RetryPolicy is the backoff of a Client. The zero value means the defaults.
type RetryPolicy struct {
	MaxAttempts int           // attempts per call including the first; default 8
	Base        time.Duration // first backoff; default 1 s
	Max         time.Duration // cap of one backoff; default 60 s
	BlockWait   time.Duration // wait after an HTML 403 block; default 2 min
	Instant     bool          // tests: no backoff (server-given waits still apply through the pacer)
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 8
	}
	if p.Base <= 0 {
		p.Base = time.Second
	}
	if p.Max <= 0 {
		p.Max = time.Minute
	}
	if p.BlockWait <= 0 {
		p.BlockWait = 2 * time.Minute
	}
	return p
}

// backoff returns the wait before retry number attempt (0-based): capped exponential with
// equal jitter (half fixed, half random), so waits never collapse to zero.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	if p.Instant {
		return 0
	}
	d := p.Max
	if attempt < 30 {
		d = min(p.Base<<attempt, p.Max)
	}
	return d/2 + rand.N(d/2+1)
}

// action is what the classifier decided about one attempt.
type action int

const (
	actDone  action = iota // return the answer or the error as is
	actRetry               // try again after at least wait
)

// verdict is the classifier's decision.
type verdict struct {
	act     action
	err     error         // final error (actDone) or the last error if retries run out
	wait    time.Duration // least wait before the retry (server-directed)
	pause   bool          // pause every goroutine of the window for wait (429, block)
	blocked bool          // an HTML 403 edge block: pause both windows
}

// outcome is what one attempt produced.
type outcome struct {
	status  int
	err     error // transport error
	sent    bool  // the request (or part of it) may have been written
	ctxDone bool  // the caller's context ended
	apiErr  *APIError
	rl      rateHeaders
	authErr bool   // no credential could be had (err says why); nothing was sent
	bearer  string // the OAuth access token sent, to invalidate it after a 401; never logged
}

// classify decides about one attempt of a call to endpoint; idempotent tells whether the
// method may be re-sent after it may have been applied.
func classify(endpoint string, idempotent bool, o outcome, block time.Duration) verdict {
	switch {
	case o.authErr:
		return verdict{act: actDone, err: o.err}
	case o.err != nil:
		if !idempotent && o.sent {
			return verdict{act: actDone, err: &OutcomeUnknownError{Endpoint: endpoint, Err: o.err}}
		}
		if o.ctxDone {
			return verdict{act: actDone, err: o.err}
		}
		return verdict{act: actRetry, err: o.err}
	case o.apiErr == nil:
		return verdict{act: actDone}
	case o.status == 429:
		return verdict{act: actRetry, err: o.apiErr, wait: o.rl.resetOr(0), pause: true}
	case o.status == 403 && o.apiErr.HTML:
		return verdict{act: actRetry, err: o.apiErr, wait: block, pause: true, blocked: true}
	case o.status >= 500:
		if !idempotent {
			return verdict{act: actDone, err: &OutcomeUnknownError{Endpoint: endpoint, Status: o.status, Err: o.apiErr}}
		}
		return verdict{act: actRetry, err: o.apiErr, wait: o.rl.resetOr(0)}
	}
	return verdict{act: actDone, err: o.apiErr}
}
