// Command portal runs the digiportal web portal and its maintenance
// commands: serve (the default), migrate and version. It reads one
// validated configuration from the environment and flags, builds the parts
// and wires them together; it holds no logic of its own.
package main
