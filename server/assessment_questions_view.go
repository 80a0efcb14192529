package server

import (
	"net/http"
	"strconv"
	"strings"

	"digiportal/assessments"
	"digiportal/i18n"
)

type assessmentQuestionsView struct {
	assessmentFrame
	PageKey   string
	Heading   string
	Intro     string
	Questions []assessmentQuestion
	Prev      string // the step before, for the read-only page's links
	Next      string
}

// assessmentQuestion is one question as the form shows it.
type assessmentQuestion struct {
	ID         string // the form field, and the id the error summary links to
	Number     int
	Type       assessments.ItemType
	Text       string
	Hint       string
	Error      string
	Multi      bool // checkboxes rather than radio buttons
	Choices    []assessmentChoice
	LadderText string
	RungField  string
	Rungs      []assessmentChoice
	RungError  string
	Percent    string // a ratio's box, as typed
	AnswerText string // the answer in words, when it cannot change
}

// assessmentChoice is one radio button or box.
type assessmentChoice struct {
	ID      string
	Value   string
	Label   string
	Checked bool
}

// assessmentQuestionsViewFor builds a question page showing answers, with
// typed overriding the text of percentage boxes (what the visitor typed when
// it could not be read) and errs attached to their questions.
func (s *assessmentsPart) assessmentQuestionsViewFor(w http.ResponseWriter, r *http.Request, a *assessmentCtx, page string,
	answers assessments.Answers, typed map[string]string, errs []assessments.FieldError) (*assessmentQuestionsView, error) {
	items, ok := a.model.PageItems(page)
	if !ok {
		return nil, errNotFound
	}
	titleID := "assessment.questions.title"
	if page == assessments.NeedsPage {
		titleID = "assessment.needs.title"
	}
	v := &assessmentQuestionsView{assessmentFrame: s.assessmentFrameFor(w, r, a, titleID, page), PageKey: page}
	prev, next := assessmentNeighbours(a.model, page)
	v.Prev, v.Next = assessmentURL(string(v.Lang), a.resp.ID, prev), assessmentURL(string(v.Lang), a.resp.ID, next)
	l := v.L
	if pl, ok := a.model.Pillar(page); ok {
		v.Heading, v.Intro = pl.Name.In(v.Lang), pl.Intro.In(v.Lang)
		v.Title = v.Heading
	} else {
		v.Heading, v.Intro = l.T("assessment.needs.title"), l.T("assessment.needs.lead")
	}
	number := 0
	for _, p := range a.model.Pages() {
		if p == page {
			break
		}
		its, _ := a.model.PageItems(p)
		number += len(its)
	}
	byField := map[string]string{}
	for _, fe := range errs {
		it, _ := a.model.Item(fieldItem(fe.Field))
		short := ""
		if it != nil {
			short = it.Short.In(v.Lang)
		}
		msg := l.T(fe.MsgID, "Q", short)
		byField[fe.Field] = msg
		v.Errors = append(v.Errors, i18n.FieldError{Field: fe.Field, Message: msg})
	}
	for i := range items {
		number++
		q := assessmentQuestionFor(l, &items[i], answers[items[i].ID], number)
		q.Error, q.RungError = byField[q.ID], byField[q.RungField]
		if t, ok := typed[q.ID]; ok {
			q.Percent = t
		}
		if !v.Editable {
			q.AnswerText = assessmentAnswerText(l, &items[i], answers[items[i].ID])
		}
		v.Questions = append(v.Questions, q)
	}
	return v, nil
}

// fieldItem returns the item a form field belongs to ("x.rung" → "x").
func fieldItem(field string) string {
	item, _, _ := strings.Cut(field, ".")
	return item
}

func assessmentQuestionFor(l *i18n.Localizer, it *assessments.Item, a assessments.Answer, number int) assessmentQuestion {
	q := assessmentQuestion{ID: it.ID, Number: number, Type: it.Type, Text: it.Text.In(l.Lang), Hint: it.Hint.In(l.Lang)}
	choice := func(value, label string, checked bool) {
		id := it.ID
		if len(q.Choices) > 0 {
			id += "-" + value
		}
		q.Choices = append(q.Choices, assessmentChoice{ID: id, Value: value, Label: label, Checked: checked})
	}
	na := func() {
		if it.AllowNA {
			choice(assessments.ChoiceNA, it.NAText.In(l.Lang), a.Choice == assessments.ChoiceNA)
		}
	}
	switch it.Type {
	case assessments.GateLadder:
		choice(assessments.ChoiceYes, l.T("assessment.answer.yes"), a.Choice == assessments.ChoiceYes)
		choice(assessments.ChoiceNo, l.T("assessment.answer.no"), a.Choice == assessments.ChoiceNo)
		na()
		q.LadderText, q.RungField = it.LadderText.In(l.Lang), assessments.RungField(it.ID)
		for i, t := range it.Ladder {
			v := strconv.Itoa(i + 1)
			id := q.RungField
			if i > 0 {
				id += "-" + v
			}
			q.Rungs = append(q.Rungs, assessmentChoice{ID: id, Value: v, Label: t.In(l.Lang), Checked: a.Choice == assessments.ChoiceYes && a.Rung == i+1})
		}
	case assessments.YesPartialNo:
		choice(assessments.ChoiceYes, l.T("assessment.answer.yes"), a.Choice == assessments.ChoiceYes)
		choice(assessments.ChoicePartial, l.T("assessment.answer.partial"), a.Choice == assessments.ChoicePartial)
		choice(assessments.ChoiceNo, l.T("assessment.answer.no"), a.Choice == assessments.ChoiceNo)
		na()
	case assessments.Scale:
		for n := 0; n <= 5; n++ {
			v := strconv.Itoa(n)
			label := v
			switch n {
			case 0:
				label += " – " + it.Low.In(l.Lang)
			case 5:
				label += " – " + it.High.In(l.Lang)
			}
			choice(v, label, a.Choice == v)
		}
		na()
	case assessments.Checklist:
		q.Multi = true
		for _, o := range it.Options {
			checked := false
			for _, c := range a.Checked {
				checked = checked || c == o.ID
			}
			choice(o.ID, o.Text.In(l.Lang), checked)
		}
	case assessments.Ratio:
		if a.Percent != nil {
			q.Percent = l.Decimal(*a.Percent, 2)
		}
	}
	return q
}
