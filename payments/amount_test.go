package payments

import (
	"strconv"
	"testing"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"50000", 50000, true},
		{"50.000", 50000, true},
		{"50,000", 50000, true},
		{"50 000 ₫", 50000, true},
		{"1.234.567đ", 1234567, true},
		{" 200000 VND ", 200000, true},
		{"0", 0, true},
		{"50.00", 0, false},    // not a thousands group: a decimal would be a misreading
		{"5.0000", 0, false},   // group of four
		{"1234.567", 0, false}, // four digits before a separator
		{".500", 0, false},
		{"500.", 0, false},
		{"-50000", 0, false},
		{"5e4", 0, false},
		{"", 0, false},
		{"đ", 0, false},
		{"999999999999", 0, false},
	} {
		got, err := ParseAmount(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"50.000", "1 234 567 ₫", "50,00", "", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseAmount(s)
		if err != nil {
			return
		}
		if n < 0 || n > 99_999_999_999 {
			t.Fatalf("ParseAmount(%q) = %d, out of range", s, n)
		}
		// A parsed amount written plainly reads back the same.
		if again, err := ParseAmount(strconv.FormatInt(n, 10)); err != nil || again != n {
			t.Fatalf("ParseAmount(%d) = %d, %v", n, again, err)
		}
	})
}
