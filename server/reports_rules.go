package server

import (
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
)

// maxRuleWarnings bounds the rule warnings an uploaded file's check lists.
const maxRuleWarnings = 100

// ruleViolationText words a broken rule with both sides' sums; msgID is
// quality.rules.violation (entry, import: "you can still send it") or
// quality.rules.violation_review.
func ruleViolationText(l *i18n.Localizer, msgID string, x indicators.RuleViolation) string {
	en := l.Lang == i18n.EN
	return l.T(msgID, "Name", x.Rule.Name(en), "Message", x.Rule.Message(en), "Left", l.Int(x.Left), "Right", l.Int(x.Right))
}

// typedValues reads the whole numbers of a refused form, leaving out the
// blank and wrong ones (their own errors speak for them).
func typedValues(typed map[int64]string) indicators.Values {
	out := indicators.Values{}
	for id, s := range typed {
		if n, blank, ok := indicators.ParseWhole(s); ok && !blank {
			out[id] = n
		}
	}
	return out
}

// flagRules warns on the entry form about each validation rule the
// report's values (the typed ones when a post was refused) break.
func (s *indicatorsPart) flagRules(r *http.Request, v *entryView, stored indicators.Values, typed map[int64]string) error {
	vals := stored
	if typed != nil {
		vals = typedValues(typed)
	}
	broken, err := indicators.CheckRules(r.Context(), s.db, vals)
	if err != nil {
		return err
	}
	for _, x := range broken {
		v.Warnings = append(v.Warnings, ruleViolationText(v.L, "quality.rules.violation", x))
	}
	return nil
}

// importRuleWarnings words the rules each row of a checked file breaks,
// "Row 4: …", at most maxRuleWarnings of them.
func (s *indicatorsPart) importRuleWarnings(r *http.Request, l *i18n.Localizer, rows []indicators.ImportRow) ([]string, error) {
	check, err := indicators.RuleChecker(r.Context(), s.db)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, row := range rows {
		for _, x := range check(row.Values) {
			if len(out) == maxRuleWarnings {
				return out, nil
			}
			out = append(out, l.T("quality.rules.import_row", "Row", l.Int(int64(row.Row)), "Unit", row.UnitCode, "Text", ruleViolationText(l, "quality.rules.violation", x)))
		}
	}
	return out, nil
}
