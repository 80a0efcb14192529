package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// The load test runs end to end, a quarter of a second per phase: every
// page class answers on the portal and the baseline, the table and the
// overload line come out, and the baseline serves what the portal served.
func TestLoadtestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test's smoke run loads demo data and sends load for several seconds; skipped with -short")
	}
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "-duration", "250ms", "-rounds", "1", "-rate", "40",
		"-connections", "4", "-overload-duration", "250ms"}, envOf(nil), &out, &errs)
	if code != 0 {
		t.Fatalf("portal loadtest: exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	for _, name := range loadClassNames {
		row := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(name) + ` ` + "`" + `[^` + "`" + `]+` + "`" + ` \| (\d+) \| (\d+) \| \d+% \| [\d.]+ ms / [\d.]+ ms / 0 of \d+ \| [\d.]+ ms / [\d.]+ ms / 0 of \d+ \|$`).FindStringSubmatch(out.String())
		if row == nil || row[1] == "0" || row[2] == "0" {
			t.Errorf("no row with throughput and no failures for %s in\n%s", name, out.String())
		}
	}
	if !regexp.MustCompile(`Overload: \d+ requests/s asked .* \d+ served, \d+ refused with 503`).MatchString(out.String()) {
		t.Errorf("no overload line in\n%s", out.String())
	}
	if strings.Contains(errs.String(), "password") {
		t.Errorf("the load test logged passwords:\n%s", errs.String())
	}
}

func TestLoadtestRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"loadtest", "-rounds", "0"},
		{"loadtest", "-duration", "-1s"},
		{"loadtest", "-overload-page", "nope"},
		{"loadtest", "extra"},
	} {
		var out, errs bytes.Buffer
		if code := run(context.Background(), args, envOf(nil), &out, &errs); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errs.String())
		}
	}
}
