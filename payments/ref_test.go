package payments

import (
	"errors"
	"testing"
)

func TestNewRef(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		r := NewRef()
		got, err := ParseRef(r)
		if err != nil || got != r {
			t.Fatalf("ParseRef(NewRef() = %q) = %q, %v", r, got, err)
		}
		if seen[r] {
			t.Fatalf("NewRef repeated %q", r)
		}
		seen[r] = true
	}
}

func TestParseRef(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"DEM0PA1D000000000001", "DEM0PA1D000000000001", nil},
		{"dem0-pa1d-0000-0000-0001", "DEM0PA1D000000000001", nil},
		{"DEMO PAID 0000 0000 0001", "DEM0PA1D000000000001", nil}, // O → 0, I → 1
		{"DEM0PA1D00000000000", "", ErrBadRef},                    // too short
		{"DEM0PA1D0000000000011", "", ErrBadRef},                  // too long
		{"DEM0PA1D00000000000U", "", ErrBadRef},                   // U is not in the alphabet
		{"DEM0PA1D00000000000é", "", ErrBadRef},
		{"", "", ErrBadRef},
		{"../../etc/passwd", "", ErrBadRef},
	} {
		got, err := ParseRef(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("ParseRef(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestFormatRef(t *testing.T) {
	t.Parallel()
	if got, want := FormatRef("DEM0PA1D000000000001"), "DEM0-PA1D-0000-0000-0001"; got != want {
		t.Errorf("FormatRef = %q, want %q", got, want)
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"DEM0PA1D000000000001", "dem0-pa1d-0000-0000-0001", "", "ÔÔÔ", "----"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseRef(s)
		if err != nil {
			return
		}
		if len(got) != refLen {
			t.Fatalf("ParseRef(%q) = %q: length %d", s, got, len(got))
		}
		again, err := ParseRef(FormatRef(got))
		if err != nil || again != got {
			t.Fatalf("ParseRef(FormatRef(%q)) = %q, %v", got, again, err)
		}
	})
}
