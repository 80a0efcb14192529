package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// The helpers of the abuse attacks (lockout.go, proxy.go, signup.go):
// a browser-like client, form posts that pass the portal's cross-origin
// check, accounts made through the sign-up form.

// abuseBrowser is one browser: its own cookies (the device cookie among
// them), no redirects followed, the transport of the client given.
func abuseBrowser(c *http.Client) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: c.Transport, Timeout: c.Timeout, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// abuseAnswer is a finished request: status, Retry-After, body, time.
type abuseAnswer struct {
	status int
	retry  string
	body   string
	took   time.Duration
}

// abusePost sends a form as a same-origin browser does, from the client
// address forwardedFor says (believed only by a portal that trusts
// 127.0.0.1 as its proxy, PORTAL_TRUSTED_PROXIES).
func abusePost(ctx context.Context, c *http.Client, base, path string, form url.Values, forwardedFor string) (abuseAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return abuseAnswer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return abuseAnswer{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return abuseAnswer{}, err
	}
	return abuseAnswer{status: res.StatusCode, retry: res.Header.Get("Retry-After"), body: string(b), took: time.Since(start)}, nil
}

// abuseSignIn posts the sign-in form; 303 means the password was right
// (on to the account, or to the second factor's code).
func abuseSignIn(ctx context.Context, c *http.Client, base, login, password, forwardedFor string) (abuseAnswer, error) {
	return abusePost(ctx, c, base, "/en/login", url.Values{"email": {login}, "password": {password}}, forwardedFor)
}

// abuseAccount signs a new resident up with a username on browser c,
// which is then signed in and holds the account's device cookie, and
// signs out again. It returns the username and password.
func abuseAccount(ctx context.Context, c *http.Client, base, forwardedFor string) (string, string, error) {
	login, password := "replay."+abuseRandom(1e9), "replay password "+abuseRandom(1e9)
	res, err := abusePost(ctx, c, base, "/en/signup", url.Values{"username": {login}, "kind": {"resident"}, "password": {password}}, forwardedFor)
	if err != nil {
		return "", "", err
	}
	if res.status != http.StatusOK {
		return "", "", fmt.Errorf("signing up the test account: status %d (sign-ups from one address are limited to 10 an hour; "+
			"start the portal with PORTAL_TRUSTED_PROXIES=127.0.0.1/32 so that each replay comes from addresses of its own)", res.status)
	}
	if _, err := abusePost(ctx, c, base, "/en/logout", nil, forwardedFor); err != nil {
		return "", "", err
	}
	return login, password, nil
}

// abuseAddress is a random address of 198.18.0.0/15 (set aside for
// benchmarks), so that each replay comes from addresses of its own.
func abuseAddress() string {
	return fmt.Sprintf("198.%d.%d.%d", 18+abuseInt(2), abuseInt(256), 1+abuseInt(254))
}

func abuseRandom(n int64) string { return fmt.Sprint(abuseInt(n)) }

func abuseInt(n int64) int64 {
	v, _ := rand.Int(rand.Reader, big.NewInt(n))
	return v.Int64()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
