package payments

import (
	"crypto/rand"
	"errors"
	"strings"
)

// A payment reference is 20 characters of Crockford's base32 (100 random
// bits): unguessable, so that knowing one reference tells nothing about
// another, and readable aloud over the phone without 0/O or 1/I/L mix-ups.
const (
	refLen      = 20
	refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// ErrBadRef is returned for text that is not a payment reference.
var ErrBadRef = errors.New("not a payment reference")

// NewRef returns a fresh random payment reference.
func NewRef() string {
	b := make([]byte, refLen)
	rand.Read(b)
	for i := range b {
		b[i] = refAlphabet[b[i]&31]
	}
	return string(b)
}

// ParseRef reads a reference as a person may type it: any case, with
// hyphens or spaces between groups, O for 0 and I or L for 1. It returns
// the canonical form.
func ParseRef(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrBadRef
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case r > 127 || !strings.ContainsRune(refAlphabet, r):
			return "", ErrBadRef
		}
		b.WriteRune(r)
	}
	if b.Len() != refLen {
		return "", ErrBadRef
	}
	return b.String(), nil
}

// FormatRef groups a reference in fours for reading: ABCD-EFGH-….
func FormatRef(ref string) string {
	var b strings.Builder
	for i, r := range ref {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}
