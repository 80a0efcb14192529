package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

// Lockout as a weapon (issue 15 item 1): five failures from anywhere
// locked an account, the owner's right password included, so a dozen
// requests an hour kept any official out for good. Replayed: the owner
// signs in once on their own browser; an attacker elsewhere sends 20 wrong
// passwords; then the owner signs in on their browser, and someone on a
// new device with the right password.
//
// ATTACK_LOGIN and ATTACK_PASSWORD name an existing account to use (a demo
// official, say); without them the attack signs a resident up.
func init() {
	register(attack{name: "lockout", run: replayLockout})
}

func replayLockout(ctx context.Context, base string, c *http.Client) (string, error) {
	owner, attacker, stranger := abuseBrowser(c), abuseBrowser(c), abuseBrowser(c)
	ownerAddr, attackerAddr := abuseAddress(), abuseAddress()
	login, password := os.Getenv("ATTACK_LOGIN"), os.Getenv("ATTACK_PASSWORD")
	if login == "" || password == "" {
		var err error
		if login, password, err = abuseAccount(ctx, owner, base, ownerAddr); err != nil {
			return "", err
		}
	} else {
		res, err := abuseSignIn(ctx, owner, base, login, password, ownerAddr)
		if err != nil {
			return "", err
		}
		if res.status != http.StatusSeeOther {
			return "", fmt.Errorf("ATTACK_LOGIN did not sign in: status %d", res.status)
		}
	}
	slowed, firstSlowed := 0, 0
	for i := range 20 {
		res, err := abuseSignIn(ctx, attacker, base, login, "wrong guess "+strconv.Itoa(i), attackerAddr)
		if err != nil {
			return "", err
		}
		if res.status == http.StatusTooManyRequests {
			slowed++
			if firstSlowed == 0 {
				firstSlowed = i + 1
			}
		}
	}
	own, err := abuseSignIn(ctx, owner, base, login, password, ownerAddr)
	if err != nil {
		return "", err
	}
	fresh, err := abuseSignIn(ctx, stranger, base, login, password, abuseAddress())
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("20 wrong passwords from another device: %d slowed (429 from guess %d); "+
		"real user signed in on their own device right after: %s (status %d); "+
		"right password from a device never used: %s (status %d, Retry-After %ss)",
		slowed, firstSlowed, yesNo(own.status == http.StatusSeeOther), own.status,
		map[bool]string{true: "slowed", false: "let in"}[fresh.status == http.StatusTooManyRequests], fresh.status, fresh.retry), nil
}
