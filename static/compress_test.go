package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestAssetsNegotiateEncoding: an asset goes out compressed when the
// client takes brotli or gzip (brotli first), as it is otherwise; each
// representation has its own ETag and its exact Content-Length, every
// answer varies by Accept-Encoding, and the compressed bytes are the file.
func TestAssetsNegotiateEncoding(t *testing.T) {
	a, err := New("/static/")
	if err != nil {
		t.Fatal(err)
	}
	css := a.byName["app.css"]
	get := func(ae string, header ...string) *http.Response {
		r := httptest.NewRequest(http.MethodGet, "/static/"+css.hashed, nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		if !a.Serve(w, r) {
			t.Fatal("the stylesheet was not served")
		}
		return w.Result()
	}
	tags := map[string]string{}
	for _, c := range []struct {
		ae, want string
	}{
		{"", ""},
		{"identity", ""},
		{"gzip, deflate", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0", ""},
		{"x-gzip", "gzip"},
		{"*", "br"},
		{"*, br;q=0", "gzip"},
	} {
		res := get(c.ae)
		body, _ := io.ReadAll(res.Body)
		if got := res.Header.Get("Content-Encoding"); got != c.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.ae, got, c.want)
			continue
		}
		if res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", c.ae, res.Header.Get("Vary"))
		}
		if res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("Accept-Encoding %q: Content-Length %q for %d bytes", c.ae, res.Header.Get("Content-Length"), len(body))
		}
		if res.Header.Get("Content-Type") != "text/css; charset=utf-8" {
			t.Errorf("Accept-Encoding %q: Content-Type %q", c.ae, res.Header.Get("Content-Type"))
		}
		var plain []byte
		switch c.want {
		case "br":
			plain, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		case "gzip":
			var zr *gzip.Reader
			if zr, err = gzip.NewReader(bytes.NewReader(body)); err == nil {
				plain, err = io.ReadAll(zr)
			}
		default:
			plain = body
		}
		if err != nil || !bytes.Equal(plain, css.body) {
			t.Errorf("Accept-Encoding %q: the body is not the stylesheet (%v)", c.ae, err)
		}
		if c.want != "" && len(body) > len(css.body)/3 {
			t.Errorf("%s: %d bytes of %d", c.want, len(body), len(css.body))
		}
		tag := res.Header.Get("ETag")
		if prev, ok := tags[c.want]; ok && prev != tag || !ok && tag == "" {
			t.Errorf("Accept-Encoding %q: ETag %q", c.ae, tag)
		}
		tags[c.want] = tag
	}
	if len(tags) != 3 || tags[""] == tags["gzip"] || tags["gzip"] == tags["br"] || tags[""] == tags["br"] {
		t.Errorf("ETags %v: want one per representation", tags)
	}
	if res := get("gzip", "If-None-Match", tags["gzip"]); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the gzip ETag: status %d, want 304", res.StatusCode)
	}
	if res := get("", "If-None-Match", tags["gzip"]); res.StatusCode != http.StatusOK {
		t.Errorf("the gzip ETag for the plain file: status %d, want 200", res.StatusCode)
	}
}
