package review

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
)

// pageNames are the pages, in the navigation's order (journey order).
var pageNames = []struct{ Path, Name, Title string }{
	{"/", "overview", "Overview"},
	{"/columns", "columns", "Columns"},
	{"/fields", "fields", "Fields"},
	{"/duplicates", "duplicates", "Duplicates"},
	{"/owners", "owners", "Owners"},
	{"/pipelines", "pipelines", "Pipelines"},
	{"/labels", "labels", "Labels"},
	{"/confirm", "confirm", "Confirm"},
	{"/run", "run", "Run"},
	{"/report", "report", "Report"},
}

// pageSet holds one template per page, each the layout plus the page's content.
type pageSet struct{ t map[string]*template.Template }

func parsePages() (*pageSet, error) {
	funcs := template.FuncMap{"join": strings.Join, "pct": pct, "mul100": func(f float64) float64 { return 100 * f }}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("review: parse layout: %w", err)
	}
	ps := &pageSet{t: map[string]*template.Template{}}
	for _, p := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+p.Name+".html")
		if err != nil {
			return nil, fmt.Errorf("review: parse page %s: %w", p.Name, err)
		}
		ps.t[p.Name] = t
	}
	return ps, nil
}

// outcome is what a command the page ran said.
type outcome struct {
	Command string
	Code    int
	Output  string
}

// OK says the command exited 0.
func (o *outcome) OK() bool { return o.Code == 0 }

// view is what every page template receives.
type view struct {
	Title     string
	Active    string
	Nav       []struct{ Path, Name, Title string }
	CSRF      string
	Workspace string
	Outcome   *outcome
	Error     string // a problem reading the workspace, shown instead of the data
	Data      any
}

// render writes page name with data; a template error is a 500 naming the page.
func (s *Server) render(w http.ResponseWriter, name string, out *outcome, data any, readErr error) {
	v := view{Active: name, Nav: pageNames, CSRF: s.csrf, Workspace: s.ws.Dir, Outcome: out, Data: data}
	for _, p := range pageNames {
		if p.Name == name {
			v.Title = p.Title
		}
	}
	if readErr != nil {
		v.Error = readErr.Error()
	}
	var buf bytes.Buffer
	if err := s.pages.t[name].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("render review page", "page", name, "error", err)
		http.Error(w, "render page "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// exec runs a ferry command for the page and returns what it said. Two writers at once are
// kept apart by the workspace lock, as on the command line (the second exits 7).
func (s *Server) exec(ctx context.Context, args ...string) *outcome {
	var buf bytes.Buffer
	out := s.execTo(ctx, &buf, args...)
	out.Output = buf.String() + out.Output
	return out
}

// execTo runs a ferry command writing its output to w; the outcome holds only its error.
func (s *Server) execTo(ctx context.Context, w io.Writer, args ...string) *outcome {
	out := &outcome{Command: "ferry " + strings.Join(args, " ")}
	var err error
	out.Code, err = s.be.Exec(ctx, w, args...)
	if err != nil {
		out.Output = fmt.Sprintf("ferry: %v\n", err)
	}
	return out
}

func pct(part, whole int) string {
	if whole == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(whole))
}
