package assessments

import "digiportal/i18n"

// Text is a piece of the data files written in both of the portal's
// languages. The data files, not Go code, hold every question and
// recommendation a person reads.
type Text struct {
	VI string `toml:"vi"`
	EN string `toml:"en"`
}

// In returns the text in language l.
func (t Text) In(l i18n.Lang) string {
	if l == i18n.EN {
		return t.EN
	}
	return t.VI
}

// complete reports whether both languages are written.
func (t Text) complete() bool { return t.VI != "" && t.EN != "" }
