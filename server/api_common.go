package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"digiportal/indicators"
)

// The read-only JSON API of approved figures (routes_indicators.go, one
// api_<noun>_<verb>.go file per address). Every answer carries an ETag (a
// hash of the body) and Last-Modified (when counted figures or units last
// changed); every failure is JSON too, written by the adapter (adapt.go).

// apiWrite answers v as JSON with caching headers; http.ServeContent does
// the rest: 304 for If-None-Match or If-Modified-Since, HEAD without a
// body, Range. The ETag hashes the body, so the same answer keeps the same
// ETag, and a changed one gets a new ETag even within the second that
// Last-Modified counts in.
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
	// Last-Modified is when counted figures or units last changed; a zero
	// time (nothing counted yet) sends none, and If-Modified-Since is then
	// ignored.
	http.ServeContent(w, r, "", changed, bytes.NewReader(buf.Bytes()))
	return nil
}
