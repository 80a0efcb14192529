package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/uptrace/bun"
)

// Device cookies (OWASP, "Slow down online guessing attacks with device
// cookies"): a browser in which someone signed in successfully keeps a
// cookie holding {login, nonce} signed with a secret of the portal. A
// sign-in that shows a valid cookie for the login typed is a known device,
// throttled on that cookie alone; everyone else is throttled per account
// and per address. So guesses from elsewhere can slow an account's sign-in
// from new devices but never refuse its owner on their own device.
//
// One cookie holds the entries of the last few logins that signed in on
// the browser (a commune office's shared computer), newest first.
const (
	settingDeviceSecret = "device_secret"
	// DeviceEntries is how many logins one browser's cookie remembers.
	DeviceEntries = 4
	// DeviceCookieMax bounds the cookie's text read from a request, so
	// that a forged one costs no more than a real one to look at.
	DeviceCookieMax = 2048
	deviceNonceLen  = 16
)

// device is one checked entry of a device cookie.
type device struct {
	login string
	nonce string
}

// IssueDevice returns the device cookie's new value after login signed in
// on a browser whose cookie was old (empty when it had none): an entry for
// login with a fresh nonce first, then the browser's other valid entries
// that are not login's, at most DeviceEntries in all.
func IssueDevice(ctx context.Context, db bun.IDB, login, old string) (string, error) {
	login = throttleLogin(login)
	secret, err := settingSecret(ctx, db, settingDeviceSecret)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, deviceNonceLen)
	rand.Read(nonce)
	entries := []string{signDevice(secret, device{login: login, nonce: base64.RawURLEncoding.EncodeToString(nonce)})}
	for _, d := range parseDevices(secret, old) {
		if len(entries) == DeviceEntries {
			break
		}
		if d.login != login {
			entries = append(entries, signDevice(secret, d))
		}
	}
	return strings.Join(entries, "~"), nil
}

// knownDevice returns the nonce of cookie's valid entry for login, if the
// cookie has one.
func knownDevice(ctx context.Context, db bun.IDB, cookie, login string) (string, bool, error) {
	if cookie == "" {
		return "", false, nil
	}
	secret, err := settingSecret(ctx, db, settingDeviceSecret)
	if err != nil {
		return "", false, err
	}
	for _, d := range parseDevices(secret, cookie) {
		if d.login == login {
			return d.nonce, true, nil
		}
	}
	return "", false, nil
}

// signDevice writes an entry: base64url(login).nonce.base64url(mac).
func signDevice(secret []byte, d device) string {
	login := base64.RawURLEncoding.EncodeToString([]byte(d.login))
	return login + "." + d.nonce + "." + base64.RawURLEncoding.EncodeToString(deviceMAC(secret, login, d.nonce))
}

func deviceMAC(secret []byte, login, nonce string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("device\x00" + login + "\x00" + nonce))
	return m.Sum(nil)
}

// parseDevices returns the entries of cookie whose signature holds; a
// forged, truncated or oversized part is skipped.
func parseDevices(secret []byte, cookie string) []device {
	if len(cookie) > DeviceCookieMax {
		return nil
	}
	var out []device
	for i, entry := range strings.Split(cookie, "~") {
		if i == DeviceEntries {
			break
		}
		login, rest, ok := strings.Cut(entry, ".")
		if !ok {
			continue
		}
		nonce, sig, ok := strings.Cut(rest, ".")
		if !ok || len(nonce) != base64.RawURLEncoding.EncodedLen(deviceNonceLen) {
			continue
		}
		mac, err := base64.RawURLEncoding.DecodeString(sig)
		if err != nil || !hmac.Equal(mac, deviceMAC(secret, login, nonce)) {
			continue
		}
		name, err := base64.RawURLEncoding.DecodeString(login)
		if err != nil {
			continue
		}
		out = append(out, device{login: string(name), nonce: nonce})
	}
	return out
}
