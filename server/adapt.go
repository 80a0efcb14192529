package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"digiportal/accounts"
)

// adapt turns a handlerFunc into an http.Handler: a returned error becomes
// its status and a localized error page, and unknown errors are logged once.
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
		if se.status >= 500 && !errors.Is(err, context.Canceled) {
			s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
				slog.String("method", r.Method), slog.String("path", logPath(r)), slog.Any("err", err))
		}
		s.renderError(w, r, se)
	})
}

// renderError writes the error page in the language of the URL (or the
// visitor's preferred language outside a language prefix).
func (s *web) renderError(w http.ResponseWriter, r *http.Request, se *statusError) {
	if se.retry != "" {
		w.Header().Set("Retry-After", se.retry)
	}
	w.Header().Set("Cache-Control", "no-store")
	p := s.page(w, r, "error."+statusKey(se.status)+".title")
	v := errorView{Page: p, Status: se.status, Body: p.L.T(se.msgID)}
	s.renderStatus(w, r, se.status, "error", &v)
}

type errorView struct {
	Page
	Status int
	Body   string
}

// statusKey names the error page's messages: error.404.title and so on.
func statusKey(status int) string {
	switch status {
	case 400, 403, 404, 413, 429, 503:
		return strconv.Itoa(status)
	}
	return "500"
}
