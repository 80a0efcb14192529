package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"digiportal/accounts"
	"digiportal/i18n"
)

// adapt turns a handlerFunc into an http.Handler: a returned error becomes
// its status and a localized error page (or JSON answer under /api/), and
// unknown errors are logged once.
func (s *web) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		if errors.Is(err, accounts.ErrSignInRequired) {
			s.signInRedirect(w, r)
			return
		}
		se := statusOf(err)
		if se.status == http.StatusInternalServerError && errors.Is(r.Context().Err(), context.DeadlineExceeded) {
			// The request ran out of time, whatever the failure says: a
			// database driver may report its interrupted query in words of
			// its own instead of wrapping the context's error.
			se = errTimedOut
		}
		if se.status == http.StatusInternalServerError && !errors.Is(err, context.Canceled) && s.databaseDown(r.Context()) {
			se = errDBDown
		}
		switch {
		case errors.Is(err, context.Canceled):
			// The client went away; nothing to tell anyone.
		case se == errDBDown:
			s.noteDBDown(r.Context(), err) // once per interval, not per request
		case se == errBusy || se == errTimedOut:
			// Expected under load and answered in words: worth a look
			// when frequent, not an error of the portal.
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "request refused",
				slog.String("method", r.Method), slog.String("path", logPath(r)), slog.Int("status", se.status), slog.Any("err", err))
		case se.status >= 500:
			s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
				slog.String("method", r.Method), slog.String("path", logPath(r)), slog.Any("err", err))
		}
		s.renderError(w, r, se)
	})
}

// renderError is the one place a failure becomes a response, whoever meets
// it (a handler through adapt, the body limit, the input check, the
// cross-origin check, the sessions, a panic): under /api/ a JSON answer,
// elsewhere the error page in the language of the URL (or the visitor's
// preferred language outside a language prefix).
func (s *web) renderError(w http.ResponseWriter, r *http.Request, se *statusError) {
	if !s.placeForErrorPage(w, r) {
		return
	}
	defer s.leaveErrorPage(r)
	h := w.Header()
	if se.retry != "" {
		h.Set("Retry-After", se.retry)
	}
	if se.allow != "" {
		h.Set("Allow", se.allow)
	}
	h.Set("Cache-Control", "no-store")
	if isAPI(r) {
		s.renderAPIError(w, r, se)
		return
	}
	p := s.page(w, r, "error."+statusKey(se.status)+".title")
	v := errorView{Page: p, Status: se.status, Body: p.L.T(se.msgID, se.data...)}
	if se.links != nil {
		v.Links = se.links(p.L)
	}
	s.renderStatus(w, r, se.status, "error", &v)
}

type errorView struct {
	Page
	Status int
	Body   string
	Links  []indOption // where to go instead, when the failure knows
}

// isAPI reports whether r is for the JSON API, whose every answer, errors
// included, is JSON: a program reading it cannot parse an HTML page.
func isAPI(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}

// apiErrorBody is the JSON answer of a failed API request: the status's
// standard name for programs, the parameter at fault if one is, and an
// explanation for the developer in the request's language.
type apiErrorBody struct {
	Error     string `json:"error"`
	Parameter string `json:"parameter,omitempty"`
	Detail    string `json:"detail"`
}

// renderAPIError writes se as JSON. The API has no language in its URL, so
// the explanation is in the language of the lang cookie or Accept-Language,
// and in English when neither names one.
func (s *web) renderAPIError(w http.ResponseWriter, r *http.Request, se *statusError) {
	l := s.bundle.Localizer(s.bundle.FromRequestOr(r, langCookie, i18n.EN))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(apiErrorBody{Error: http.StatusText(se.status), Parameter: se.param, Detail: l.T(se.apiMessage(), se.apiData...)}); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "error answer failed", slog.Any("err", err))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	// A failure has no validators: what a handler set before failing must
	// not make a cache keep the error as the answer.
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Language", string(l.Lang))
	h.Set("Vary", "Accept-Language, Cookie")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(se.status)
	// A failed write means the client has gone; nobody is left to tell.
	_, _ = w.Write(buf.Bytes())
}

// statusKey names the error page's messages: error.404.title and so on.
func statusKey(status int) string {
	switch status {
	case 400, 403, 404, 405, 413, 415, 429, 503:
		return strconv.Itoa(status)
	}
	return "500"
}
