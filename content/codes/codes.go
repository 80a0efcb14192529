package codes

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// Alphabet holds the characters of every code: digits and capital letters
// without 0, 1, I, L and O, which people confuse when they copy a code by
// hand. Its size, 31, is prime, which the check character relies on.
const Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const base = len(Alphabet)

// Errors of reading a typed code. Both are caught before any lookup.
var (
	// ErrFormat: the code has the wrong length or a character that codes
	// never contain.
	ErrFormat = errors.New("code: wrong length or character")
	// ErrCheck: the check character does not match, so a character was
	// mistyped or two were swapped.
	ErrCheck = errors.New("code: check character does not match")
)

// value returns the position of c in the alphabet, or -1.
func value(c byte) int { return strings.IndexByte(Alphabet, c) }

// CheckChar returns the character that makes data a valid code. The check
// is a weighted sum modulo the prime 31 with weights 1, 2, 3… (the check
// character itself has the last weight): a single wrong character changes
// the sum by weight×difference and two swapped neighbours by the difference
// alone, neither of which can be 0 mod 31, so both are always caught. Codes
// are shorter than 31 characters, so no weight is 0 mod 31.
func CheckChar(data string) byte {
	n := len(data) + 1 // weight of the check character
	sum := 0
	for i := 0; i < len(data); i++ {
		sum += (i + 1) * value(data[i])
	}
	// Solve sum + n×v ≡ 0 (mod 31) for v.
	v := (base - sum%base) % base * modInverse(n%base) % base
	return Alphabet[v]
}

// modInverse returns x⁻¹ mod 31 (x not 0), by Fermat: x^(31-2).
func modInverse(x int) int {
	r := 1
	for range base - 2 {
		r = r * x % base
	}
	return r
}

// New returns a random code of length n (check character included), drawn
// from crypto/rand without bias.
func New(n int) (string, error) {
	data := make([]byte, 0, n-1)
	buf := make([]byte, 32)
	for len(data) < n-1 {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("codes.New: %w", err)
		}
		for _, b := range buf {
			// 248 = 8×31: bytes above it would favour the first characters.
			if int(b) < 8*base && len(data) < n-1 {
				data = append(data, Alphabet[int(b)%base])
			}
		}
	}
	return string(data) + string(CheckChar(string(data))), nil
}

// Parse reads a code of length n as a person typed it (any case, with
// spaces, dots or hyphens between groups) and checks its length and check
// character. It returns the code in canonical form: capitals, no
// separators.
func Parse(s string, n int) (string, error) {
	c, err := Normalise(s)
	if err != nil {
		return "", err
	}
	if len(c) != n {
		return "", ErrFormat
	}
	if CheckChar(c[:n-1]) != c[n-1] {
		return "", ErrCheck
	}
	return c, nil
}

// Normalise returns s in capitals without separators, or ErrFormat when it
// holds a character that no code contains.
func Normalise(s string) (string, error) {
	if len(s) > 200 {
		return "", ErrFormat
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case IsSeparator(r):
			continue
		case r > 127 || value(byte(r)) < 0:
			return "", ErrFormat
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}

// IsSeparator reports whether r is one of the characters people put
// between the groups of a code, which reading ignores.
func IsSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '\t' || r == '.' || r == '\u00a0'
}

// Format groups a canonical code in fives for reading aloud and copying:
// ABCDE-FGHJK-MNPQR.
func Format(c string) string {
	var parts []string
	for len(c) > 5 {
		parts = append(parts, c[:5])
		c = c[5:]
	}
	parts = append(parts, c)
	return strings.Join(parts, "-")
}
