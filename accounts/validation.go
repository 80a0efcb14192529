package accounts

import (
	"errors"
	"strings"
)

// More refusals of the use cases, beside those of the user store and the
// password policy.
var (
	// ErrInvalidUnit: a unit code longer than any statistics-office code.
	ErrInvalidUnit = errors.New("not a unit code")
	// ErrOwnAccount: an admin tried to change their own role or to disable
	// or enable themselves. Another admin must, so that nobody locks
	// themselves out or raises themselves by accident.
	ErrOwnAccount = errors.New("an admin cannot change their own role or access")
	// ErrTOTPCode: the code does not match the authenticator secret.
	ErrTOTPCode = errors.New("wrong authenticator code")
	// ErrUnknownPurpose: a consent to a purpose the portal does not ask for.
	ErrUnknownPurpose = errors.New("unknown consent purpose")
)

// unitMax bounds a unit code: statistics-office codes have at most five
// digits, and an official's unit is chosen from them.
const unitMax = 20

// Problem is one refused field of a use case's input: the field, named as
// the input names it ("email", "password", "role", "unit"…), and the
// sentinel error that says what is wrong with it.
type Problem struct {
	Field string
	Err   error
}

// ValidationError is an input a use case refused before changing anything,
// with every problem it found, so that a form can mark all of them at once.
// The server words each sentinel from the message files and the command
// line in English; errors.Is finds each sentinel through it.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems' sentinels, for logs and the command line.
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Err.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the sentinels, for errors.Is.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Err
	}
	return out
}

// problems collects the problems of one input.
type problems []Problem

func (ps *problems) add(field string, err error) {
	if err != nil {
		*ps = append(*ps, Problem{Field: field, Err: err})
	}
}

// err is the ValidationError of the problems found, or nil for none.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

// refuse is a ValidationError of one problem.
func refuse(field string, err error) error {
	return &ValidationError{Problems: []Problem{{Field: field, Err: err}}}
}

// checkRoleUnit applies the rules of a role and its unit: the role exists,
// an official has a unit, and a unit code is no longer than one can be.
func checkRoleUnit(ps *problems, role Role, unit string) {
	switch {
	case !role.Valid():
		ps.add("role", ErrInvalidRole)
	case role.Scoped() && unit == "":
		ps.add("unit", ErrUnitRequired)
	}
	if len(unit) > unitMax {
		ps.add("unit", ErrInvalidUnit)
	}
}
