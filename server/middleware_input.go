package server

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"digiportal/i18n"
)

// errUnusableText is a query string or form holding characters no person
// types: control characters or bytes that are not UTF-8.
var errUnusableText = &statusError{status: http.StatusBadRequest, msgID: "error.400.characters", apiMsgID: "error.400.characters_api"}

// checkInput refuses, before the handler runs, text that holds control
// characters or is not UTF-8: a path (404, it names nothing), the query
// string and the values of a form (400, localized; JSON under /api/). Such
// text has no business in the portal, and PostgreSQL cannot even store a
// NUL byte, so letting it through gave 500s and error logs from forms
// anyone may send, such as sign-in.
//
// It runs per route, inside the route's body limit, so that reading a form
// here reads no more than the handler could. It reads only url-encoded
// form bodies (r.ParseForm caches them, so the handler's own ParseForm sees
// the same values). Multipart bodies are read only by the upload routes'
// handlers, in one streaming pass (readUpload), which checks the text
// fields and the file's name the same way (usableText) and leaves the file
// itself alone: a CSV may hold tabs, an XLSX is binary. Other bodies, such
// as the signed JSON of the Stripe webhook, are left untouched.
func (s *web) checkInput(rt route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !usablePath(r.URL.Path) {
			s.renderError(w, r, errNotFound)
			return
		}
		// A multipart body goes only to the routes that read files, and
		// only as a browser sends it: elsewhere nothing would check its
		// fields, which a handler's FormValue would still read. A body
		// whose kind cannot be read at all (a parameter twice, no subtype)
		// is refused too: r.ParseForm fails on it, and a handler would
		// answer 500.
		ct := r.Header.Get("Content-Type")
		media, _, err := mime.ParseMediaType(ct)
		if (err != nil && ct != "" && hasBody(r.Method)) ||
			(strings.HasPrefix(media, "multipart/") && (!rt.upload || media != "multipart/form-data")) {
			s.renderError(w, r, errMediaType)
			return
		}
		values, serr := s.inputValues(r)
		if serr != nil {
			s.renderError(w, r, serr)
			return
		}
		for k, vs := range values {
			if bad := !i18n.Typeable(k); bad || !allUsable(vs) {
				if bad {
					k = "" // the name itself is unusable: not echoed back
				}
				s.renderError(w, r, errUnusableText.withParam(k))
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

// hasBody reports whether r.ParseForm reads the body of a request made
// with method.
func hasBody(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

func allUsable(vs []string) bool {
	for _, v := range vs {
		if !i18n.Typeable(v) {
			return false
		}
	}
	return true
}

// usablePath is i18n.Typeable for a decoded path, where no line break or
// tab belongs either.
func usablePath(p string) bool {
	return i18n.Typeable(p) && !strings.ContainsAny(p, "\t\n\r")
}
