package content

import (
	"errors"
	"strings"
	"testing"
)

// validCodes are fixed codes with a correct check character, so the
// substitution and transposition tables below do not depend on chance.
func validCodes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, data := range []string{"23456789ABCDEF", "ZYXWVUTSRQPNMK", "AAAAAAAAAAAAAA", "2", "DEMQ2R7K9"} {
		out = append(out, data+string(checkChar(data)))
	}
	for range 20 {
		c, err := NewCertificateCode()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
		r, err := NewResumeCode()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestCodeCatchesEverySingleSubstitution(t *testing.T) {
	for _, code := range validCodes(t) {
		if _, err := ParseCode(code, len(code)); err != nil {
			t.Fatalf("ParseCode(%q) = %v, want valid", code, err)
		}
		for i := range len(code) {
			for j := range codeBase {
				c := codeAlphabet[j]
				if c == code[i] {
					continue
				}
				typo := code[:i] + string(c) + code[i+1:]
				if _, err := ParseCode(typo, len(code)); !errors.Is(err, ErrCodeCheck) {
					t.Errorf("ParseCode(%q) (position %d of %q changed) = %v, want ErrCodeCheck", typo, i, code, err)
				}
			}
		}
	}
}

func TestCodeCatchesEveryAdjacentTransposition(t *testing.T) {
	for _, code := range validCodes(t) {
		for i := 0; i+1 < len(code); i++ {
			if code[i] == code[i+1] {
				continue // swapping equal characters changes nothing
			}
			swapped := code[:i] + string(code[i+1]) + string(code[i]) + code[i+2:]
			if _, err := ParseCode(swapped, len(code)); !errors.Is(err, ErrCodeCheck) {
				t.Errorf("ParseCode(%q) (positions %d,%d of %q swapped) = %v, want ErrCodeCheck", swapped, i, i+1, code, err)
			}
		}
	}
}

func TestParseCodeNormalises(t *testing.T) {
	code, err := NewCertificateCode()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want error
	}{
		{code, nil},
		{strings.ToLower(code), nil},
		{FormatCode(code), nil},
		{" " + strings.ToLower(FormatCode(code)) + " ", nil},
		{strings.ReplaceAll(FormatCode(code), "-", " "), nil},
		{code[:len(code)-1], ErrCodeFormat},
		{code + "2", ErrCodeFormat},
		{"", ErrCodeFormat},
		{"O" + code[1:], ErrCodeFormat}, // O is never used
		{"1" + code[1:], ErrCodeFormat},
		{"Đ" + code[1:], ErrCodeFormat},
	}
	for _, tt := range tests {
		got, err := ParseCertificateCode(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseCertificateCode(%q) error = %v, want %v", tt.in, err, tt.want)
			continue
		}
		if err == nil && got != code {
			t.Errorf("ParseCertificateCode(%q) = %q, want %q", tt.in, got, code)
		}
	}
}

func TestNewCodesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := NewCertificateCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != CertificateCodeLen {
			t.Fatalf("len(%q) = %d, want %d", c, len(c), CertificateCodeLen)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice", c)
		}
		seen[c] = true
	}
}

func TestFormatCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCDEFGHJKMNPQR", "ABCDE-FGHJK-MNPQR"},
		{"ABCDEFGHJK", "ABCDE-FGHJK"},
		{"ABC", "ABC"},
	}
	for _, tt := range tests {
		if got := FormatCode(tt.in); got != tt.want {
			t.Errorf("FormatCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	f.Add("ABCDE-FGHJK-MNPQR")
	f.Add("abcde fghjk")
	f.Add("đđđ")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s, CertificateCodeLen)
		if err != nil {
			return
		}
		again, err := ParseCode(FormatCode(c), CertificateCodeLen)
		if err != nil || again != c {
			t.Errorf("round trip of %q: %q, %v", c, again, err)
		}
	})
}
