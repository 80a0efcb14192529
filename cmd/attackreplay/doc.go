// Command attackreplay replays the attacks of issue 15 ("nobody can lock
// out, flood, or spend the portal's resources") against a portal running
// on this machine, and prints, for each, what happened:
//
//	go run ./cmd/attackreplay -base http://127.0.0.1:8080
//
// It refuses any other machine: the attacks flood, sign in and change
// data, which is fine for a practice portal of one's own and nowhere else.
// Each attack is a file of this package that registers itself (register,
// registry.go). Accounts an attack needs come from the environment, so
// that no password shows in a process list or a shell's history (see
// README, "Replaying the attacks"); an attack without what it needs is
// skipped, saying why.
//
// It imports only the standard library and a TOTP library: it speaks to
// the portal over HTTP as anyone would (its test alone builds the portal
// in-process, from server and the domain packages); nothing imports it.
package main
