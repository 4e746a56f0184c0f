package oauth

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Revoke invalidates the login's refresh token (and with it its access tokens) at Pipedrive's
// RFC 7009 endpoint, authenticated as the app.
func Revoke(ctx context.Context, app App, l Login, httpc *http.Client) error {
	if l.Token == nil || l.Token.RefreshToken == "" {
		return nil
	}
	form := url.Values{"token": {l.Token.RefreshToken}, "token_type_hint": {"refresh_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, app.revokeURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("oauth: build the revoke request: %w", err)
	}
	req.SetBasicAuth(url.QueryEscape(app.ClientID), url.QueryEscape(app.ClientSecret))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := httpClientOr(httpc).Do(req)
	if err != nil {
		return fmt.Errorf("oauth: revoke at %s: %w", app.revokeURL(), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("oauth: revoke at %s: HTTP %d", app.revokeURL(), resp.StatusCode)
	}
	return nil
}
