package content

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// codeAlphabet holds the characters of resume and certificate codes: digits
// and capital letters without 0, 1, I, L and O, which people confuse when
// they copy a code by hand. Its size, 31, is prime, which the check
// character relies on.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const codeBase = len(codeAlphabet)

// Code lengths, check character included. A certificate code carries 14
// random characters (about 69 bits), a resume code 9 (about 44 bits).
const (
	CertificateCodeLen = 15
	ResumeCodeLen      = 10
)

// Errors of code parsing. Both are caught before any database lookup.
var (
	// ErrCodeFormat: the code has the wrong length or a character that
	// codes never contain.
	ErrCodeFormat = errors.New("code: wrong length or character")
	// ErrCodeCheck: the check character does not match, so a character was
	// mistyped or two were swapped.
	ErrCodeCheck = errors.New("code: check character does not match")
)

// codeValue returns the position of c in the alphabet, or -1.
func codeValue(c byte) int { return strings.IndexByte(codeAlphabet, c) }

// checkChar returns the character that makes data a valid code. The check is
// a weighted sum modulo the prime 31 with weights 1, 2, 3… (the check
// character itself has the last weight): a single wrong character changes
// the sum by weight×difference and two swapped neighbours by the difference
// alone, neither of which can be 0 mod 31, so both are always caught.
func checkChar(data string) byte {
	n := len(data) + 1 // weight of the check character
	sum := 0
	for i := 0; i < len(data); i++ {
		sum += (i + 1) * codeValue(data[i])
	}
	// Solve sum + n×v ≡ 0 (mod 31) for v.
	v := (codeBase - sum%codeBase) % codeBase * modInverse(n%codeBase) % codeBase
	return codeAlphabet[v]
}

// modInverse returns x⁻¹ mod 31 (x not 0), by Fermat: x^(31-2).
func modInverse(x int) int {
	r := 1
	for range codeBase - 2 {
		r = r * x % codeBase
	}
	return r
}

// newCode returns a random code of length n (check character included),
// drawn from crypto/rand without bias.
func newCode(n int) (string, error) {
	data := make([]byte, 0, n-1)
	buf := make([]byte, 32)
	for len(data) < n-1 {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("content.newCode: %w", err)
		}
		for _, b := range buf {
			// 248 = 8×31: bytes above it would favour the first characters.
			if int(b) < 8*codeBase && len(data) < n-1 {
				data = append(data, codeAlphabet[int(b)%codeBase])
			}
		}
	}
	return string(data) + string(checkChar(string(data))), nil
}

// NewCertificateCode returns a fresh, unguessable certificate code.
func NewCertificateCode() (string, error) { return newCode(CertificateCodeLen) }

// NewResumeCode returns a fresh resume code.
func NewResumeCode() (string, error) { return newCode(ResumeCodeLen) }

// ParseCode normalises a code as a person typed it (any case, with spaces
// or hyphens between groups) and checks its length and check character. It
// returns the code in canonical form: capitals, no separators.
func ParseCode(s string, length int) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '.' || r == '\u00a0':
			continue
		case r > 127 || codeValue(byte(r)) < 0:
			return "", ErrCodeFormat
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != length {
		return "", ErrCodeFormat
	}
	if checkChar(c[:length-1]) != c[length-1] {
		return "", ErrCodeCheck
	}
	return c, nil
}

// ParseCertificateCode is ParseCode for certificate codes.
func ParseCertificateCode(s string) (string, error) { return ParseCode(s, CertificateCodeLen) }

// ParseResumeCode is ParseCode for resume codes.
func ParseResumeCode(s string) (string, error) { return ParseCode(s, ResumeCodeLen) }

// FormatCode groups a canonical code in fives for reading aloud and
// copying: ABCDE-FGHJK-MNPQR.
func FormatCode(c string) string {
	var parts []string
	for len(c) > 5 {
		parts = append(parts, c[:5])
		c = c[5:]
	}
	parts = append(parts, c)
	return strings.Join(parts, "-")
}
