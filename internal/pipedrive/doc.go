// Package pipedrive is ferry's Pipedrive client: a paced, budgeted, retrying transport (Do)
// and typed operations on top of it. It uses API v2 wherever v2 has the resource (persons,
// organizations, deals, activities, pipelines, stages, person/organization/deal fields,
// search) and v1 for the rest (users, notes, files, activity types, lead labels, label options
// of the built-in label fields).
//
// One Client is safe for concurrent use; all goroutines share its pacing and budget.
//
// Pacing. Every request takes a slot in a rolling 2-second window sized from the plan's burst
// limit (API token or OAuth, workspace.Plans); search endpoints (/search, itemSearch) also take
// a slot in their own window of 10 per 2 s. A slot is held from the moment the request is sent
// until one window length after its response arrived, so no 2-second interval at the server
// ever holds more requests than the limit, whatever the latency. x-ratelimit-limit resizes the
// window, x-ratelimit-remaining lower than what this client can explain adds the other traffic
// (same token, other processes) to the window, and a 429 pauses every goroutine until
// Retry-After / x-ratelimit-reset has passed. Search answers correct the search window only.
// /users/find is paced as a search too (conservative; the docs do not say).
//
// Budget. The token cost of every call is known before it is made (package costs, generated
// from the OpenAPI documents). Remaining daily tokens come from the
// x-daily-ratelimit-token-remaining header when the server sends it, else from
// Config.DailyBudget minus the ledger's spend for the UTC day. A call that would exceed the
// budget is not made: it fails with a *BudgetError (errors.Is(err, ErrBudgetExhausted)) whose
// Reset is the next UTC midnight unless the server named another time. A 429 with zero daily
// tokens remaining is the same error, never a retry loop. Each answered call (any status but
// 429) is recorded in the Ledger under its UTC day and endpoint template.
//
// Retries. A classifier decides per attempt (retry or not, and the least wait); a separate
// capped, jittered exponential backoff decides how long. Retried: 429 (after Retry-After or
// x-ratelimit-reset), 5xx, network errors, and a Cloudflare-style HTML 403 (the block Pipedrive
// puts on clients that ignore 429s; waited out for minutes, pausing every goroutine).
//
// The create rule. A POST is never re-sent once it may have reached Pipedrive: a network error
// or timeout after the request was written, or any 5xx answer (Pipedrive's 500 ERR_UNKNOWN may
// have applied the write; a gateway 502/504 may hide a completed one; we cannot tell which),
// returns an *OutcomeUnknownError (errors.Is(err, ErrOutcomeUnknown)) so the caller can look the
// record up before deciding to create it again. A POST refused before processing (429, HTML
// 403, or a connection error before anything was written) is retried. The caller's context
// ending while a POST is in flight is also an outcome-unknown error. GET, DELETE and
// PATCH/PUT (which carry full values) are idempotent and retried; a DELETE retried after a
// lost response may answer 404, which the caller should treat as done. A PUT that adds
// something (new label options without ids) sets Request.NonIdempotent and follows the
// create rule.
//
// Errors. Answers with success=false become *APIError (status, message, code, endpoint); 404
// wraps ErrNotFound, 401 wraps ErrUnauthorized and says the token was rejected. The API token
// never appears in an error, a log line or a file.
package pipedrive
