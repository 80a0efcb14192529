package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Sign-up (issue 15 item 3): one address opened 260 accounts in under a
// minute, 40 probes told which e-mail addresses had accounts (officials'
// included), and a sign-up flood slowed everyone's sign-in eightfold.
// Replayed: a probe with an address that has an account (ATTACK_KNOWN_EMAIL,
// by default the demo commune official's) and one that has none; a user's
// sign-in timed alone and during a burst of 40 sign-ups from one address.
func init() {
	register(attack{name: "signup", run: replaySignUp})
}

func replaySignUp(ctx context.Context, base string, c *http.Client) (string, error) {
	user := abuseBrowser(c)
	login, password, err := abuseAccount(ctx, user, base, abuseAddress())
	if err != nil {
		return "", err
	}
	known := os.Getenv("ATTACK_KNOWN_EMAIL")
	if known == "" {
		known = "xa@demo.digiportal.test"
	}
	probe := func(email string) (abuseAnswer, error) {
		return abusePost(ctx, abuseBrowser(c), base, "/en/signup", url.Values{"email": {email}, "kind": {"resident"},
			"password": {"a long probe password " + abuseRandom(1e9)}}, abuseAddress())
	}
	taken, err := probe(known)
	if err != nil {
		return "", err
	}
	fresh, err := probe("probe" + abuseRandom(1e9) + "@example.test")
	if err != nil {
		return "", err
	}
	same := taken.status == fresh.status && abuseWithoutNonce(taken.body) == abuseWithoutNonce(fresh.body)

	timeSignIns := func(n int) ([]time.Duration, error) {
		var out []time.Duration
		for range n {
			res, err := abuseSignIn(ctx, user, base, login, password, "")
			if err != nil {
				return nil, err
			}
			if res.status != http.StatusSeeOther {
				return nil, fmt.Errorf("the user's sign-in failed: status %d", res.status)
			}
			out = append(out, res.took)
		}
		return out, nil
	}
	alone, err := timeSignIns(5)
	if err != nil {
		return fmt.Sprintf("probe answers for an address with an account and one without are the same: %s (status %d and %d); %v",
			yesNo(same), taken.status, fresh.status, err), nil
	}
	flooder := abuseAddress()
	counts := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 40 {
		wg.Go(func() {
			res, err := abusePost(ctx, abuseBrowser(c), base, "/en/signup", url.Values{"username": {"flood." + abuseRandom(1e9) + "." + strconv.Itoa(i)},
				"kind": {"resident"}, "password": {"flood password " + abuseRandom(1e9)}}, flooder)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				counts[0]++
				return
			}
			counts[res.status]++
		})
	}
	during, err := timeSignIns(5)
	wg.Wait()
	took := time.Since(start)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("probe answers for an address with an account and one without are the same: %s (status %d and %d); "+
		"40 sign-ups at once from one address in %s: %d accounts made, %d refused (429), %d busy (503), %d other; "+
		"a user's sign-in took %s alone and %s during the burst (median, %.1fx)",
		yesNo(same), taken.status, fresh.status, took.Round(time.Millisecond), counts[http.StatusOK], counts[http.StatusTooManyRequests],
		counts[http.StatusServiceUnavailable], 40-counts[http.StatusOK]-counts[http.StatusTooManyRequests]-counts[http.StatusServiceUnavailable],
		abuseMedian(alone).Round(time.Millisecond), abuseMedian(during).Round(time.Millisecond),
		float64(abuseMedian(during))/float64(abuseMedian(alone))), nil
}

var abuseNonceRe = regexp.MustCompile(`nonce="[^"]*"`)

func abuseWithoutNonce(body string) string { return abuseNonceRe.ReplaceAllString(body, "") }

func abuseMedian(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
