// Package accounts holds users, roles, organisation-unit scope, the one
// access decision every protected route makes, passwords, second factors,
// consent records, the audit log, and Actor: who makes a state change, as
// every part's use cases take it. It knows nothing of HTTP.
//
// It imports database only (transactions and the shared store errors); the
// other domains import it for Actor and the audit log, and server and
// cmd/portal for its use cases.
package accounts
