package migrate

import (
	"context"
	"errors"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// minPause is the shortest wait for a budget reset, so a reset time already passed (a clock
// skew) does not spin.
const minPause = time.Second

// Selection is a set of source records by kind (a sample). A nil Selection holds every
// record.
type Selection map[source.Kind]map[string]bool

// Has reports whether the record is selected; every record is in a nil Selection.
func (s Selection) Has(k source.Kind, id string) bool {
	return s == nil || s[k][id]
}

// Add puts a record into the selection and reports whether it was new.
func (s Selection) Add(k source.Kind, id string) bool {
	if s[k] == nil {
		s[k] = map[string]bool{}
	}
	if s[k][id] {
		return false
	}
	s[k][id] = true
	return true
}

// Len counts the selected records.
func (s Selection) Len() int {
	n := 0
	for _, ids := range s {
		n += len(ids)
	}
	return n
}

// waitingForBudget runs step; when it stops because the daily budget ran out and the engine
// waits for budgets, it pauses until the reset and runs step again (step must be resumable).
// It gives up with the budget error when a whole day's budget did not let step spend a token.
func (e *Engine) waitingForBudget(ctx context.Context, step func() error) error {
	spentAtPause := int64(-1)
	for {
		err := step()
		var be *pipedrive.BudgetError
		if !e.wait || !errors.As(err, &be) {
			return err
		}
		spent := e.client.Stats().Tokens
		if spent == spentAtPause {
			return err // nothing moved since the last reset: waiting again would not help
		}
		spentAtPause = spent
		if err := e.pause(ctx, be); err != nil {
			return err
		}
	}
}

// pause waits until be.Reset on the engine's clock, telling the progress callback when it
// starts and ends. It returns the context's error when cancelled during the wait.
func (e *Engine) pause(ctx context.Context, be *pipedrive.BudgetError) error {
	e.emit(Event{Pause: &Pause{Until: be.Reset, At: e.clock.Now(), Reason: be.Error()}})
	if err := e.clock.Sleep(ctx, max(be.Reset.Sub(e.clock.Now()), minPause)); err != nil {
		return err
	}
	e.emit(Event{Pause: &Pause{Until: be.Reset, Resumed: true, At: e.clock.Now()}})
	return nil
}

// emit sends ev to the progress callback, if any.
func (e *Engine) emit(ev Event) {
	if e.progress != nil {
		e.progress(ev)
	}
}
