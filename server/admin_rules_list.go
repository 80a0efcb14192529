package server

import (
	"errors"
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
)

type adminRulesView struct {
	Page
	Rules    []ruleRow
	Elements []indOption // code and name of each entered element
	Form     indicators.NewRule
	Done     string
}

// ruleRow is one rule as the list shows it; ID is 0 for a rule that cannot
// be deleted.
type ruleRow struct {
	ID                    int64
	Name, Message, Clause string
	Builtin               bool
}

// adminRulesList lists the validation rules checked on every report: one
// per indicator (its numerator does not pass its denominator), the stored
// built-in ones and the admin's, with the form adding one.
func (s *indicatorsPart) adminRulesList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminRulesView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-rules", v)
}

func (s *indicatorsPart) adminRulesView(w http.ResponseWriter, r *http.Request) (*adminRulesView, error) {
	p := s.page(w, r, "quality.rules.title")
	ctx := r.Context()
	en := p.Lang == i18n.EN
	v := &adminRulesView{Page: p, Form: indicators.NewRule{Op: "<="}}
	switch r.URL.Query().Get("done") {
	case "added":
		v.Done = "quality.rules.done.added"
	case "deleted":
		v.Done = "quality.rules.done.deleted"
	}
	els, err := indicators.EnteredElements(ctx, s.db)
	if err != nil {
		return nil, err
	}
	byID := map[int64]indicators.Element{}
	for _, e := range els {
		byID[e.ID] = e
		v.Elements = append(v.Elements, indOption{e.Code, e.Name(en)})
	}
	inds, err := indicators.Indicators(ctx, s.db)
	if err != nil {
		return nil, err
	}
	for _, in := range inds {
		num, den := byID[in.NumeratorID], byID[in.DenominatorID]
		if num.Code == "" || den.Code == "" {
			continue // a portal-counted figure: no one enters it
		}
		v.Rules = append(v.Rules, ruleRow{Name: p.L.T("quality.rules.ratio.name", "Name", in.Name(en)), Message: p.L.T("quality.rules.ratio.message", "Numerator", num.Name(en), "Denominator", den.Name(en)),
			Clause: num.Code + " <= " + den.Code, Builtin: true})
	}
	rules, err := indicators.Rules(ctx, s.db)
	if err != nil {
		return nil, err
	}
	for _, x := range rules {
		row := ruleRow{ID: x.ID, Name: x.Name(en), Message: x.Message(en), Clause: x.Left + " " + x.Op + " " + x.Right, Builtin: x.Builtin}
		if x.Builtin {
			row.ID = 0
		}
		v.Rules = append(v.Rules, row)
	}
	return v, nil
}

// ruleMessage words a refused field of a new rule.
func ruleMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, indicators.ErrRuleTextLong):
		return l.T("quality.rules.error.long", "Name", indicators.MaxRuleName, "Message", indicators.MaxRuleMessage)
	case errors.Is(err, indicators.ErrRuleExpr):
		return l.T("quality.rules.error.expr", "Max", indicators.MaxRuleExpr)
	case errors.Is(err, indicators.ErrRuleOp):
		return l.T("quality.rules.error.op")
	case errors.Is(err, indicators.ErrRuleDuplicate):
		return l.T("quality.rules.error.duplicate")
	case errors.Is(err, indicators.ErrInvisible):
		return l.T("quality.error.invisible")
	}
	return l.T("quality.rules.error.text")
}
