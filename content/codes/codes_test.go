package codes

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
		out = append(out, data+string(CheckChar(data)))
	}
	for range 20 {
		for _, n := range []int{10, 15} {
			c, err := New(n)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
	}
	return out
}

func TestCodeCatchesEverySingleSubstitution(t *testing.T) {
	for _, code := range validCodes(t) {
		if _, err := Parse(code, len(code)); err != nil {
			t.Fatalf("Parse(%q) = %v, want valid", code, err)
		}
		for i := range len(code) {
			for j := range base {
				c := Alphabet[j]
				if c == code[i] {
					continue
				}
				typo := code[:i] + string(c) + code[i+1:]
				if _, err := Parse(typo, len(code)); !errors.Is(err, ErrCheck) {
					t.Errorf("Parse(%q) (position %d of %q changed) = %v, want ErrCheck", typo, i, code, err)
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
			if _, err := Parse(swapped, len(code)); !errors.Is(err, ErrCheck) {
				t.Errorf("Parse(%q) (positions %d,%d of %q swapped) = %v, want ErrCheck", swapped, i, i+1, code, err)
			}
		}
	}
}

func TestParseNormalises(t *testing.T) {
	code, err := New(15)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want error
	}{
		{code, nil},
		{strings.ToLower(code), nil},
		{Format(code), nil},
		{" " + strings.ToLower(Format(code)) + " ", nil},
		{strings.ReplaceAll(Format(code), "-", " "), nil},
		{code[:len(code)-1], ErrFormat},
		{code + "2", ErrFormat},
		{"", ErrFormat},
		{"O" + code[1:], ErrFormat}, // O is never used
		{"1" + code[1:], ErrFormat},
		{"Đ" + code[1:], ErrFormat},
		{strings.Repeat("-", 300) + code, ErrFormat}, // a pasted page is refused unread
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, 15)
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q, 15) error = %v, want %v", tt.in, err, tt.want)
			continue
		}
		if err == nil && got != code {
			t.Errorf("Parse(%q, 15) = %q, want %q", tt.in, got, code)
		}
	}
}

func TestNewCodesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := New(15)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != 15 {
			t.Fatalf("len(%q) = %d, want %d", c, len(c), 15)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice", c)
		}
		seen[c] = true
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCDEFGHJKMNPQR", "ABCDE-FGHJK-MNPQR"},
		{"ABCDEFGHJK", "ABCDE-FGHJK"},
		{"ABC", "ABC"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("ABCDE-FGHJK-MNPQR")
	f.Add("abcde fghjk")
	f.Add("đđđ")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s, 15)
		if err != nil {
			return
		}
		again, err := Parse(Format(c), 15)
		if err != nil || again != c {
			t.Errorf("round trip of %q: %q, %v", c, again, err)
		}
	})
}
