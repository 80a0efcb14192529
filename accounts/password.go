package accounts

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules of OWASP ASVS 5 level 2: at least 8 characters (15 or more
// advised), up to at least 64 allowed, no composition rules, refused when
// common. Lengths count characters, not bytes: "mậtkhẩu" is 7 characters.
const (
	PasswordMin      = 8
	PasswordAdvised  = 15
	PasswordMax      = 128
	passwordMaxBytes = 4 * PasswordMax // a bound on the work argon2 is given
	argonMemoryKiB   = 47104           // 46 MiB, ASVS 5's floor for argon2id with t=1, p=1
	argonTime        = 1
	argonThreads     = 1
	argonKeyLen      = 32
	argonSaltLen     = 16
	hashPrefix       = "$argon2id$"
)

// Errors of the password policy; each has a message ID for the form.
var (
	ErrPasswordShort  = errors.New("password too short")
	ErrPasswordLong   = errors.New("password too long")
	ErrPasswordCommon = errors.New("password too common")
)

//go:embed commonpasswords.txt
var commonPasswordFile []byte

// Passwords hashes and checks passwords. It bounds the argon2id work: at
// most a few hashes run at once (each takes 46 MiB and a core), a few more
// may wait a short while for one of them, and any beyond answer ErrBusy at
// once, so that a burst costs a refusal rather than memory and minutes.
// New accounts' hashes pass a gate of their own first, which lets at most
// half of the slots run them, so that a flood of sign-ups cannot starve
// sign-in.
type Passwords struct {
	common  map[string]struct{}
	all     gate // every hash
	signups gate // sign-ups' hashes, before they take a place in all
}

// gate lets run callers through at once, keeps up to cap(wait) more
// waiting for at most maxWait, and refuses the rest with ErrBusy.
type gate struct {
	run, wait chan struct{}
	maxWait   time.Duration
}

func newGate(run, wait int) gate {
	return gate{run: make(chan struct{}, run), wait: make(chan struct{}, wait), maxWait: 5 * time.Second}
}

// ErrBusy means too many passwords are being checked at this moment; try
// again shortly. Nothing was checked or saved.
var ErrBusy = errors.New("accounts: too many passwords being checked at once")

// NewPasswords loads the list of common passwords shipped with the binary
// and allows at most concurrent hashes at a time, with up to four times as
// many waiting; sign-ups may run half as many, with as many waiting as
// there are slots.
func NewPasswords(concurrent int) *Passwords {
	if concurrent < 1 {
		concurrent = 1
	}
	p := &Passwords{common: map[string]struct{}{}, all: newGate(concurrent, 4*concurrent),
		signups: newGate(max(1, concurrent/2), concurrent)}
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			p.common[strings.ToLower(line)] = struct{}{}
		}
	}
	return p
}

// CommonCount is the size of the shipped list, for tests.
func (p *Passwords) CommonCount() int { return len(p.common) }

// Check applies the policy to a new password. email (may be empty) is
// refused as a password too, as is the part of it before "@".
func (p *Passwords) Check(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMin:
		return ErrPasswordShort
	case n > PasswordMax || len(password) > passwordMaxBytes:
		return ErrPasswordLong
	}
	lower := strings.ToLower(password)
	if _, ok := p.common[lower]; ok {
		return ErrPasswordCommon
	}
	if email != "" {
		local, _, _ := strings.Cut(strings.ToLower(email), "@")
		if lower == strings.ToLower(email) || lower == local {
			return ErrPasswordCommon
		}
	}
	if sameRune(lower) {
		return ErrPasswordCommon
	}
	return nil
}

func sameRune(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

// Hash returns the argon2id encoding of password:
// $argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash>, base64 without padding.
func (p *Passwords) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > passwordMaxBytes {
		return "", ErrPasswordLong
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("Passwords.Hash: %w", err)
	}
	if err := p.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	p.release()
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", hashPrefix, argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches encoded, comparing in constant
// time. The parameters come from the encoding, so hashes made with older
// parameters still verify.
func (p *Passwords) Verify(ctx context.Context, password, encoded string) (bool, error) {
	m, t, threads, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > passwordMaxBytes {
		return false, nil
	}
	if err := p.acquire(ctx); err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, t, m, threads, uint32(len(want)))
	p.release()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyVerify is verified against when no user matches, so that "no such
// user" takes as long as "wrong password". Its answer is thrown away, but
// not its error: when no check can run (ErrBusy, the request ended) the
// caller must say so as it would for a real account, or the difference
// tells which e-mails have one.
func (p *Passwords) dummyVerify(ctx context.Context, password string) error {
	const dummy = "$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$5Gx1Yk6dtwYp0xF4Kg1HbQ8n1Jk9cD1yJ0U1Zr3wQeE"
	_, err := p.Verify(ctx, password, dummy)
	return err
}

var errBadHash = errors.New("accounts: malformed password hash")

func decodeHash(encoded string) (m, t uint32, threads uint8, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[1] != "argon2id" {
		return 0, 0, 0, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return 0, 0, 0, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads); err != nil || m == 0 || t == 0 || threads == 0 || m > 1<<20 || t > 10 {
		return 0, 0, 0, nil, nil, errBadHash
	}
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return 0, 0, 0, nil, nil, errBadHash
	}
	if key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return 0, 0, 0, nil, nil, errBadHash
	}
	return m, t, threads, salt, key, nil
}

// enter passes the gate: at once when a place is free, else after a short
// wait; a full queue or a wait past maxWait is ErrBusy. leave gives the
// place back.
func (g gate) enter(ctx context.Context) error {
	select {
	case g.run <- struct{}{}:
		return nil
	default:
	}
	select {
	case g.wait <- struct{}{}:
	default:
		return ErrBusy
	}
	defer func() { <-g.wait }()
	timer := time.NewTimer(g.maxWait)
	defer timer.Stop()
	select {
	case g.run <- struct{}{}:
		return nil
	case <-timer.C:
		return ErrBusy
	case <-ctx.Done():
		return fmt.Errorf("Passwords: waiting for a hashing slot: %w", ctx.Err())
	}
}

func (g gate) leave() { <-g.run }

func (p *Passwords) acquire(ctx context.Context) error { return p.all.enter(ctx) }

// hashNewAccount is Hash for a sign-up, which passes the sign-ups' gate
// first.
func (p *Passwords) hashNewAccount(ctx context.Context, password string) (string, error) {
	if err := p.signups.enter(ctx); err != nil {
		return "", err
	}
	defer p.signups.leave()
	return p.Hash(ctx, password)
}

func (p *Passwords) release() { p.all.leave() }
