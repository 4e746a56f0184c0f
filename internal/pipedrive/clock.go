package pipedrive

import "ferry/internal/clock"

// Clock is the time source of a Client. Tests pass a fake one so pacing and backoff run
// instantly; the zero Config uses the real clock.
type Clock = clock.Clock

// realClock is the system clock.
type realClock = clock.Real
