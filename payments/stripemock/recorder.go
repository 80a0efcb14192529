package stripemock

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"
)

// Recorder is the HTTP transport of a test's Stripe client. It records
// every request (so a test can assert exactly what was sent, such as the
// unit amount) and, as Stripe does and stripe-mock does not, answers a
// repeated idempotency key with the first answer. A request with a key
// that is in flight waits for it, where Stripe would answer 409 and
// stripe-go would retry.
type Recorder struct {
	next http.RoundTripper

	mu      sync.Mutex
	reqs    []Request
	answers map[string]*answer
}

// Request is one request the client sent.
type Request struct {
	Method, Path   string
	Form           url.Values
	IdempotencyKey string
	StripeVersion  string
}

type answer struct {
	once   sync.Once
	status int
	header http.Header
	body   []byte
	err    error
}

// NewRecorder returns a recorder sending through http.DefaultTransport.
func NewRecorder() *Recorder {
	return &Recorder{next: http.DefaultTransport, answers: map[string]*answer{}}
}

// Client returns an HTTP client that sends through r.
func (r *Recorder) Client() *http.Client { return &http.Client{Transport: r} }

// Requests returns the requests sent so far, oldest first.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// RoundTrip records req and sends it, or replays the answer to its key.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	form, _ := url.ParseQuery(string(body))
	if req.Method == http.MethodGet {
		form = req.URL.Query()
	}
	key := req.Header.Get("Idempotency-Key")
	r.mu.Lock()
	r.reqs = append(r.reqs, Request{
		Method: req.Method, Path: req.URL.Path, Form: form,
		IdempotencyKey: key, StripeVersion: req.Header.Get("Stripe-Version"),
	})
	a := r.answers[key]
	if key != "" && a == nil {
		a = &answer{}
		r.answers[key] = a
	}
	r.mu.Unlock()
	if key == "" {
		return r.next.RoundTrip(req)
	}
	a.once.Do(func() {
		res, err := r.next.RoundTrip(req)
		if err != nil {
			a.err = err
			return
		}
		defer res.Body.Close()
		a.status, a.header = res.StatusCode, res.Header.Clone()
		a.body, a.err = io.ReadAll(res.Body)
	})
	if a.err != nil {
		// Nothing reached Stripe, so nothing is stored under the key.
		r.mu.Lock()
		if r.answers[key] == a {
			delete(r.answers, key)
		}
		r.mu.Unlock()
		return nil, a.err
	}
	return &http.Response{
		StatusCode: a.status, Header: a.header.Clone(), Body: io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}, nil
}
