package assessments

import (
	"math"
	"net/url"
	"strconv"
	"strings"
)

// Form field names. Each item's main field is named by its ID; a gate's
// ladder is "<id>.rung".
const rungSuffix = ".rung"

// RungField is the form field of a gate-ladder item's ladder.
func RungField(itemID string) string { return itemID + rungSuffix }

// Message IDs of the decoder's field errors.
const (
	msgChoice    = "assessment.error.choice"
	msgNumber    = "assessment.error.number"
	msgRange     = "assessment.error.range"
	msgExclusive = "assessment.error.exclusive"
	msgRequired  = "assessment.error.required"
	msgRung      = "assessment.error.rung"
)

// maxRatioLen bounds the text of a percentage field.
const maxRatioLen = 20

// DecodeItems reads the answers to items from a submitted form. An item
// with nothing in the form is left out of the map (unanswered); an answer
// the item does not offer, or a number that is not one, is a field error
// and left out too. It never returns an answer that Item.Check would call
// invalid.
func DecodeItems(items []Item, form url.Values) (Answers, []FieldError) {
	out := Answers{}
	var errs []FieldError
	for i := range items {
		it := &items[i]
		a, present, fe := decodeItem(it, form)
		if fe != nil {
			errs = append(errs, *fe)
			continue
		}
		if present {
			out[it.ID] = a
		}
	}
	return out, errs
}

func decodeItem(it *Item, form url.Values) (Answer, bool, *FieldError) {
	bad := func(msg string) (Answer, bool, *FieldError) {
		return Answer{}, false, &FieldError{Field: it.ID, MsgID: msg}
	}
	switch it.Type {
	case Checklist:
		vals := form[it.ID]
		if len(vals) == 0 {
			return Answer{}, false, nil
		}
		a := Answer{Checked: dedupe(vals)}
		switch _, _, err := it.Score(a); err {
		case nil:
			return a, true, nil
		case ErrExclusive:
			return bad(msgExclusive)
		}
		return bad(msgChoice)
	case Ratio:
		s := strings.TrimSpace(form.Get(it.ID))
		if s == "" {
			return Answer{}, false, nil
		}
		v, ok := parsePercent(s)
		if !ok {
			return bad(msgNumber)
		}
		if !(v >= 0 && v <= 100) {
			return bad(msgRange)
		}
		return Answer{Percent: &v}, true, nil
	}
	// The radio-button types.
	choice := form.Get(it.ID)
	if choice == "" {
		return Answer{}, false, nil
	}
	a := Answer{Choice: choice}
	if it.Type == GateLadder && choice == ChoiceYes {
		if r := form.Get(RungField(it.ID)); r != "" {
			n, err := strconv.Atoi(r)
			if err != nil || n < 1 || n > len(it.Ladder) || r != strconv.Itoa(n) {
				return Answer{}, false, &FieldError{Field: RungField(it.ID), MsgID: msgChoice}
			}
			a.Rung = n
		}
	}
	if err := it.Check(a); err != nil && err != ErrUnanswered {
		return bad(msgChoice)
	}
	return a, true, nil
}

// parsePercent reads a percentage as people type it: "12", "12.5" or
// "12,5" (the Vietnamese decimal comma), with an optional "%" after it.
// Thousands separators are not accepted: a percentage has none.
func parsePercent(s string) (float64, bool) {
	if len(s) > maxRatioLen {
		return 0, false
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return 0, false
	}
	s = strings.Replace(s, ",", ".", 1)
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return 0, false
		}
	}
	if s == "" || s == "." {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func dedupe(vals []string) []string {
	out := make([]string, 0, len(vals))
	seen := map[string]bool{}
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// RequireComplete returns a field error for every required item of items
// without a complete answer in answers: the check made when a visitor moves
// on from a page.
func RequireComplete(items []Item, answers Answers) []FieldError {
	var errs []FieldError
	for i := range items {
		it := &items[i]
		if it.Optional {
			continue
		}
		a := answers[it.ID]
		if it.Check(a) != ErrUnanswered {
			continue
		}
		if it.Type == GateLadder && a.Choice == ChoiceYes {
			errs = append(errs, FieldError{Field: RungField(it.ID), MsgID: msgRung})
		} else {
			errs = append(errs, FieldError{Field: it.ID, MsgID: msgRequired})
		}
	}
	return errs
}
