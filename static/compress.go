package static

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// encoded is one stored representation of an asset: its body compressed
// with a content coding ("br", "gzip").
type encoded struct {
	coding string
	body   []byte
}

// compressible reports whether a file of this extension is worth
// compressing: text is, images other than SVG already are.
func compressible(ext string) bool {
	switch ext {
	case ".css", ".js", ".svg", ".json", ".txt", ".html":
		return true
	}
	return false
}

// precompress returns the asset's body compressed with brotli and with
// gzip, at their highest levels, once at start-up (never per request), the
// better first; a coding that does not make the body smaller is left out.
func precompress(body []byte) ([]encoded, error) {
	var out []encoded
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(body); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	if br.Len() < len(body) {
		out = append(out, encoded{"br", br.Bytes()})
	}
	var gz bytes.Buffer
	gw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := gw.Write(body); err != nil {
		return nil, err
	}
	if err := gw.Close(); err != nil {
		return nil, err
	}
	if gz.Len() < len(body) {
		out = append(out, encoded{"gzip", gz.Bytes()})
	}
	return out, nil
}

// accepts reports whether an Accept-Encoding header value takes coding:
// named ("x-gzip" is gzip, RFC 9110 §8.4.1.3), or covered by "*", with a
// quality above zero. An explicit "coding;q=0" refuses it whatever "*"
// says.
func accepts(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-gzip" {
			name = "gzip"
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch name {
		case coding:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}
