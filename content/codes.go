package content

import "digiportal/content/codes"

// Code lengths, check character included. A certificate code carries 14
// random characters (about 69 bits), a resume code 9 (about 44 bits). The
// alphabet, check character and grouping are those of every code on the
// portal (package codes).
const (
	CertificateCodeLen = 15
	ResumeCodeLen      = 10
)

// Errors of code parsing, from package codes. Both are caught before any
// database lookup.
var (
	// ErrCodeFormat: the code has the wrong length or a character that
	// codes never contain.
	ErrCodeFormat = codes.ErrFormat
	// ErrCodeCheck: the check character does not match, so a character was
	// mistyped or two were swapped.
	ErrCodeCheck = codes.ErrCheck
)

// NewCertificateCode returns a fresh, unguessable certificate code.
func NewCertificateCode() (string, error) { return codes.New(CertificateCodeLen) }

// NewResumeCode returns a fresh resume code.
func NewResumeCode() (string, error) { return codes.New(ResumeCodeLen) }

// ParseCertificateCode reads a certificate code as a person typed it and
// returns it in canonical form (see codes.Parse).
func ParseCertificateCode(s string) (string, error) { return codes.Parse(s, CertificateCodeLen) }

// ParseResumeCode reads a resume code as a person typed it and returns it
// in canonical form (see codes.Parse).
func ParseResumeCode(s string) (string, error) { return codes.Parse(s, ResumeCodeLen) }

// FormatCode groups a canonical code in fives for reading aloud and
// copying: ABCDE-FGHJK-MNPQR.
func FormatCode(c string) string { return codes.Format(c) }
