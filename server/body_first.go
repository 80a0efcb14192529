package server

import (
	"bytes"
	"io"
	"net/http"
)

// A request's body is read before the request takes a place in flight
// (overload.go). Otherwise a client that declares a body and then sends it
// a byte at a time holds a place until the server's read time-out (a
// minute): with a place per connection, a few dozen such connections from
// one machine left every other visitor nothing but 503s. Read first, a
// slow client holds only its own connection.
const (
	// bodyFirstMax bounds how much of a body is read before a place is
	// taken: the largest body a form may have (Config.MaxBodyBytes) and one
	// byte more, for the limit reads one byte past it to find a body too
	// long, and that byte must not be awaited in a place either. The rest
	// of a larger body (an upload, which only signed-in staff may send) is
	// read by its handler, in its place.
	bodyFirstMax = bodyFirstBudget / 4
	// bodyFirstChunk is the step in which a body is read and its memory
	// counted, so that a client is charged only for what it has sent.
	bodyFirstChunk = 32 << 10
	// bodyFirstBudget bounds the memory of the bodies read so far and not
	// yet served, all requests together; past it a body gets the 503 of an
	// overloaded portal.
	bodyFirstBudget = 32 << 20
)

// readBodyFirst reads r's body (up to the form limit and a byte) into memory and puts
// what it read back in front of the rest. A read that fails leaves its
// error for the handler to meet, where it met it before. It reports false
// when the budget is spent; release gives back the memory counted for the
// body, once the request is over.
func (s *web) readBodyFirst(r *http.Request) (release func(), ok bool) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return func() {}, true
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		// Longer than any form: refused unread (limitBody, with nothing
		// sent by a client that waits for "100 Continue"), or an upload,
		// whose route lets only signed-in staff send a body.
		return func() {}, true
	}
	var (
		parts       []io.Reader
		taken, read int64
	)
	release = func() { s.load.bodies.Add(taken) }
	first := min(s.cfg.MaxBodyBytes+1, bodyFirstMax)
	for {
		if read >= first {
			parts = append(parts, r.Body)
			break
		}
		size := int64(bodyFirstChunk)
		if r.ContentLength > 0 {
			if read == r.ContentLength {
				break
			}
			size = min(size, r.ContentLength-read)
		}
		if s.load.bodies.Add(-size) < 0 {
			s.load.bodies.Add(size)
			release()
			return nil, false
		}
		taken += size
		p := make([]byte, size)
		n, err := fill(r.Body, p)
		parts = append(parts, bytes.NewReader(p[:n]))
		read += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			parts = append(parts, errReader{err})
			break
		}
	}
	r.Body = bodyRead{Reader: io.MultiReader(parts...), Closer: r.Body}
	return release, true
}

// fill reads until p is full or the reader fails (io.EOF at the end).
func fill(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// bodyRead is a body read ahead, closed as the original.
type bodyRead struct {
	io.Reader
	io.Closer
}

// errReader fails every read with the error the body met.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
