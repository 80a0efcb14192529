package main

import (
	"context"
	"net/http"
)

type attack struct {
	name string
	run  func(context.Context, string, *http.Client) (string, error)
}

var attacks []attack

func register(a attack) { attacks = append(attacks, a) }
