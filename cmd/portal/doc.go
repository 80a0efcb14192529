// Command portal runs the digiportal web portal and its commands: serve
// (the default), migrate, seed, user create, units import, indicators
// import and generate, loadtest, and version. It reads one validated configuration
// from the environment and flags, opens and migrates the database, builds
// the parts and wires them together. Each command only translates its
// arguments into one use case of a domain package and its result into
// text; the rules, the transaction and the audit live in the domain.
//
// It imports server and the domain packages (and vegeta, for loadtest);
// nothing imports it.
package main
