package pipedrive

import "sync/atomic"

// Stats counts what one Client did since it was made.
type Stats struct {
	Requests    int64 // HTTP attempts sent (retries included)
	Retries     int64 // attempts that were retried
	RateLimited int64 // 429 answers (burst and budget)
	Blocked     int64 // HTML 403 edge blocks
	Tokens      int64 // tokens charged
}

type counters struct {
	requests, retries, rateLimited, blocked, tokens atomic.Int64
}

func (c *counters) note(o outcome, charged bool, cost int) {
	c.requests.Add(1)
	if o.status == 429 {
		c.rateLimited.Add(1)
	}
	if o.apiErr != nil && o.apiErr.HTML && o.status == 403 {
		c.blocked.Add(1)
	}
	if charged {
		c.tokens.Add(int64(cost))
	}
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.count.requests.Load(), Retries: c.count.retries.Load(),
		RateLimited: c.count.rateLimited.Load(), Blocked: c.count.blocked.Load(), Tokens: c.count.tokens.Load()}
}
