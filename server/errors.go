package server

import (
	"context"
	"errors"
	"net/http"

	"digiportal/accounts"
	"digiportal/database"
)

// handlerFunc is a handler that returns its failure instead of writing it.
// One adapter (adapt) turns the failure into a status and a localized page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusError is a failure with a status and a message ID for the page.
type statusError struct {
	status int
	msgID  string // the page's explanation, from the message files
	retry  string // Retry-After seconds, for 429 and 503
}

func (e *statusError) Error() string { return http.StatusText(e.status) }

// Errors handlers return; each maps to one status and one localized page.
var (
	errNotFound    = &statusError{status: http.StatusNotFound, msgID: "error.404.body"}
	errForbidden   = &statusError{status: http.StatusForbidden, msgID: "error.403.body"}
	errCrossOrigin = &statusError{status: http.StatusForbidden, msgID: "error.403.crossorigin"}
	errBadRequest  = &statusError{status: http.StatusBadRequest, msgID: "error.400.body"}
	errTooLarge    = &statusError{status: http.StatusRequestEntityTooLarge, msgID: "error.413.body"}
	errUnavailable = &statusError{status: http.StatusServiceUnavailable, msgID: "error.503.body", retry: "30"}
)

// tooMany is a 429 that tells the client when to try again.
func tooMany(retryAfterSeconds string) error {
	return &statusError{status: http.StatusTooManyRequests, msgID: "error.429.body", retry: retryAfterSeconds}
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
	case errors.Is(err, context.DeadlineExceeded):
		return errUnavailable
	}
	return &statusError{status: http.StatusInternalServerError, msgID: "error.500.body"}
}
