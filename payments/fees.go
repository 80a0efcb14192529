package payments

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"digiportal/database"
	"digiportal/i18n"
)

// Stripe's own bounds for a VND amount: VND is zero-decimal, so an amount
// is whole đồng, and Stripe takes at most 8 digits. The catalogue's
// configured minimum sits above StripeMinVND (about USD 0.50).
const (
	StripeMinVND int64 = 13_000
	StripeMaxVND int64 = 99_999_999
)

// Currency is the only currency of the practice, as Stripe spells it.
const Currency = "vnd"

//go:embed fees.toml
var feesFile []byte

// FeeText is what a fee says in one language.
type FeeText struct {
	Procedure   string `toml:"procedure"`
	Authority   string `toml:"authority"`
	LegalBasis  string `toml:"legal_basis"`
	Explanation string `toml:"explanation"`
}

// Fee is an administrative fee residents may practise paying.
type Fee struct {
	Code   string  `toml:"code"`
	Amount int64   `toml:"amount"` // whole đồng
	VI     FeeText `toml:"vi"`
	EN     FeeText `toml:"en"`
}

// Text returns the fee's wording in lang.
func (f *Fee) Text(lang i18n.Lang) FeeText {
	if lang == i18n.EN {
		return f.EN
	}
	return f.VI
}

// Catalogue is the validated list of fees, in file order.
type Catalogue struct {
	MinAmount int64 `toml:"min_amount"`
	MaxAmount int64 `toml:"max_amount"`
	Fees      []Fee `toml:"fee"`
	byCode    map[string]*Fee
}

// Errors of amounts and of the catalogue.
var (
	ErrAmountTooSmall = errors.New("amount below the minimum chargeable amount")
	ErrAmountTooLarge = errors.New("amount over Stripe's 8-digit maximum")
	// ErrUnknownFee matches database.ErrNotFound, so an unknown fee code
	// in a URL or form is a 404 without a special case.
	ErrUnknownFee = fmt.Errorf("unknown fee: %w", database.ErrNotFound)
)

var feeCode = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadCatalogue parses and validates the embedded fee catalogue. A fee
// that Stripe could not charge stops the start.
func LoadCatalogue() (*Catalogue, error) { return ParseCatalogue(feesFile) }

// ParseCatalogue parses a catalogue file and checks it: limits within
// Stripe's own, codes unique and URL-safe, both languages complete, and
// every amount inside the limits.
func ParseCatalogue(data []byte) (*Catalogue, error) {
	var c Catalogue
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return nil, fmt.Errorf("payments.ParseCatalogue: unknown field: %s", strict.String())
		}
		return nil, fmt.Errorf("payments.ParseCatalogue: %w", err)
	}
	if c.MinAmount < StripeMinVND || c.MaxAmount > StripeMaxVND || c.MinAmount > c.MaxAmount {
		return nil, fmt.Errorf("payments.ParseCatalogue: limits %d–%d outside Stripe's %d–%d", c.MinAmount, c.MaxAmount, StripeMinVND, StripeMaxVND)
	}
	if len(c.Fees) == 0 {
		return nil, fmt.Errorf("payments.ParseCatalogue: no fees")
	}
	c.byCode = make(map[string]*Fee, len(c.Fees))
	for i := range c.Fees {
		f := &c.Fees[i]
		if !feeCode.MatchString(f.Code) || len(f.Code) > 60 {
			return nil, fmt.Errorf("payments.ParseCatalogue: fee %d: code %q is not lower-case words joined by hyphens", i+1, f.Code)
		}
		if _, dup := c.byCode[f.Code]; dup {
			return nil, fmt.Errorf("payments.ParseCatalogue: fee %q listed twice", f.Code)
		}
		if err := c.CheckAmount(f.Amount); err != nil {
			return nil, fmt.Errorf("payments.ParseCatalogue: fee %q: %w", f.Code, err)
		}
		for lang, t := range map[i18n.Lang]FeeText{i18n.VI: f.VI, i18n.EN: f.EN} {
			if strings.TrimSpace(t.Procedure) == "" || strings.TrimSpace(t.Authority) == "" ||
				strings.TrimSpace(t.LegalBasis) == "" || strings.TrimSpace(t.Explanation) == "" {
				return nil, fmt.Errorf("payments.ParseCatalogue: fee %q: %s text incomplete", f.Code, lang)
			}
		}
		c.byCode[f.Code] = f
	}
	return &c, nil
}

// CheckAmount refuses an amount Stripe would not charge: below the
// catalogue's minimum or over 8 digits.
func (c *Catalogue) CheckAmount(dong int64) error {
	switch {
	case dong < c.MinAmount:
		return fmt.Errorf("%w: %d < %d", ErrAmountTooSmall, dong, c.MinAmount)
	case dong > c.MaxAmount:
		return fmt.Errorf("%w: %d > %d", ErrAmountTooLarge, dong, c.MaxAmount)
	}
	return nil
}

// Fee returns the fee with code, or an error matching database.ErrNotFound.
func (c *Catalogue) Fee(code string) (*Fee, error) {
	if f, ok := c.byCode[code]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownFee, code)
}
