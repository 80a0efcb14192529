package server

import (
	"compress/gzip"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// etagGzip marks the ETag of a gzip-compressed answer: a compressed body is
// another representation and must not share the plain body's ETag.
const etagGzip = "-gzip"

// compressedTypes are the answers worth compressing: pages, CSV, JSON,
// plain text and SVG. Images and workbooks (already zipped) are not.
var compressedTypes = []string{
	"text/html", "text/plain", "text/csv", "text/css", "text/javascript",
	"application/json", "application/problem+json", "image/svg+xml",
}

// compress gzips the portal's dynamic answers for clients that take gzip
// (github.com/klauspost/compress/gzhttp): a first lesson visit went out as
// 27 KB, 8.5 KB compressed. Answers under 1 KB go as they are, and so do
// answers that set their own Content-Encoding (the API's) and the assets,
// which are compressed once at start-up (static.Assets). The compressed
// answer's ETag takes the suffix -gzip, and the suffix is taken off
// If-None-Match before a handler compares it, so either representation
// revalidates.
//
// The fastest level: on this portal's lesson page it takes 60 µs and
// 6.4 KB where the default level takes 230 µs for 5.7 KB, and the CPU,
// not the network, is what runs out first.
//
// zstd is left off: gzip is understood by every browser, and each zstd
// encoder keeps megabytes of window, too much per request in flight on a
// small machine.
func (s *web) compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.EnableZstd(false),
		gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.MinSize(gzhttp.DefaultMinSize),
		gzhttp.ContentTypes(compressedTypes),
		gzhttp.SuffixETag(etagGzip),
	)
	if err != nil {
		panic("server: compression options: " + err.Error()) // fixed options: every test would fail
	}
	compressed := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || showsSecret(r) {
			next.ServeHTTP(w, r)
			return
		}
		// The API compresses its own answers and compares its own "-gzip"
		// tags (apiWrite): taking the suffix off made its compressed answer
		// never revalidate.
		if inm := r.Header.Get("If-None-Match"); !isAPI(r) && strings.Contains(inm, etagGzip+`"`) {
			r.Header.Set("If-None-Match", strings.ReplaceAll(inm, etagGzip+`"`, `"`))
		}
		compressed.ServeHTTP(w, r)
	})
}

// showsSecret reports whether the request is for a page that shows the
// same secret on every load (the second factor's enrolment shows its key
// until it is confirmed) while also reflecting what the request says
// (its path and query, in the page's links). Such a page goes out
// uncompressed: compressed, its length could tell someone who makes the
// browser load it many times a guess of the secret, a character at a
// time (BREACH).
func showsSecret(r *http.Request) bool {
	return strings.HasSuffix(r.URL.Path, "/account/2fa")
}
