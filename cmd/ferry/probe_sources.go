package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"ferry/internal/klipy"
	"ferry/internal/klipy/harvest"
	"ferry/internal/klipy/webhook"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// klipyProbe is what probe learned from Klipy's API.
type klipyProbe struct {
	KeySet     bool   `json:"key_set"`
	BaseURL    string `json:"base_url"`
	Reachable  bool   `json:"reachable"`
	Generation string `json:"generation,omitempty"`
	Team       string `json:"team,omitempty"`
	People     int    `json:"people"`
	Complete   bool   `json:"people_count_complete"`
	Error      string `json:"error,omitempty"`
	// Problem is "credential rejected" (KLIPY_API_KEY refused), "unreachable", or "".
	Problem string `json:"problem,omitempty"`
}

func (k klipyProbe) summary() string {
	switch {
	case !k.KeySet:
		return "not checked (KLIPY_API_KEY is not set; the harvest folder and webhooks still work)"
	case k.Problem == problemRejected:
		return fmt.Sprintf("credential rejected at %s: KLIPY_API_KEY was refused: %s", k.BaseURL, k.Error)
	case !k.Reachable:
		return fmt.Sprintf("unreachable at %s: %s", k.BaseURL, k.Error)
	}
	return fmt.Sprintf("%s generation at %s, workspace %q", k.Generation, k.BaseURL, k.Team)
}

// probeKlipy authenticates and counts people, page by page, up to maxPages (0: all).
func probeKlipy(ctx context.Context, ws *workspace.Workspace, env workspace.Env, maxPages int) klipyProbe {
	p := klipyProbe{KeySet: env.KlipyKey != "", BaseURL: env.KlipyURL(ws.Config)}
	if !p.KeySet {
		return p
	}
	c, err := newKlipyClient(ws, env, 0)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	auth, scopedOnly, err := c.Identify(ctx)
	if err != nil {
		p.Error, p.Problem = err.Error(), problemUnreachable
		if errors.Is(err, klipy.ErrUnauthorized) || errors.Is(err, klipy.ErrForbidden) {
			p.Problem = problemRejected
		}
		return p
	}
	p.Reachable, p.Generation, p.Team = true, string(auth.Generation), auth.TeamName
	if scopedOnly {
		p.Team = "(unknown: the key may not call /authenticate, which needs the ALL scope)"
	}
	cursor := ""
	for pages := 0; maxPages == 0 || pages < maxPages; pages++ {
		page, err := c.QueryPeople(ctx, cursor)
		if err != nil {
			p.Error = err.Error()
			return p
		}
		p.People += len(page.Records)
		if cursor = page.Next; cursor == "" {
			p.Complete = true
			break
		}
	}
	return p
}

// probeHarvest reads the harvest folder without storing anything, with the workspace's column
// map (columns.yaml) when it has a readable one; nil when there is no folder.
func probeHarvest(ctx context.Context, dir string, cols *harvest.ColumnMap) (*harvest.Stats, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, nil
	}
	st, err := harvest.Read(ctx, dir, harvest.Options{Columns: cols},
		func(source.Record) error { return nil }, func(store.QuarantineItem) error { return nil })
	if err != nil && st.Files == nil {
		return nil, fmt.Errorf("probe harvest folder %s: %w", dir, err)
	}
	return &st, nil
}

// eventsProbe counts captured webhook events and the deals they fold into.
type eventsProbe struct {
	Events int `json:"events"`
	Deals  int `json:"deals"`
}

func probeEvents(ctx context.Context, st store.Store) (eventsProbe, error) {
	_, rep, err := webhook.Fold(ctx, st)
	return eventsProbe{Events: rep.Events, Deals: rep.Deals}, err
}

// harvestRows returns the readable rows of a kind's harvest file, and whether it is present.
func harvestRows(h *harvest.Stats, k source.Kind) (int, bool) {
	if h == nil {
		return 0, false
	}
	for _, f := range h.Files {
		if f.Kind == k {
			return f.Loaded, true
		}
	}
	return 0, false
}
