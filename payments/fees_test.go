package payments

import (
	"errors"
	"strings"
	"testing"

	"digiportal/database"
)

func TestCatalogueLoads(t *testing.T) {
	t.Parallel()
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(cat.Fees); got < 6 {
		t.Errorf("catalogue has %d fees, want at least 6", got)
	}
	for _, f := range cat.Fees {
		if err := cat.CheckAmount(f.Amount); err != nil {
			t.Errorf("fee %s: %v", f.Code, err)
		}
		if f.VI.Procedure == f.EN.Procedure {
			t.Errorf("fee %s: Vietnamese and English procedure are the same text", f.Code)
		}
	}
	if _, err := cat.Fee("ly-lich-tu-phap"); err != nil {
		t.Errorf("Fee(ly-lich-tu-phap): %v", err)
	}
	if _, err := cat.Fee("no-such-fee"); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("Fee(no-such-fee) error = %v, want database.ErrNotFound", err)
	}
}

func TestCheckAmount(t *testing.T) {
	t.Parallel()
	cat := &Catalogue{MinAmount: 20_000, MaxAmount: StripeMaxVND}
	for _, tc := range []struct {
		dong int64
		want error
	}{
		{2_000, ErrAmountTooSmall}, // a certified copy: one page
		{19_999, ErrAmountTooSmall},
		{0, ErrAmountTooSmall},
		{-50_000, ErrAmountTooSmall},
		{20_000, nil},
		{200_000, nil},
		{99_999_999, nil},
		{100_000_000, ErrAmountTooLarge}, // 9 digits
	} {
		if got := cat.CheckAmount(tc.dong); !errors.Is(got, tc.want) || (tc.want == nil) != (got == nil) {
			t.Errorf("CheckAmount(%d) = %v, want %v", tc.dong, got, tc.want)
		}
	}
}

func TestParseCatalogueRefuses(t *testing.T) {
	t.Parallel()
	const fee = `
[[fee]]
code = "CODE"
amount = AMOUNT
[fee.vi]
procedure = "Thủ tục"
authority = "Cơ quan"
legal_basis = "Căn cứ"
explanation = "Giải thích"
[fee.en]
procedure = "Procedure"
authority = "Authority"
legal_basis = "Basis"
explanation = "Explanation"
`
	mk := func(limits, code, amount string) []byte {
		return []byte(limits + strings.NewReplacer("CODE", code, "AMOUNT", amount).Replace(fee))
	}
	const ok = "min_amount = 20000\nmax_amount = 99999999\n"
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"valid", mk(ok, "a-fee", "50000"), ""},
		{"below minimum", mk(ok, "a-fee", "2000"), "below the minimum"},
		{"over eight digits", mk(ok, "a-fee", "100000000"), "8-digit"},
		{"minimum under Stripe's", mk("min_amount = 100\nmax_amount = 99999999\n", "a-fee", "50000"), "limits"},
		{"maximum over Stripe's", mk("min_amount = 20000\nmax_amount = 999999999\n", "a-fee", "50000"), "limits"},
		{"bad code", mk(ok, "A Fee", "50000"), "code"},
		{"duplicate code", append(mk(ok, "a-fee", "50000"), []byte(strings.NewReplacer("CODE", "a-fee", "AMOUNT", "60000").Replace(fee))...), "twice"},
		{"missing English", []byte(ok + strings.Replace(strings.NewReplacer("CODE", "a-fee", "AMOUNT", "50000").Replace(fee), `explanation = "Explanation"`, `explanation = " "`, 1)), "en text"},
		{"unknown field", []byte(ok + "currency = \"usd\"\n" + strings.NewReplacer("CODE", "a-fee", "AMOUNT", "50000").Replace(fee)), "currency"},
		{"no fees", []byte(ok), "no fees"},
	} {
		_, err := ParseCatalogue(tc.data)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: ParseCatalogue: %v, want success", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: ParseCatalogue error = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
