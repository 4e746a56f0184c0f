package klipy

import (
	"context"
	"errors"
	"sync"

	"ferry/internal/source"
)

// getCompanies fetches companies by id with up to Config.Workers requests at once. It returns
// the records in the order of ids and the ids Klipy does not know (404); any other error
// stops it.
func (c *Client) getCompanies(ctx context.Context, ids []string) ([]source.Record, []string, error) {
	recs := make([]source.Record, len(ids))
	errs := make([]error, len(ids))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(c.cfg.Workers, len(ids)) {
		wg.Go(func() {
			for i := range next {
				recs[i], errs[i] = c.GetCompany(ctx, ids[i])
				if errs[i] != nil && !errors.Is(errs[i], ErrNotFound) {
					cancel()
				}
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	out := recs[:0:0]
	var missing []string
	for i, err := range errs {
		switch {
		case err == nil:
			out = append(out, recs[i])
		case errors.Is(err, ErrNotFound):
			missing = append(missing, ids[i])
		default:
			return nil, nil, firstRealError(errs)
		}
	}
	return out, missing, nil
}

// firstRealError prefers an error that is not the cancellation getCompanies caused itself.
func firstRealError(errs []error) error {
	var first error
	for _, err := range errs {
		if err == nil || errors.Is(err, ErrNotFound) {
			continue
		}
		if !errors.Is(err, context.Canceled) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}
