package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// Behind a proxy (issue 15 item 2): every request came from the proxy's
// address, so 31 failed sign-ins from anyone refused every user. Replayed
// as a proxy on 127.0.0.1 sends it: X-Forwarded-For names the client. One
// client fails 32 sign-ins (each for a different unknown login, so only
// the address limit can act); another client then signs in. Then 32
// failures spread over the addresses of one IPv6 /64.
//
// The portal must run with PORTAL_TRUSTED_PROXIES=127.0.0.1/32 (and
// ::1/128) for this to be the situation behind a proxy; without it the
// header is ignored, as it must be, and every request is 127.0.0.1's.
func init() {
	register(attack{name: "proxy", run: replayProxy})
}

func replayProxy(ctx context.Context, base string, c *http.Client) (string, error) {
	user := abuseBrowser(c)
	login, password, err := abuseAccount(ctx, user, base, abuseAddress())
	if err != nil {
		return "", err
	}
	attacker, run := abuseAddress(), abuseRandom(1e9)
	firstSlowed := 0
	for i := range 32 {
		res, err := abuseSignIn(ctx, abuseBrowser(c), base, "nobody"+run+"."+strconv.Itoa(i)+"@example.test", "wrong guess", attacker)
		if err != nil {
			return "", err
		}
		if res.status == http.StatusTooManyRequests && firstSlowed == 0 {
			firstSlowed = i + 1
		}
	}
	other, err := abuseSignIn(ctx, abuseBrowser(c), base, login, password, abuseAddress())
	if err != nil {
		return "", err
	}
	v6Slowed := 0
	prefix := "2001:db8:" + strconv.FormatInt(abuseInt(65536), 16) + ":" + strconv.FormatInt(abuseInt(65536), 16)
	for i := range 32 {
		res, err := abuseSignIn(ctx, abuseBrowser(c), base, "nobody"+run+".v6."+strconv.Itoa(i)+"@example.test", "wrong guess",
			prefix+":"+strconv.FormatInt(abuseInt(65536), 16)+"::"+strconv.FormatInt(1+abuseInt(65535), 16))
		if err != nil {
			return "", err
		}
		if res.status == http.StatusTooManyRequests && v6Slowed == 0 {
			v6Slowed = i + 1
		}
	}
	return fmt.Sprintf("32 failed sign-ins from client %s: slowed from attempt %d; another client then signed in: %s (status %d); "+
		"32 failed sign-ins from 32 addresses of one IPv6 /64: slowed from attempt %d (0 = never)",
		attacker, firstSlowed, yesNo(other.status == http.StatusSeeOther), other.status, v6Slowed), nil
}
