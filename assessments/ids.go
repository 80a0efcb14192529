package assessments

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"

	"digiportal/content/codes"
)

// Response IDs are 128 random bits from crypto/rand written in Crockford's
// base32 (lowercase, no padding): 26 characters that cannot be guessed or
// counted through. They appear in URLs; on their own they open nothing (see
// the server's ownership check), the resume code does.
const (
	idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	idLen      = 26
)

var idEncoding = base32.NewEncoding(idAlphabet).WithPadding(base32.NoPadding)

// NewID returns a fresh response or series ID.
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return idEncoding.EncodeToString(b)
}

// ValidID reports whether s has the shape of an ID, so that a malformed
// one is refused before any query.
func ValidID(s string) bool {
	if len(s) != idLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(idAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// Resume codes are what a person writes down to continue later or on
// another device. They are codes of package codes, like the lessons' codes:
// 14 random characters (about 69 bits) and a check character from one
// alphabet without 0, 1, I, L or O, shown in groups of five:
// "7KQMR-29DXW-4T8PZ". The check character catches any single mistyped
// character and any two swapped neighbours. Only a SHA-256 of the code is
// stored; the high entropy makes a slow hash unnecessary.
const codeLen = 15

// Codes issued before the alphabet was shared (December 2026) are 16
// symbols of Crockford's base32, which has 0 and 1, with a Luhn mod 32
// check symbol, shown in fours: "7KQM-2R9D-XW4T-8PZC". They are still out
// there on paper, so a typed code of 16 symbols is read that way: O is
// taken for 0, and I and L for 1, as Crockford's rules say. Their series
// are stored under the hash of that reading, so they open as before.
const (
	legacyAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	legacyLen      = 16
)

// ErrBadCode means a typed resume code is malformed or fails its check.
var ErrBadCode = errors.New("assessments: malformed resume code")

// NewResumeCode returns a fresh code in its display form.
func NewResumeCode() string {
	code, err := codes.New(codeLen)
	if err != nil {
		panic(err) // crypto/rand does not fail (it panics itself rather than return an error)
	}
	return FormatCode(code)
}

// FormatCode writes a normalised code the way it is shown: a code of today
// in groups of five, an older one in groups of four, as it was printed.
func FormatCode(norm string) string {
	if len(norm) != legacyLen {
		return codes.Format(norm)
	}
	var sb strings.Builder
	for i := 0; i < len(norm); i++ {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(norm[i])
	}
	return sb.String()
}

// ParseResumeCode normalises a typed code and checks it: a code of today,
// or an older one of 16 symbols.
func ParseResumeCode(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrBadCode
	}
	if norm, err := codes.Parse(s, codeLen); err == nil {
		return norm, nil
	}
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case codes.IsSeparator(r):
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(legacyAlphabet, byte(r)) < 0 {
			return "", ErrBadCode
		}
		sb.WriteRune(r)
	}
	norm := sb.String()
	if len(norm) != legacyLen || !luhnValid([]byte(norm)) {
		return "", ErrBadCode
	}
	return norm, nil
}

// luhnCheck returns the index of the check symbol for the body of an older
// code (Luhn mod 32). Only tests make such codes now.
func luhnCheck(body []byte) int {
	const n = len(legacyAlphabet)
	factor, sum := 2, 0
	for i := len(body) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(legacyAlphabet, body[i])
		factor = 3 - factor
		sum += addend/n + addend%n
	}
	return (n - sum%n) % n
}

// luhnValid checks an older code whose last symbol is its check symbol.
func luhnValid(code []byte) bool {
	const n = len(legacyAlphabet)
	factor, sum := 1, 0
	for i := len(code) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(legacyAlphabet, code[i])
		factor = 3 - factor
		sum += addend/n + addend%n
	}
	return sum%n == 0
}

// hashCode is how a normalised code is stored and looked up.
func hashCode(norm string) string {
	h := sha256.Sum256([]byte("digiportal assessment resume code\x00" + norm))
	return hex.EncodeToString(h[:])
}
