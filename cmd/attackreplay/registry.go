package main

import (
	"context"
	"net/http"
)

// attack is one replayed attack: run it against the portal at base and say what happened.
type attack struct {
	name string
	run  func(ctx context.Context, base string, c *http.Client) (string, error)
}

// attacks lists the registered attacks in the order their files register them.
var attacks []attack

func register(a attack) { attacks = append(attacks, a) }
