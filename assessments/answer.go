package assessments

import (
	"errors"
	"slices"
	"strconv"
)

// Answer is the answer to one item, as stored (JSON) and as scored. Which
// fields are used depends on the item's type:
//
//	gate-ladder  Choice "yes", "no" or "na"; Rung 1–5 after "yes"
//	ypn          Choice "yes", "partial", "no" or "na"
//	scale        Choice "0"–"5" or "na"
//	checklist    Checked: the ticked option IDs
//	ratio        Percent: 0–100
type Answer struct {
	Choice  string   `json:"choice,omitempty"`
	Rung    int      `json:"rung,omitempty"`
	Checked []string `json:"checked,omitempty"`
	Percent *float64 `json:"percent,omitempty"`
}

// Answers are a response's answers by item ID.
type Answers map[string]Answer

// Choices an answer may hold.
const (
	ChoiceYes     = "yes"
	ChoiceNo      = "no"
	ChoicePartial = "partial"
	ChoiceNA      = "na"
)

// Errors of an answer that cannot be scored.
var (
	// ErrUnanswered: the item (or, after a "yes" gate, its ladder) has no
	// answer yet.
	ErrUnanswered = errors.New("assessments: unanswered")
	// ErrInvalidAnswer: the answer is not one the item offers.
	ErrInvalidAnswer = errors.New("assessments: invalid answer")
	// ErrExclusive: "none of these" was ticked together with another box.
	ErrExclusive = errors.New("assessments: none ticked with others")
)

// Check reports whether a is a complete, valid answer to it: nil,
// ErrUnanswered, ErrInvalidAnswer or ErrExclusive.
func (it *Item) Check(a Answer) error {
	_, _, err := it.Score(a)
	return err
}

// Score returns the item's score in [0,1] and whether it applies; an item
// answered "does not apply" is left out of both sides of its pillar's
// weighted mean.
//
//	gate-ladder  no → 0; yes → rung/5
//	ypn          yes → 1, partly → 0.5, no → 0
//	scale        value/5
//	checklist    sum of ticked weights / sum of positive weights, clamped to [0,1]
//	ratio        the score of the highest band whose From the percentage reaches
func (it *Item) Score(a Answer) (score float64, applies bool, err error) {
	if a.Choice == ChoiceNA {
		if !it.AllowNA {
			return 0, false, ErrInvalidAnswer
		}
		return 0, false, nil
	}
	switch it.Type {
	case GateLadder:
		switch a.Choice {
		case "":
			return 0, true, ErrUnanswered
		case ChoiceNo:
			return 0, true, nil
		case ChoiceYes:
			if a.Rung == 0 {
				return 0, true, ErrUnanswered
			}
			if a.Rung < 1 || a.Rung > len(it.Ladder) {
				return 0, true, ErrInvalidAnswer
			}
			return float64(a.Rung) / float64(len(it.Ladder)), true, nil
		}
	case YesPartialNo:
		switch a.Choice {
		case "":
			return 0, true, ErrUnanswered
		case ChoiceYes:
			return 1, true, nil
		case ChoicePartial:
			return 0.5, true, nil
		case ChoiceNo:
			return 0, true, nil
		}
	case Scale:
		if a.Choice == "" {
			return 0, true, ErrUnanswered
		}
		if v, err := strconv.Atoi(a.Choice); err == nil && v >= 0 && v <= 5 && a.Choice == strconv.Itoa(v) {
			return float64(v) / 5, true, nil
		}
	case Checklist:
		return it.scoreChecklist(a.Checked)
	case Ratio:
		if a.Percent == nil {
			return 0, true, ErrUnanswered
		}
		v := *a.Percent
		if !(v >= 0 && v <= 100) { // also refuses NaN
			return 0, true, ErrInvalidAnswer
		}
		s := 0.0
		for _, b := range it.Bands {
			if v >= b.From {
				s = b.Score
			}
		}
		return s, true, nil
	}
	return 0, true, ErrInvalidAnswer
}

func (it *Item) scoreChecklist(checked []string) (float64, bool, error) {
	if len(checked) == 0 {
		return 0, true, ErrUnanswered
	}
	var sum, best float64
	for _, o := range it.Options {
		if o.Weight > 0 {
			best += o.Weight
		}
	}
	exclusive := false
	for i, id := range checked {
		o := it.option(id)
		if o == nil || slices.Contains(checked[:i], id) {
			return 0, true, ErrInvalidAnswer
		}
		exclusive = exclusive || o.Exclusive
		sum += o.Weight
	}
	if exclusive && len(checked) > 1 {
		return 0, true, ErrExclusive
	}
	if best == 0 { // an unscored (context) checklist
		return 0, true, nil
	}
	return min(max(sum/best, 0), 1), true, nil
}

func (it *Item) option(id string) *Option {
	for i := range it.Options {
		if it.Options[i].ID == id {
			return &it.Options[i]
		}
	}
	return nil
}

// Option returns the checklist option with id.
func (it *Item) Option(id string) (*Option, bool) {
	o := it.option(id)
	return o, o != nil
}
