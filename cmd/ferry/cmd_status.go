package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/plan/lock"
	"ferry/internal/store"
	"ferry/internal/store/filelock"
	"ferry/internal/store/postgres"
	"ferry/internal/workspace"
)

// StatusOptions are the flags of `ferry status`.
type StatusOptions struct {
	Store string   // a postgres:// URL: list its migrations without a workspace
	Names []string // list only these migrations (PostgreSQL)
}

// newStatusCommand builds `ferry status`.
func newStatusCommand(g *globalOptions) *cobra.Command {
	var opts StatusOptions
	cmd := &cobra.Command{
		Use:   "status [MIGRATION...]",
		Short: "List the migrations in the state store: phase, progress, tokens today, last activity, lock",
		Long: `Status lists the migrations a state store holds, one line each: its phase (extracted,
planned, confirmed, or the last run's kind and outcome), its progress (records in a final state
in the id map: done, merged or skipped, of all it holds, with what is in flight, failed or
held), the Pipedrive tokens it spent today (UTC), its last activity, and who holds its writer
lock (pid, host, command, since when).

In a workspace whose store is PostgreSQL (ferry.yaml's store or FERRY_STORE_URL) it lists every
migration in that database, so a team sees what runs where; --store URL does the same without
a workspace; naming migrations lists only those. A local workspace lists itself. Status only
reads: it never takes a lock nor creates a migration, so it can run beside a ferry run. A
migration it cannot read is listed with the reason, and status then exits 1.`,
		Example: `  ferry status
  ferry status --store postgres://ferry@db.internal:5432/ferry --json
  ferry status --store postgres://ferry@db.internal:5432/ferry acme_2026 globex`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Names = args
			return runStatus(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Store, "store", "", "a postgres:// URL: list its migrations (default: the workspace's store)")
	return cmd
}

// migrationStatus is one line of ferry status.
type migrationStatus struct {
	Name         string              `json:"name"`
	Phase        string              `json:"phase"`
	Final        int                 `json:"final"`
	Total        int                 `json:"total"`
	States       map[store.State]int `json:"states"`
	TokensToday  int64               `json:"tokens_today"`
	LastActivity time.Time           `json:"last_activity,omitzero"`
	Locked       bool                `json:"locked"`
	Holder       *store.Holder       `json:"holder,omitempty"`
	Error        string              `json:"error,omitempty"` // why the migration could not be read
}

// runStatus collects the status of every migration in the store and prints it.
func runStatus(ctx context.Context, g *globalOptions, opts StatusOptions) error {
	var list []migrationStatus
	var err error
	switch {
	case opts.Store != "":
		if !postgres.IsURL(opts.Store) {
			return usageErrorf("--store %s: want a postgres:// URL", postgres.Redact(opts.Store))
		}
		list, err = postgresStatus(ctx, opts.Store, opts.Names)
	default:
		ws, werr := workspace.Open(g.Workspace)
		if werr != nil {
			return werr
		}
		if url, _ := storeTarget(ws); url != "" {
			list, err = postgresStatus(ctx, url, opts.Names)
		} else if len(opts.Names) > 0 {
			return usageErrorf("naming migrations needs a PostgreSQL store (--store, FERRY_STORE_URL or ferry.yaml's store); workspace %s keeps its state in .ferry/state.db", ws.Dir)
		} else {
			list, err = localStatus(ctx, ws)
		}
	}
	if err != nil {
		return err
	}
	if err := printStatus(g, list); err != nil {
		return err
	}
	for _, s := range list {
		if s.Error != "" {
			return fmt.Errorf("migration %s could not be read: %s", s.Name, s.Error)
		}
	}
	return nil
}

// localStatus is the status of a workspace with its own state.db.
func localStatus(ctx context.Context, ws *workspace.Workspace) ([]migrationStatus, error) {
	st, err := openStore(ctx, ws)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	locker := filelock.New(filepath.Join(ws.Dir, workspace.StateDir, filelock.Name))
	s, err := statusOf(ctx, filepath.Base(ws.Dir), st, locker)
	return []migrationStatus{s}, err
}

// postgresStatus is the status of the migrations in the database url names (all when names
// is empty). One that vanished meanwhile is left out; one that cannot be read carries Error.
func postgresStatus(ctx context.Context, url string, names []string) ([]migrationStatus, error) {
	all := len(names) == 0
	if all {
		var err error
		if names, err = postgres.List(ctx, url); err != nil {
			return nil, err
		}
	}
	var out []migrationStatus
	for _, name := range names {
		s, err := onePostgresStatus(ctx, url, name)
		if all && err != nil && vanished(ctx, url, name) {
			continue // dropped while status read it
		}
		if err != nil {
			s = migrationStatus{Name: name, Error: err.Error()}
		}
		out = append(out, s)
	}
	return out, nil
}

// vanished reports whether migration name no longer exists.
func vanished(ctx context.Context, url, name string) bool {
	st, err := postgres.OpenExisting(ctx, url, name)
	if err == nil {
		st.Close()
	}
	return errors.Is(err, store.ErrNotFound)
}

func onePostgresStatus(ctx context.Context, url, name string) (migrationStatus, error) {
	st, err := postgres.OpenExisting(ctx, url, name)
	if err != nil {
		return migrationStatus{}, err
	}
	defer st.Close()
	return statusOf(ctx, name, st, postgres.NewLocker(url, name))
}

// statusOf reads one migration's status from its store and its lock.
func statusOf(ctx context.Context, name string, st store.Store, locker store.Locker) (migrationStatus, error) {
	s := migrationStatus{Name: name}
	var err error
	if s.States, err = st.CountMappings(ctx, ""); err != nil {
		return s, err
	}
	for state, n := range s.States {
		s.Total += n
		if state == store.Done || state == store.Merged || state == store.Skipped {
			s.Final += n
		}
	}
	if s.TokensToday, err = st.SpentOn(ctx, time.Now().UTC().Format(time.DateOnly)); err != nil {
		return s, err
	}
	if s.Phase, s.LastActivity, err = phaseOf(ctx, st); err != nil {
		return s, err
	}
	h, held, err := locker.Peek(ctx)
	if err != nil {
		return s, err
	}
	if s.Locked = held; held {
		s.Holder = &h
	}
	return s, nil
}

// phaseOf names where a migration stands, from its last run back to its snapshot, and when
// it last did something (a run's start or end, the last journaled write).
func phaseOf(ctx context.Context, st store.Store) (string, time.Time, error) {
	runs, err := st.Runs(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	var last time.Time
	err = st.EachJournal(ctx, 0, true, func(e store.JournalEntry) error {
		last = e.CreatedAt
		return errStopWalk
	})
	if err != nil && !errors.Is(err, errStopWalk) {
		return "", time.Time{}, err
	}
	if len(runs) > 0 {
		r := runs[0]
		last = latest(last, r.StartedAt, r.FinishedAt)
		return fmt.Sprintf("%s %d: %s", r.Kind, r.ID, r.Status), last, nil
	}
	if _, err := st.GetCursor(ctx, lock.CursorName); err == nil {
		return "confirmed", last, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", time.Time{}, err
	}
	n, err := st.CountRecords(ctx, "")
	if err != nil || n == 0 {
		return "empty", last, err
	}
	return fmt.Sprintf("extracted (%d records)", n), last, nil
}

// errStopWalk ends a walk after its first item.
var errStopWalk = errors.New("stop")

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// printStatus prints one line per migration (or JSON).
func printStatus(g *globalOptions, list []migrationStatus) error {
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"migrations": list})
	}
	if len(list) == 0 {
		g.printf("no migration in this store yet\n")
		return nil
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "migration\tphase\tprogress\tin flight\tfailed\theld\ttokens today\tlast activity\tlock")
	for _, s := range list {
		lockText := "free"
		if s.Holder != nil {
			lockText = "held by " + s.Holder.String()
		}
		act := "-"
		if !s.LastActivity.IsZero() {
			act = s.LastActivity.UTC().Format("2006-01-02 15:04:05Z")
		}
		if s.Error != "" {
			fmt.Fprintf(tw, "%s\tunreadable: %s\t\t\t\t\t\t\t\n", s.Name, s.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d\t%d\t%d\t%d\t%s\t%s\n", s.Name, s.Phase, s.Final, s.Total,
			s.States[store.InFlight], s.States[store.Failed], s.States[store.Held], s.TokensToday, act, lockText)
	}
	return tw.Flush()
}
