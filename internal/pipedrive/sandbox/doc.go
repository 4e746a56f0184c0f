// Package sandbox is an in-memory, faithful stand-in for Pipedrive's REST API (v1 and v2) as
// ferry uses it: entity CRUD with v2's strict validation, custom fields with per-instance
// 40-hex codes, search, v1 users/notes/files/activity types/lead labels, Pipedrive's envelopes
// and error bodies, token-cost accounting (costs from the spec's x-token-cost, via package
// costs) with burst and daily limits, and deterministic fault injection. A *Server is an
// http.Handler and is safe for concurrent use; GET /_sandbox/stats reports traffic.
//
// Where Pipedrive's documents are silent or disagree, the sandbox chooses as follows:
//
//   - Unset entity attributes are omitted from v2 responses, except those the spec marks
//     nullable (e.g. deal probability, organization website), which are null. The v2 schemas
//     declare most attributes non-nullable; clients must treat missing and null alike.
//   - custom_fields in responses lists every live custom field of the entity, null when unset.
//     A write naming an unknown field code is a 400; one naming a deleted field is ignored
//     (the custom-fields guide: "later POSTs that mention it ignore it").
//   - Unknown top-level body keys are a 400 (v2 validates strictly). persons also accept
//     first_name/last_name (the migration guide allows them; the spec body does not list
//     them). add_time is accepted on create only, and only for persons and organizations; a
//     deal or activity body with add_time is an unknown key.
//   - The built-in label field has field_code "label_ids" in v2 (the attribute it feeds) and
//     key "label" in v1, type set, with options Customer / Hot lead / Warm lead / Cold lead
//     for persons and organizations and Hot / Warm / Cold for deals. Option ids are global
//     integers, so they differ between fields. Both the v1 PUT with a full options list and
//     the v2 options endpoints work on it.
//   - GET of a soft-deleted person/organization/deal/activity returns it with is_deleted
//     true; PATCH and DELETE of it are 404; lists and searches hide it
//     (GET /api/v2/deals?status=deleted lists deleted deals). After 30 days (sandbox clock)
//     it is purged: 404 everywhere. Deleted fields answer 410
//     {"success":false,"error":"The field is not found"}. Notes are deleted outright.
//   - itemSearch/field answers data: [{id, name}] (the example of both the v2 and legacy v1
//     documents; the v2 schema's {result_score, item} is not used); name is the deal title
//     for deals. Matching is case-sensitive; term needs 2 characters (1 with match=exact).
//   - Validation failures are 400 with code ERR_BAD_REQUEST and a "Validation failed: …"
//     message; v1 errors carry no code. The 429 body is the error envelope plus errorCode 429
//     (the docs give none). With limits off no rate-limit headers are sent.
//   - Rejected requests (429, 401, the HTML 403 block) cost nothing and do not enter the burst
//     window; every admitted request is charged, whatever its status. The daily budget resets
//     at midnight UTC of the sandbox clock.
//   - v1 lists put start/limit/more_items_in_collection/next_start under
//     additional_data.pagination (the documents' examples), also for the fields lists whose
//     schema puts them directly under additional_data. GET /v1/recents renders records in
//     the legacy v1 shape (email/phone, user_id, active_flag, flat custom fields).
//   - Optional endpoints served: v1 leads (UUID ids, POST 201), currencies, leadFields,
//     POST /v1/deals/{id}/participants, POST /v2/deals/{id}/followers (201), recents and
//     person pictures. The legacy v1 entity CRUD is not served.
//   - Faults are drawn after authentication and limits. 5xx, 429 and reset are not applied;
//     lost applies the request and then closes the connection without a response.
package sandbox
