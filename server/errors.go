package server

import (
	"context"
	"errors"
	"net/http"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

// handlerFunc is a handler that returns its failure instead of writing it.
// One adapter (adapt) turns the failure into a status and a localized page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusError is a failure with a status and message IDs for the page and
// for the JSON API's answer.
type statusError struct {
	status int
	msgID  string // the page's explanation, from the message files
	// apiMsgID is the explanation in a JSON answer under /api/, which
	// speaks to a developer rather than to someone on a page; empty means
	// the status's own (api.error.404 and so on).
	apiMsgID string
	apiData  []any  // template data of apiMsgID, as name, value pairs
	param    string // the API query parameter at fault, if one is
	retry    string // Retry-After seconds, for 429 and 503
	allow    string // the Allow header of a 405
	data     []any  // template data of msgID, as name, value pairs
	// links, when set, gives the page's links to where the visitor may
	// have meant to go, in the page's language (href, label).
	links func(l *i18n.Localizer) []indOption
}

func (e *statusError) Error() string {
	if e.param != "" {
		return http.StatusText(e.status) + ": " + e.param
	}
	return http.StatusText(e.status)
}

// withParam is e naming the query parameter at fault, for the API's answer.
func (e *statusError) withParam(param string) *statusError {
	c := *e
	c.param = param
	return &c
}

// apiMessage is the message ID of e's explanation in a JSON answer.
func (e *statusError) apiMessage() string {
	if e.apiMsgID != "" {
		return e.apiMsgID
	}
	return "api.error." + statusKey(e.status)
}

// Errors handlers return; each maps to one status and one localized page
// (or JSON answer under /api/).
var (
	errNotFound    = &statusError{status: http.StatusNotFound, msgID: "error.404.body"}
	errForbidden   = &statusError{status: http.StatusForbidden, msgID: "error.403.body"}
	errCrossOrigin = &statusError{status: http.StatusForbidden, msgID: "error.403.crossorigin"}
	errBadRequest  = &statusError{status: http.StatusBadRequest, msgID: "error.400.body"}
	errTooLarge    = &statusError{status: http.StatusRequestEntityTooLarge, msgID: "error.413.body"}
	// errMediaType: a body of a kind the route does not read, such as a
	// multipart body where only a plain form is read.
	errMediaType   = &statusError{status: http.StatusUnsupportedMediaType, msgID: "error.415.body"}
	errUnavailable = &statusError{status: http.StatusServiceUnavailable, msgID: "error.503.body", retry: "30"}
	// errBusy: other work held a lock past the wait (database.ErrBusy).
	errBusy = &statusError{status: http.StatusServiceUnavailable, msgID: "error.503.busy", retry: "60"}
	// errHashBusy: too many passwords were being checked at once
	// (accounts.ErrBusy); nothing was checked or saved.
	errHashBusy = &statusError{status: http.StatusServiceUnavailable, msgID: "abuse.busy.body", retry: "5"}
	// errTimedOut: the request ran out of its time.
	errTimedOut = &statusError{status: http.StatusServiceUnavailable, msgID: "error.503.timeout", retry: "60"}
)

// tooMany is a 429 that tells the client when to try again.
func tooMany(retryAfterSeconds string) error {
	return &statusError{status: http.StatusTooManyRequests, msgID: "error.429.body", retry: retryAfterSeconds}
}

// methodNotAllowed is a 405 for a path whose routes take only the methods
// in allow ("GET, HEAD, POST").
func methodNotAllowed(allow string) error {
	return &statusError{status: http.StatusMethodNotAllowed, msgID: "error.405.body", allow: allow}
}

// badParam is a 400 of the JSON API: param is wrong, and msgID (filled
// with the name, value pairs of data) says how to write it, in the language
// of the request.
func badParam(param, msgID string, data ...any) *statusError {
	return &statusError{status: http.StatusBadRequest, msgID: "error.400.body", apiMsgID: msgID, apiData: data, param: param}
}

// statusOf maps an error to the status and message of its page. Anything not
// known is a 500; its text is logged, never shown.
func statusOf(err error) *statusError {
	var se *statusError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se
	case errors.As(err, &tooLarge):
		return errTooLarge
	case errors.Is(err, database.ErrNotFound), errors.Is(err, accounts.ErrOutOfScope):
		// Outside a user's scope reads as "not found": whether another
		// commune's record exists is itself not theirs to know.
		return errNotFound
	case errors.Is(err, accounts.ErrForbidden):
		return errForbidden
	case errors.Is(err, accounts.ErrBusy):
		return errHashBusy
	case database.Busy(err):
		return errBusy
	case errors.Is(err, context.DeadlineExceeded):
		return errTimedOut
	}
	return &statusError{status: http.StatusInternalServerError, msgID: "error.500.body"}
}
