// Package accounts holds users, roles, organisation-unit scope, the one
// access decision every protected route makes, passwords, second factors,
// consent records and the audit log. It knows nothing of HTTP.
//
// It imports database and i18n only; the domains and server import it.
package accounts
