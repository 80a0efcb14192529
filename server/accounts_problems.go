package server

import (
	"errors"

	"digiportal/accounts"
	"digiportal/i18n"
)

// fieldErrors words the problems of an input a use case refused (an
// *accounts.ValidationError, the shape every part's use cases refuse in)
// for a form: each on its field, renamed where the form calls the field
// otherwise, with its message from word. It returns nil for any other
// error, which the handler returns to the adapter as it is.
func fieldErrors(l *i18n.Localizer, err error, rename map[string]string, word func(*i18n.Localizer, error) string) []i18n.FieldError {
	var ve *accounts.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	out := make([]i18n.FieldError, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		field := p.Field
		if f, ok := rename[field]; ok {
			field = f
		}
		out = append(out, i18n.FieldError{Field: field, Message: word(l, p.Err)})
	}
	return out
}

// accountFieldErrors is fieldErrors for a refusal of the accounts part.
func accountFieldErrors(l *i18n.Localizer, err error, rename map[string]string) []i18n.FieldError {
	return fieldErrors(l, err, rename, accountMessage)
}

// accountMessage words one refusal of the accounts part.
func accountMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, accounts.ErrPasswordShort):
		return l.T("accounts.password.short", "Min", accounts.PasswordMin)
	case errors.Is(err, accounts.ErrPasswordLong):
		return l.T("accounts.password.long", "Max", accounts.PasswordMax)
	case errors.Is(err, accounts.ErrPasswordCommon):
		return l.T("accounts.password.common")
	case errors.Is(err, accounts.ErrBadCredentials):
		return l.T("accounts.password.current_bad")
	case errors.Is(err, accounts.ErrEmailTaken):
		// Saying so reveals that the address has an account: admins
		// creating accounts are told; the sign-up form never says it (an
		// e-mail to the address does, signupByEmail).
		return l.T("accounts.signup.taken")
	case errors.Is(err, accounts.ErrInvalidEmail):
		return l.T("accounts.signup.bad_email")
	case errors.Is(err, accounts.ErrInvalidRole):
		return l.T("accounts.admin.bad_role")
	case errors.Is(err, accounts.ErrUnitRequired), errors.Is(err, accounts.ErrInvalidUnit):
		return l.T("accounts.admin.unit_required")
	case errors.Is(err, accounts.ErrTOTPCode):
		return l.T("accounts.totp.bad")
	case errors.Is(err, accounts.ErrInvalidUsername):
		return l.T("accounts.username.bad")
	case errors.Is(err, accounts.ErrUsernameTaken):
		return l.T("accounts.username.taken")
	case errors.Is(err, accounts.ErrEmailOrUsername):
		return l.T("accounts.username.not_both")
	case errors.Is(err, accounts.ErrReasonRequired):
		return l.T("accounts.assisted.reason_missing")
	case errors.Is(err, accounts.ErrNotAResident):
		return l.T("accounts.assisted.not_resident")
	case errors.Is(err, accounts.ErrAccountDisabled):
		return l.T("accounts.assisted.disabled")
	}
	return l.T("error.400.body")
}

// withFieldErrors adds more to errs, leaving out a field errs already
// marks: a form shows its own checks and the domain's rules together, so
// that one round trip fixes everything, without saying twice that one
// field is wrong.
func withFieldErrors(errs, more []i18n.FieldError) []i18n.FieldError {
	marked := map[string]bool{}
	for _, e := range errs {
		marked[e.Field] = true
	}
	for _, e := range more {
		if !marked[e.Field] {
			errs = append(errs, e)
		}
	}
	return errs
}
