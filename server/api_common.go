package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

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
	tag := hex.EncodeToString(sum[:12])
	changed, err := indicators.DataChangedAt(r.Context(), s.db)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := buf.Bytes()
	// A client that takes gzip gets it: the figures of a province's
	// communes compress some tenfold. The compressed answer is another
	// representation, with its own ETag.
	if acceptsGzip(r) && len(body) > apiGzipMin {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		body, tag = gz.Bytes(), tag+"-gzip"
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", `"`+tag+`"`)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	// Last-Modified is when counted figures or units last changed; a zero
	// time (nothing counted yet) sends none, and If-Modified-Since is then
	// ignored.
	http.ServeContent(w, r, "", changed, bytes.NewReader(body))
	return nil
}

// apiGzipMin is the size below which an answer is sent as it is.
const apiGzipMin = 1024

// acceptsGzip reports whether r's Accept-Encoding takes gzip (and does not
// refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
