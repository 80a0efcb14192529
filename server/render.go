package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync/atomic"

	"digiportal/static"
)

//go:embed templates
var templateFiles embed.FS

// views holds every page template, each parsed together with the layout and
// the partials. All are parsed at start-up, so a broken template stops the
// start instead of failing a visitor later.
type views struct {
	pages map[string]*template.Template
	// executed counts the pages executed, for the tests of kept pages.
	executed atomic.Int64
}

func parseViews(assets *static.Assets) (*views, error) {
	funcs := template.FuncMap{
		"asset": assets.URL,
		"add":   func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, name := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFiles, name); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		v.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return v, nil
}

// render writes page name with data and status 200.
func (s *web) render(w http.ResponseWriter, r *http.Request, name string, data any) error {
	return s.renderStatus(w, r, http.StatusOK, name, data)
}

// renderStatus executes the page into a buffer first, so a failing template
// never leaves half a page behind, then writes it with status.
func (s *web) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	s.views.executed.Add(1)
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		if name == "error" {
			// The error page itself failed: say so plainly rather than loop.
			s.log.LogAttrs(r.Context(), slog.LevelError, "error page failed", slog.Any("err", err))
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return nil
		}
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len())) // the compression drops it when it compresses
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
