package server

import "net/http"

// The cheap paths (assets, lesson pictures, health checks, metrics) pass
// the limit on requests in flight: what they answer costs next to nothing.
// Their failures do not: an unknown asset or picture, or /metrics from
// outside its networks, gets the portal's error page, rendered from the
// templates like any page. A flood of such addresses (4,000 a second of
// /static/nope.css) was served without limit: 280 MB, every request
// around a second, pages of other visitors waiting as long. So an error
// page on a cheap path takes a place in flight as a page does, and past
// the limit gets the 503 built at start.

// placeForErrorPage takes a place in flight for an error page on a cheap
// path, which came in without one. It reports false when the request is
// answered already (503, or dropped because its client went).
func (s *web) placeForErrorPage(w http.ResponseWriter, r *http.Request) bool {
	if !needsPlaceForError(r) {
		return true
	}
	ok, gone := s.load.all.acquire(r.Context())
	switch {
	case gone:
		s.noteLoad(r.Context(), &s.load.gone, nil)
		return false
	case !ok:
		s.noteLoad(r.Context(), &s.load.shed, nil)
		s.writeBusy(w, r)
		return false
	}
	return true
}

// leaveErrorPage gives back the place placeForErrorPage took.
func (s *web) leaveErrorPage(r *http.Request) {
	if needsPlaceForError(r) {
		s.load.all.release()
	}
}

// needsPlaceForError: a cheap path's request, which holds no place.
func needsPlaceForError(r *http.Request) bool {
	held, _ := r.Context().Value(placeKey).(bool)
	return !held && cheap(r)
}
