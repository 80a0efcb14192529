package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
)

// TestAPIConditionalGet: the same answer keeps its ETag and Last-Modified,
// a client holding it gets 304 by either validator, HEAD gets the headers
// without the body, and a Range gets its bytes.
func TestAPIConditionalGet(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	for _, path := range []string{"/api/v1/indicators", "/api/v1/units?parent=79", "/api/v1/values?unit=79&from=2025-01&to=2025-06"} {
		// The plain representation throughout (TestAPIGzip has the other).
		first := ts.get(path, "Accept-Encoding", "identity").mustStatus(t, 200)
		etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
		lm, err := http.ParseTime(modified)
		if etag == "" || err != nil {
			t.Fatalf("%s: ETag %q, Last-Modified %q (%v)", path, etag, modified, err)
		}
		again := ts.get(path, "Accept-Encoding", "identity").mustStatus(t, 200)
		if again.Header.Get("ETag") != etag || again.Header.Get("Last-Modified") != modified || again.Body != first.Body {
			t.Errorf("%s: the same answer changed validators: ETag %q then %q, Last-Modified %q then %q", path, etag, again.Header.Get("ETag"), modified, again.Header.Get("Last-Modified"))
		}
		tests := []struct {
			name   string
			method string
			header []string
			want   int
			body   string
		}{
			{"If-None-Match", "GET", []string{"If-None-Match", etag}, 304, ""},
			{"If-None-Match weak", "GET", []string{"If-None-Match", "W/" + etag}, 304, ""},
			{"If-None-Match among others", "GET", []string{"If-None-Match", `"0123", ` + etag}, 304, ""},
			{"If-None-Match *", "GET", []string{"If-None-Match", "*"}, 304, ""},
			{"If-None-Match other", "GET", []string{"If-None-Match", `"0123"`}, 200, first.Body},
			{"If-Modified-Since the same", "GET", []string{"If-Modified-Since", modified}, 304, ""},
			{"If-Modified-Since later", "GET", []string{"If-Modified-Since", lm.Add(time.Hour).Format(http.TimeFormat)}, 304, ""},
			{"If-Modified-Since earlier", "GET", []string{"If-Modified-Since", lm.Add(-time.Second).Format(http.TimeFormat)}, 200, first.Body},
			{"If-None-Match wins over If-Modified-Since", "GET", []string{"If-None-Match", `"0123"`, "If-Modified-Since", modified}, 200, first.Body},
			{"HEAD", "HEAD", nil, 200, ""},
			{"HEAD If-None-Match", "HEAD", []string{"If-None-Match", etag}, 304, ""},
			{"Range", "GET", []string{"Range", "bytes=0-9"}, 206, first.Body[:10]},
		}
		for _, tt := range tests {
			req := mustRequest(t, tt.method, ts.http.URL+path)
			req.Header.Set("Accept-Encoding", "identity")
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			res := ts.do(req)
			if res.StatusCode != tt.want || res.Body != tt.body {
				t.Errorf("%s, %s: status %d, body %.80q; want %d, %.80q", path, tt.name, res.StatusCode, res.Body, tt.want, tt.body)
			}
			if res.Header.Get("ETag") != etag {
				t.Errorf("%s, %s: ETag %q, want %q", path, tt.name, res.Header.Get("ETag"), etag)
			}
		}
		head := ts.do(mustRequest(t, "HEAD", ts.http.URL+path))
		if got, want := head.Header.Get("Content-Length"), strconv.Itoa(len(first.Body)); got != want || head.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("%s, HEAD: Content-Length %s, Content-Type %q; want %s, application/json", path, got, head.Header.Get("Content-Type"), want)
		}
	}
	// A different answer has another ETag.
	one, two := ts.get("/api/v1/units?parent=79&limit=1"), ts.get("/api/v1/units?parent=79&limit=2")
	if one.Header.Get("ETag") == two.Header.Get("ETag") {
		t.Errorf("two different answers share the ETag %s", one.Header.Get("ETag"))
	}
}

// TestAPIGzip: a client that takes gzip gets the answer compressed, with
// an ETag of its own and Vary: Accept-Encoding; one that does not, or
// refuses it with q=0, gets it as it is.
func TestAPIGzip(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	path := "/api/v1/values?parent=79&from=2025-01&to=2025-06"
	plain := ts.get(path, "Accept-Encoding", "identity").mustStatus(t, 200)
	if vary := strings.Join(plain.Header.Values("Vary"), ", "); plain.Header.Get("Content-Encoding") != "" || !strings.Contains(vary, "Accept-Encoding") {
		t.Errorf("plain answer: Content-Encoding %q, Vary %q", plain.Header.Get("Content-Encoding"), vary)
	}
	req, _ := http.NewRequest("GET", ts.http.URL+path, nil)
	req.Header.Set("Accept-Encoding", "br;q=1, gzip;q=0.8")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Fatalf("gzip answer: Content-Encoding %q, ETag %q (plain %q)", res.Header.Get("Content-Encoding"), res.Header.Get("ETag"), plain.Header.Get("ETag"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || string(body) != plain.Body {
		t.Errorf("the gzip answer unpacks to %d bytes (%v), want the plain %d", len(body), err, len(plain.Body))
	}
	if r := ts.get(path, "Accept-Encoding", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}
}
