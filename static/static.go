package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed files
var files embed.FS

// Assets maps file names to their hashed URLs and serves them.
type Assets struct {
	byName map[string]asset // app.css → asset
	byURL  map[string]asset // app.3f2a9c1b.css → asset
	prefix string
}

type asset struct {
	name, hashed string
	body         []byte
	modTime      time.Time
}

// New reads every embedded file and hashes it. prefix is the URL path the
// handler is mounted at, such as "/static/".
func New(prefix string) (*Assets, error) {
	a := &Assets{byName: map[string]asset{}, byURL: map[string]asset{}, prefix: prefix}
	err := fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "files/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		x := asset{name: name, hashed: hashed, body: body}
		a.byName[name], a.byURL[hashed] = x, x
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of the named file. An unknown name is a
// programming error caught when templates first render in tests.
func (a *Assets) URL(name string) (string, error) {
	x, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("static: no file %q", name)
	}
	return a.prefix + x.hashed, nil
}

// Size returns the size in bytes of the named file, for page-weight checks.
func (a *Assets) Size(name string) int { return len(a.byName[name].body) }

// ServeHTTP serves a file by its hashed name, cached for a year.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.Serve(w, r) {
		http.NotFound(w, r)
	}
}

// Serve answers r with the asset its path names and reports true, or
// writes nothing and reports false when there is none, so that the caller
// can answer with its own page.
func (a *Assets) Serve(w http.ResponseWriter, r *http.Request) bool {
	x, ok := a.byURL[strings.TrimPrefix(r.URL.Path, a.prefix)]
	if !ok {
		return false
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, x.hashed, x.modTime, bytes.NewReader(x.body))
	return true
}
