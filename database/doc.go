// Package database opens the portal's database by URL (PostgreSQL through
// pgdriver, or an embedded SQLite file when no URL is set), applies the
// embedded migrations, and defines the errors every store shares.
//
// It imports only bun and its drivers; every other package may import it.
package database
