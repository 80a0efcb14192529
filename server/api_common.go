package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"digiportal/indicators"
)

// The read-only JSON API of approved figures (routes_indicators.go, one
// api_<noun>_<verb>.go file per address). Every answer carries an ETag (a
// hash of the body) and Last-Modified (when counted figures or units last
// changed); every failure is JSON too, written by the adapter (adapt.go).

// apiWrite answers v as JSON with caching headers, or 304 when the client
// already holds this very answer.
func (s *indicatorsPart) apiWrite(w http.ResponseWriter, r *http.Request, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	changed, err := indicators.DataChangedAt(r.Context(), s.db)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	if !changed.IsZero() {
		h.Set("Last-Modified", changed.UTC().Format(http.TimeFormat))
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/")); t == etag || t == "*" {
				w.WriteHeader(http.StatusNotModified)
				return nil
			}
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" && !changed.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !changed.Truncate(time.Second).After(t) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	_, err = w.Write(buf.Bytes())
	return err
}
