package server

import (
	"net/http"
	"testing"

	"digiportal/database/dbtest"
)

// TestAPIGzipRevalidates: the API compresses its own answers and tags the
// compressed one "…-gzip"; a client that kept it and asks again with that
// ETag gets 304, as a client of the plain answer does. The compression
// middleware took the suffix off every If-None-Match, so the API compared
// "…" with "…-gzip" and sent the whole answer again, every time.
func TestAPIGzipRevalidates(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	const path = "/api/v1/indicators"
	gz := ts.get(path, "Accept-Encoding", "gzip").mustStatus(t, http.StatusOK)
	tag := gz.Header.Get("ETag")
	if gz.Header.Get("Content-Encoding") != "gzip" || tag == "" {
		t.Fatalf("the API's answer: Content-Encoding %q, ETag %q; want gzip with an ETag", gz.Header.Get("Content-Encoding"), tag)
	}
	ts.get(path, "Accept-Encoding", "gzip", "If-None-Match", tag).mustStatus(t, http.StatusNotModified)
	plain := ts.get(path).mustStatus(t, http.StatusOK)
	ts.get(path, "If-None-Match", plain.Header.Get("ETag")).mustStatus(t, http.StatusNotModified)
	ts.get(path, "Accept-Encoding", "gzip", "If-None-Match", `"0-gzip"`).mustStatus(t, http.StatusOK)
}
