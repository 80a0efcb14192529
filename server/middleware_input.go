package server

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// errUnusableText is a query string or form holding characters no person
// types: control characters or bytes that are not UTF-8.
var errUnusableText = &statusError{status: http.StatusBadRequest, msgID: "error.400.characters"}

// checkInput refuses, before the handler runs, text that holds control
// characters or is not UTF-8: a path (404, it names nothing), the query
// string and the values of a form (400, localized; JSON under /api/). Such
// text has no business in the portal, and PostgreSQL cannot even store a
// NUL byte, so letting it through gave 500s and error logs from forms
// anyone may send, such as sign-in.
//
// It runs per route, inside the route's body limit, so that reading a form
// here reads no more than the handler could. It reads only url-encoded
// bodies (r.ParseForm caches them, so the handler's own ParseForm sees the
// same values). A multipart body is left to the upload handlers, the only
// ones that read it: readUpload reads it once, as a stream, and checks its
// text fields and the file's name the same way as it goes (the file's
// bytes are not text: a CSV may hold tabs, an XLSX is binary). Parsing it
// here would use up the body before the handler sees it. Other bodies,
// such as the signed JSON of the Stripe webhook, are left untouched.
func (s *web) checkInput(rt route, next http.Handler) http.Handler {
	api := strings.HasPrefix(rt.pattern, "GET /api/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !usablePath(r.URL.Path) {
			s.renderError(w, r, errNotFound)
			return
		}
		values, err := s.inputValues(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for k, vs := range values {
			if bad := !usableText(k); bad || !allUsable(vs) {
				if !api {
					s.renderError(w, r, errUnusableText)
					return
				}
				if bad {
					k = ""
				}
				apiError(w, http.StatusBadRequest, k, s.bundle.Localizer(s.bundle.FromRequest(r, langCookie)).T("error.400.characters_api"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// inputValues parses what checkInput looks at: the query string, and the
// fields of a form body. A body that cannot be parsed is refused here: the
// parse is cached, so a handler parsing again would see no error and an
// empty form.
func (s *web) inputValues(r *http.Request) (url.Values, *statusError) {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media != "application/x-www-form-urlencoded" {
		// Handlers read the query with r.URL.Query(), which drops the
		// pairs it cannot decode; so are they dropped here.
		q, _ := url.ParseQuery(r.URL.RawQuery)
		return q, nil
	}
	err := r.ParseForm()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errTooLarge
	case err != nil:
		return nil, errBadRequest
	}
	return r.Form, nil
}

// usableText reports whether s is text a person could have typed: UTF-8
// without control characters (C0, DEL, C1), except the tab, line feed and
// carriage return that text areas send.
func usableText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			return false
		case c >= 0x7f && c <= 0x9f:
			return false
		}
	}
	return true
}

func allUsable(vs []string) bool {
	for _, v := range vs {
		if !usableText(v) {
			return false
		}
	}
	return true
}

// usablePath is usableText for a decoded path, where no line break or tab
// belongs either.
func usablePath(p string) bool {
	return usableText(p) && !strings.ContainsAny(p, "\t\n\r")
}
