// Package review serves `ferry review`: a local web page over one workspace to review and
// confirm the plan, follow the run and read the report. It is a second view of the same state
// as the CLI: every change the page makes runs a ferry command through Backend.Exec, the same
// functions the CLI runs under the same workspace writer lock, so an edit in either is seen by
// the other.
//
// Security: the server is meant for 127.0.0.1; every request must carry the random token the
// URL printed at start (the first visit trades it for an HttpOnly, SameSite=Strict cookie),
// every POST must carry the page's CSRF token and come from the page's own origin, the Host
// header must be the address it was given, every response carries a strict
// Content-Security-Policy, and html/template escapes everything it renders. Nothing the page
// renders comes from the environment, so no secret can reach it.
package review

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"

	"ferry/internal/plan/lock"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Loss is a group of records of one object that would not (or did not) arrive for one reason.
type Loss struct {
	Kind       string
	Reason     string
	Records    int
	AcceptedBy string // the accepted loss reason covering it; "" when not accepted
}

// Backend is what the page needs from ferry's command layer.
type Backend interface {
	// Exec runs one ferry command (args without the workspace flag) on the workspace exactly
	// as the CLI does, writing its human output to out, and returns its exit code and error.
	// Writer commands take the workspace lock inside Exec.
	Exec(ctx context.Context, out io.Writer, args ...string) (int, error)
	// OpenStore opens the workspace's state store; the caller closes it.
	OpenStore(ctx context.Context) (store.Store, error)
	// Losses are the plan's predicted and recorded losses, as ferry confirm prints them.
	Losses(ctx context.Context, st store.Store) ([]Loss, error)
	// Lock checks the confirmation lock as ferry run does (lock.ErrNoLock, lock.ErrStale).
	Lock(ctx context.Context, st store.Store) (lock.Lock, error)
	// Users lists the emails of Pipedrive's active users, or an error saying why not.
	Users(ctx context.Context) ([]string, error)
}

// Config configures a Server.
type Config struct {
	Workspace *workspace.Workspace
	Backend   Backend
	// Token is the secret every request must carry; empty: a random one.
	Token string
	// Host is the host:port the server listens on; requests naming another Host are refused
	// (DNS rebinding). Empty: any host (tests).
	Host string
	Log  *slog.Logger
}

// Server is the review page's HTTP handler.
type Server struct {
	cfg   Config
	ws    *workspace.Workspace
	be    Backend
	token string
	csrf  string
	log   *slog.Logger
	mux   *http.ServeMux
	pages *pageSet
	run   *runner
	stop  context.CancelFunc
}

// New builds a server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Workspace == nil || cfg.Backend == nil {
		return nil, fmt.Errorf("review: a workspace and a backend are required")
	}
	s := &Server{cfg: cfg, ws: cfg.Workspace, be: cfg.Backend, token: cfg.Token, log: cfg.Log}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.token == "" {
		s.token = randomHex(16)
	}
	s.csrf = randomHex(16)
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	base, stop := context.WithCancel(context.Background())
	s.run, s.stop = newRunner(s, base), stop
	s.routes()
	return s, nil
}

// Close stops a run the page started, as Ctrl-C stops ferry run (it resumes later with
// nothing lost or sent twice), and waits for it to end.
func (s *Server) Close() {
	s.stop()
	s.run.wg.Wait()
}

// Token returns the token every request must carry (the URL's ?token=).
func (s *Server) Token() string { return s.token }

// ServeHTTP applies the security checks and headers, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w)
	if !s.hostAllowed(r) {
		http.Error(w, "this page answers only on "+s.cfg.Host, http.StatusMisdirectedRequest)
		return
	}
	if !s.authorised(w, r) {
		return
	}
	if r.Method == http.MethodPost && !s.csrfOK(r) {
		http.Error(w, "refused: the form did not come from this page (CSRF token or origin missing or wrong); reload the page", http.StatusForbidden)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.overview)
	s.mux.HandleFunc("GET /owners", s.owners)
	s.mux.HandleFunc("POST /owners", s.decideOwner)
	s.mux.HandleFunc("GET /duplicates", s.duplicates)
	s.mux.HandleFunc("POST /duplicates", s.splitCluster)
	s.mux.HandleFunc("GET /confirm", s.confirmPage)
	s.mux.HandleFunc("POST /confirm", s.confirm)
	s.mux.HandleFunc("POST /confirm/accept-loss", s.acceptLoss)
	s.mux.HandleFunc("GET /run", s.runPage)
	s.mux.HandleFunc("POST /run", s.runAction)
	s.mux.HandleFunc("GET /run/events", s.runEvents)
	s.mux.HandleFunc("GET /report", s.reportPage)
	s.mux.HandleFunc("POST /report", s.writeReport)
	s.mux.HandleFunc("GET /pipelines", s.pipelinesPage)
	s.mux.HandleFunc("POST /pipelines", s.decidePipeline)
	s.mux.HandleFunc("GET /columns", s.columnsPage)
	s.mux.HandleFunc("GET /fields", s.fieldsPage)
	s.mux.HandleFunc("GET /labels", s.labelsPage)
	s.mux.HandleFunc("POST /labels", s.moveLabel)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("review: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}
