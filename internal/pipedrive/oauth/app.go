package oauth

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"golang.org/x/oauth2"
)

// DefaultServer is Pipedrive's OAuth server (openapi-v1.yaml, servers of /oauth/*).
const DefaultServer = "https://oauth.pipedrive.com"

// Environment variables that configure the OAuth app. The secret is never stored by ferry.
const (
	EnvClientID     = "PIPEDRIVE_CLIENT_ID"
	EnvClientSecret = "PIPEDRIVE_CLIENT_SECRET"
	EnvServer       = "PIPEDRIVE_OAUTH_URL" // a sandbox's OAuth server; default DefaultServer
)

// ErrNoApp is returned when the OAuth app's client id or secret is not in the environment.
var ErrNoApp = errors.New("oauth: no OAuth app configured: set " + EnvClientID + " and " + EnvClientSecret +
	" (from the app's page in Pipedrive's Developer Hub)")

// App is a registered Pipedrive OAuth app and the server it logs in at.
type App struct {
	ClientID     string
	ClientSecret string // never printed: String redacts it
	Server       string // e.g. https://oauth.pipedrive.com, without a trailing slash
}

// AppFromEnv reads the app from the environment. Errors: ErrNoApp, or a bad EnvServer URL.
func AppFromEnv() (App, error) {
	a := App{ClientID: strings.TrimSpace(os.Getenv(EnvClientID)),
		ClientSecret: strings.TrimSpace(os.Getenv(EnvClientSecret)),
		Server:       strings.TrimRight(strings.TrimSpace(os.Getenv(EnvServer)), "/")}
	if a.ClientID == "" || a.ClientSecret == "" {
		return a, ErrNoApp
	}
	if a.Server == "" {
		a.Server = DefaultServer
	}
	if u, err := url.Parse(a.Server); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return a, fmt.Errorf("oauth: %s %q is not an absolute http(s) URL like %s", EnvServer, a.Server, DefaultServer)
	}
	return a, nil
}

// String describes the app without its secret.
func (a App) String() string {
	return fmt.Sprintf("oauth.App{ClientID: %q, ClientSecret: %s, Server: %q}", a.ClientID, redacted(a.ClientSecret), a.Server)
}

// GoString is String, for %#v.
func (a App) GoString() string { return a.String() }

func redacted(s string) string {
	if s == "" {
		return "unset"
	}
	return "set (redacted)"
}

// config is the oauth2 configuration of the app for one redirect URL (empty for refreshes).
func (a App) config(redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     a.ClientID,
		ClientSecret: a.ClientSecret,
		RedirectURL:  redirect,
		Endpoint: oauth2.Endpoint{
			AuthURL:   a.Server + "/oauth/authorize",
			TokenURL:  a.Server + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader, // Pipedrive: Basic base64(client_id:client_secret)
		},
	}
}

// revokeURL is RFC 7009's endpoint at Pipedrive.
func (a App) revokeURL() string { return a.Server + "/oauth/revoke" }
