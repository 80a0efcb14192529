// Command attackreplay replays the attacks of issue 15 against a portal
// running on 127.0.0.1 and prints, for each, what happened.
//
// This minimal runner stands in for the framework of branch i15b, whose
// main.go replaces it on merge.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the portal's address")
	flag.Parse()
	c := &http.Client{Timeout: time.Minute}
	failed := false
	for _, a := range attacks {
		out, err := a.run(context.Background(), *base, c)
		if err != nil {
			fmt.Printf("%s: error: %v\n", a.name, err)
			failed = true
			continue
		}
		fmt.Printf("%s: %s\n", a.name, out)
	}
	if failed {
		os.Exit(1)
	}
}
