package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
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
	// encodings are the body compressed, the best first (precompress).
	encodings []encoded
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
		ext := path.Ext(name)
		if ext == ".css" {
			body = minifyCSS(body)
		}
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		x := asset{name: name, hashed: hashed, body: body}
		if compressible(ext) {
			if x.encodings, err = precompress(body); err != nil {
				return err
			}
		}
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
// can answer with its own page. A client that accepts brotli or gzip gets
// the body compressed at start-up, with its own ETag; every answer says
// that it varies by Accept-Encoding. http.ServeContent sends the
// Content-Length and answers If-None-Match, HEAD and Range.
func (a *Assets) Serve(w http.ResponseWriter, r *http.Request) bool {
	x, ok := a.byURL[strings.TrimPrefix(r.URL.Path, a.prefix)]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body, tag := x.body, x.hashed
	if len(x.encodings) > 0 {
		h.Add("Vary", "Accept-Encoding")
		ae := r.Header.Get("Accept-Encoding")
		for _, e := range x.encodings {
			if accepts(ae, e.coding) {
				body, tag = e.body, x.hashed+"-"+e.coding
				h.Set("Content-Encoding", e.coding)
				// http.ServeContent leaves the length of an encoded body
				// unsaid, for the sake of ranges; a compressed asset is
				// a few kilobytes and goes out whole, with its length.
				h.Set("Content-Length", strconv.Itoa(len(body)))
				r.Header.Del("Range")
				break
			}
		}
	}
	h.Set("ETag", `"`+tag+`"`)
	// The type follows the name, not the compressed bytes.
	if ct := mime.TypeByExtension(path.Ext(x.name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	http.ServeContent(w, r, x.hashed, x.modTime, bytes.NewReader(body))
	return true
}

// minifyCSS drops a stylesheet's comments and the white space a browser
// does not need. The stylesheet is sent uncompressed with every page's
// first visit and counts against each page's 50 kB, so its layout and
// comments stay in the source and out of the wire. It keeps quoted strings
// as they are, the space before a pseudo-class (":is" after a space picks
// descendants), and every space around parentheses ("and (" in a media
// query is not "and(").
func minifyCSS(src []byte) []byte {
	var out []byte
	space := false // white space seen and not yet written
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return out
			}
			i += end + 3
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			space = true
			continue
		case c == '"' || c == '\'':
			if space && len(out) > 0 && !dropsSpaceAfter(out[len(out)-1]) {
				out = append(out, ' ')
			}
			space = false
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j+1, len(src))
			out = append(out, src[i:end]...)
			i = end - 1
			continue
		}
		if space && len(out) > 0 && !dropsSpaceAfter(out[len(out)-1]) && !dropsSpaceBefore(c) {
			out = append(out, ' ')
		}
		space = false
		if c == '}' && len(out) > 0 && out[len(out)-1] == ';' {
			out = out[:len(out)-1]
		}
		out = append(out, c)
	}
	return out
}

func dropsSpaceAfter(c byte) bool  { return strings.IndexByte("{};,>:", c) >= 0 }
func dropsSpaceBefore(c byte) bool { return strings.IndexByte("{};,>", c) >= 0 }
