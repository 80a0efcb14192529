package server

import (
	"net/http"
	"runtime"

	"digiportal/accounts"
)

// accountsPart holds what the accounts part's handlers need.
type accountsPart struct {
	*web
	passwords *accounts.Passwords
	auth      *accounts.Authenticator
	// holders are the parts that keep personal data under an account, so
	// that export and deletion reach it.
	holders map[string]accounts.DataHolder
	// onSignIn runs, in the sign-in transaction, for each part that carries
	// anonymous state into the account (lesson progress kept in the session).
	onSignIn []signInHook
	// onConsent runs, in the transaction that changes a consent, for each
	// part whose data follows it (self-assessments kept under the account).
	onConsent []consentHook
	// assessmentRows lists the self-assessments kept under an account, for
	// the account page.
	assessmentRows func(r *http.Request, p Page, userID int64) ([]assessmentAccountRow, error)
	// resetThrottle limits password-reset e-mails per address typed,
	// resetPerAddress per client address (looser: a commune office's
	// computer serves many).
	resetThrottle, resetPerAddress *accounts.Throttle
	// signups limits the sign-up form (accounts_signup_limits.go).
	signups *signupLimits
}

// consentHook follows a change of one of a user's consents.
type consentHook = accounts.ConsentHook

// accountHooks are what other parts give the accounts part: what to carry
// into an account at sign-in, what follows a consent, where personal data
// lives for export and deletion, and what the account page lists.
type accountHooks struct {
	onSignIn       []signInHook
	onConsent      []consentHook
	holders        map[string]accounts.DataHolder
	assessmentRows func(r *http.Request, p Page, userID int64) ([]assessmentAccountRow, error)
}

// signInHook moves what a visitor did before signing in into the account.
// sessionData is read from and written to the visitor's session by the hook's
// owner through s.sessions; the hook gets the transaction and the user.
type signInHook = accounts.SignInHook

// newAccountsPart sets up the accounts part with the other parts' hooks.
// Argon2id takes 46 MiB and a core for a moment a hash; one per core at
// once (a few more waiting, then "busy") bounds memory and keeps sign-in
// answering under a burst.
func newAccountsPart(w *web, h accountHooks) *accountsPart {
	pw := accounts.NewPasswords(runtime.GOMAXPROCS(0))
	return &accountsPart{
		web:             w,
		passwords:       pw,
		auth:            accounts.NewAuthenticator(pw),
		holders:         h.holders,
		onSignIn:        h.onSignIn,
		onConsent:       h.onConsent,
		assessmentRows:  h.assessmentRows,
		resetThrottle:   accounts.ResetThrottle(),
		resetPerAddress: accounts.AddressThrottle(),
		signups:         newSignupLimits(),
	}
}

// Route patterns the second-factor guard lets through, so that a user made
// to enrol can reach the enrolment page.
const (
	totpEnrolGet  = "GET /{lang}/account/2fa"
	totpEnrolPost = "POST /{lang}/account/2fa"
)

// accountRoutes lists the routes of the accounts part.
func (s *accountsPart) routes() []route {
	self := accounts.ActAccountSelf
	return []route{
		{pattern: "GET /{lang}/signup", handler: s.signupForm},
		{pattern: "POST /{lang}/signup", handler: s.signupSave},
		{pattern: "GET /{lang}/signup/confirm/{token}", handler: s.signupConfirmForm, samples: []string{"/{lang}/signup/confirm/expired-or-unknown"}},
		{pattern: "POST /{lang}/signup/confirm/{token}", handler: s.signupConfirmSave},
		{pattern: "GET /{lang}/login", handler: s.loginForm},
		{pattern: "POST /{lang}/login", handler: s.loginSave},
		{pattern: "GET /{lang}/login/code", handler: s.loginCodeForm},
		{pattern: "POST /{lang}/login/code", handler: s.loginCodeSave},
		{pattern: "POST /{lang}/logout", handler: s.logout},
		{pattern: "GET /{lang}/password/forgot", handler: s.forgotForm},
		{pattern: "POST /{lang}/password/forgot", handler: s.forgotSave},
		{pattern: "GET /{lang}/password/recover", handler: s.recoverForm},
		{pattern: "POST /{lang}/password/recover", handler: s.recoverSave},
		{pattern: "GET /{lang}/set-password/{token}", handler: s.setPasswordForm, samples: []string{"/{lang}/set-password/expired-or-unknown"}},
		{pattern: "POST /{lang}/set-password/{token}", handler: s.setPasswordSave},
		{pattern: "GET /{lang}/reauth", handler: s.reauthForm, access: self},
		{pattern: "POST /{lang}/reauth", handler: s.reauthSave, access: self},

		{pattern: "GET /{lang}/account", handler: s.accountShow, access: self},
		{pattern: "GET /{lang}/account/password", handler: s.passwordForm, access: self},
		{pattern: "POST /{lang}/account/password", handler: s.passwordSave, access: self},
		{pattern: totpEnrolGet, handler: s.totpForm, access: self},
		{pattern: totpEnrolPost, handler: s.totpSave, access: self},
		{pattern: "POST /{lang}/account/consents", handler: s.consentsSave, access: self},
		{pattern: "POST /{lang}/account/export", handler: s.accountExport, access: self},
		{pattern: "GET /{lang}/account/sessions", handler: s.accountSessions, access: self},
		{pattern: "GET /{lang}/account/assisted-reset", handler: s.assistedResetForm, access: accounts.ActAssistedReset},
		{pattern: "POST /{lang}/account/assisted-reset", handler: s.assistedResetSave, access: accounts.ActAssistedReset},
		{pattern: "POST /{lang}/account/sessions/end-others", handler: s.accountSessionsEndOthers, access: self},
		{pattern: "GET /{lang}/account/delete", handler: s.accountDeleteForm, access: accounts.ActAccountDelete},
		{pattern: "POST /{lang}/account/delete", handler: s.accountDeleteSave, access: accounts.ActAccountDelete},

		{pattern: "GET /{lang}/admin/users", handler: s.adminUsersList, access: accounts.ActAdminUsers},
		{pattern: "GET /{lang}/admin/users/new", handler: s.adminUserNewForm, access: accounts.ActAdminUsers},
		{pattern: "POST /{lang}/admin/users/new", handler: s.adminUserNewSave, access: accounts.ActAdminUsers},
		{pattern: "GET /{lang}/admin/users/{id}", handler: s.adminUserShow, access: accounts.ActAdminUsers, samples: []string{"/{lang}/admin/users/1"}},
		{pattern: "POST /{lang}/admin/users/{id}", handler: s.adminUserSave, access: accounts.ActAdminUsers},
		{pattern: "GET /{lang}/admin/audit", handler: s.adminAudit, access: accounts.ActAdminAudit},
		{pattern: "GET /{lang}/admin/settings", handler: s.adminSettingsForm, access: accounts.ActAdminSettings},
		{pattern: "POST /{lang}/admin/settings", handler: s.adminSettingsSave, access: accounts.ActAdminSettings},
	}
}
