package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, runs the chosen attacks one after the other, prints
// the table and returns the exit code: 0 when every attack ran, 1 when one
// failed to, 2 for wrong arguments.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("attackreplay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("base", "http://127.0.0.1:8080", "the portal to attack; only 127.0.0.1, ::1 or localhost")
	only := fs.String("only", "", "run only the attacks whose names contain one of these words, separated by commas")
	timeout := fs.Duration("timeout", 3*time.Minute, "time each attack may take")
	// Flags that the attacks' files declare (such as -webhook-secret).
	flag.CommandLine.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	if err := fs.Parse(args); err != nil {
		return 2
	}
	b, err := checkBase(*base)
	if err != nil {
		fmt.Fprintf(stderr, "attackreplay: -base %s\n", err)
		return 2
	}
	chosen := choose(attacks, *only)
	if len(chosen) == 0 {
		fmt.Fprintf(stderr, "attackreplay: no attack matches -only %q\n", *only)
		return 2
	}
	c := &http.Client{Timeout: 30 * time.Second}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "attack\t| what happened")
	fmt.Fprintln(tw, "------\t| -------------")
	code := 0
	for _, a := range chosen {
		fmt.Fprintf(stderr, "attackreplay: running %s…\n", a.name)
		ctx, cancel := context.WithTimeout(context.Background(), *timeout)
		said, err := a.run(ctx, b, c)
		cancel()
		if err != nil {
			said, code = "FAILED TO RUN: "+err.Error(), 1
		}
		fmt.Fprintf(tw, "%s\t| %s\n", a.name, oneLine(said))
	}
	tw.Flush()
	return code
}

// checkBase accepts an http(s) address of this machine only and returns
// it without a trailing slash.
func checkBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("must be an address such as http://127.0.0.1:8080")
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); !(host == "localhost" || ip != nil && ip.IsLoopback()) {
		return "", fmt.Errorf("%q is not this machine: the attacks run only against 127.0.0.1, ::1 or localhost", host)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return "", errors.New("must be the portal's root, without a path or query")
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// choose returns the attacks whose names contain one of the words of only
// (all of them when only is empty), in their registered order.
func choose(all []attack, only string) []attack {
	if strings.TrimSpace(only) == "" {
		return all
	}
	var out []attack
	for _, a := range all {
		for _, w := range strings.Split(only, ",") {
			if w = strings.TrimSpace(w); w != "" && strings.Contains(a.name, w) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// oneLine keeps a table row on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
