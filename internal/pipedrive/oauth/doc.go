// Package oauth logs ferry in to Pipedrive with OAuth 2.0 and keeps that login usable for as
// long as a migration needs it.
//
// The flow is Pipedrive's authorization-code flow (openapi-v1.yaml: GET /oauth/authorize,
// POST /oauth/token with HTTP Basic client credentials, refresh with grant_type
// refresh_token; RFC 7009 revocation at POST /oauth/revoke) with a redirect listener on
// 127.0.0.1, a random state and PKCE (S256). The token answer's api_domain becomes the base
// URL of every API call.
//
// Where a login lives: outside the workspace, in the OS keychain where there is one
// (Keychain, Windows Credential Manager, Secret Service) and otherwise in a 0600 file under
// the user's config directory (0700). A login is keyed by the workspace's absolute path, so
// two client accounts migrated from one machine never share a token. Nothing in this package
// logs, prints or returns a token in an error.
//
// Refresh: Source hands out the access token, refreshing it shortly before it expires and
// when the API rejects it (Invalidate), one refresh at a time however many requests wait,
// and stores every new token at once, so a run that pauses for days resumes with the refresh
// token (valid 60 days from its last use). A refresh token that is revoked or expired ends in
// ErrLoginRequired, whose message says to run "ferry login pipedrive" and then the same
// command.
package oauth
