package payments

import (
	"errors"
	"strings"
)

// ErrBadAmount is returned for text that is not a whole number of đồng.
var ErrBadAmount = errors.New("not a whole number of đồng")

// ParseAmount reads an amount of đồng as an official may type it: with dots,
// commas or spaces between thousands (50.000, 50,000, 50 000) and an
// optional đ, ₫ or VND. VND has no smaller unit, so there is no decimal
// part to misread: every separator is a thousands separator, and a group
// after one must have three digits.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	for _, suffix := range []string{"VND", "vnd", "₫", "đ", "Đ", "đồng"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
	}
	if s == "" || len(s) > 32 {
		return 0, ErrBadAmount
	}
	var n int64
	digits, group := 0, -1 // group: digits since the last separator, -1 before the first
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if digits == 11 { // 99.999.999.999 is far over Stripe's maximum already
				return 0, ErrBadAmount
			}
			n = n*10 + int64(r-'0')
			digits++
			if group >= 0 {
				group++
			}
		case r == '.' || r == ',' || r == ' ' || r == '\u00a0':
			if digits == 0 || group == 0 || (group > 0 && group != 3) || (group < 0 && digits > 3) {
				return 0, ErrBadAmount
			}
			group = 0
		default:
			return 0, ErrBadAmount
		}
	}
	if group >= 0 && group != 3 {
		return 0, ErrBadAmount
	}
	return n, nil
}
