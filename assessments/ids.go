package assessments

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
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
// another device: 15 random symbols (75 bits) from Crockford's base32
// alphabet, which has no I, L, O or U, plus one check symbol (Luhn mod 32),
// shown in four groups of four: "7KQM-2R9D-XW4T-8PZC". Reading accepts
// lowercase, spaces, hyphens and the look-alikes O→0, I/L→1, and the check
// symbol catches any single mistyped symbol and most swapped neighbours.
// Only a SHA-256 of the code is stored; the high entropy makes a slow hash
// unnecessary.
const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeBody     = 15
	codeLen      = codeBody + 1
)

// ErrBadCode means a typed resume code is malformed or fails its check.
var ErrBadCode = errors.New("assessments: malformed resume code")

// NewResumeCode returns a fresh code in its display form.
func NewResumeCode() string {
	b := make([]byte, codeBody)
	rand.Read(b)
	sym := make([]byte, codeLen)
	for i, x := range b {
		sym[i] = codeAlphabet[x&31] // 256 is a multiple of 32: uniform
	}
	sym[codeBody] = codeAlphabet[luhnCheck(sym[:codeBody])]
	return FormatCode(string(sym))
}

// FormatCode writes a normalised code in groups of four.
func FormatCode(norm string) string {
	var sb strings.Builder
	for i := 0; i < len(norm); i++ {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(norm[i])
	}
	return sb.String()
}

// ParseResumeCode normalises a typed code and checks it.
func ParseResumeCode(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrBadCode
	}
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '.', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(codeAlphabet, byte(r)) < 0 {
			return "", ErrBadCode
		}
		sb.WriteRune(r)
	}
	norm := sb.String()
	if len(norm) != codeLen || !luhnValid([]byte(norm)) {
		return "", ErrBadCode
	}
	return norm, nil
}

// luhnCheck returns the index of the check symbol for body (Luhn mod N).
func luhnCheck(body []byte) int {
	const n = len(codeAlphabet)
	factor, sum := 2, 0
	for i := len(body) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(codeAlphabet, body[i])
		factor = 3 - factor
		sum += addend/n + addend%n
	}
	return (n - sum%n) % n
}

// luhnValid checks a code whose last symbol is its check symbol.
func luhnValid(code []byte) bool {
	const n = len(codeAlphabet)
	factor, sum := 1, 0
	for i := len(code) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(codeAlphabet, code[i])
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
