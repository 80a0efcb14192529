package assessments

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
)

// idPattern keeps item and option IDs safe as form names and HTML ids.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// check makes sure a model can be scored and shown in both languages; a
// mistake in a data file stops the start instead of reaching a visitor.
func (m *Model) check() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Version == "" || !m.Title.complete() {
		fail("version and title are required")
	}
	if len(m.Levels) != 6 {
		fail("want levels 0–5, have %d", len(m.Levels))
	}
	for i, l := range m.Levels {
		if l.Level != i || !l.Name.complete() || !l.Description.complete() {
			fail("level %d: wrong number or text missing", i)
		}
	}
	errs = append(errs, m.Rules.check(len(m.Pillars))...)

	m.items = map[string]*Item{}
	pillars := map[string]bool{}
	for pi := range m.Pillars {
		p := &m.Pillars[pi]
		if !idPattern.MatchString(p.ID) || p.ID == NeedsPage || pillars[p.ID] {
			fail("pillar %q: bad or repeated id", p.ID)
		}
		pillars[p.ID] = true
		if p.Points <= 0 || !p.Name.complete() || !p.Short.complete() || !p.Intro.complete() {
			fail("pillar %s: points or text missing", p.ID)
		}
		required := 0
		for ii := range p.Items {
			it := &p.Items[ii]
			errs = append(errs, m.addItem(it)...)
			if it.Optional {
				fail("item %s: a scored item cannot be optional", it.ID)
			}
			if !it.AllowNA {
				required++
			}
		}
		// A pillar whose every item could be "does not apply" would have no
		// score at all.
		if required == 0 {
			fail("pillar %s: needs an item without \"does not apply\"", p.ID)
		}
	}
	for ii := range m.Context {
		it := &m.Context[ii]
		errs = append(errs, m.addItem(it)...)
		if it.Type != Checklist || !it.Optional {
			fail("context item %s: must be an optional checklist", it.ID)
		}
	}
	for _, r := range m.Recommendations {
		if !pillars[r.Pillar] || r.Level < 0 || r.Level > 5 || !r.Text.complete() {
			fail("recommendation %s/%d: unknown pillar, bad level or text missing", r.Pillar, r.Level)
		}
		errs = append(errs, m.checkLessons("recommendation "+r.Pillar, r.Lessons)...)
	}
	for _, p := range m.Pillars {
		for lv := 0; lv <= 5; lv++ {
			n := 0
			for _, r := range m.Recommendations {
				if r.Pillar == p.ID && r.Level == lv {
					n++
				}
			}
			if n != 1 {
				fail("pillar %s level %d: want one recommendation, have %d", p.ID, lv, n)
			}
		}
	}
	return errors.Join(errs...)
}

func (r Rules) check(pillars int) []error {
	var errs []error
	if len(r.LevelUpper) != 4 || len(r.Thresholds) != 5 || len(r.MinPillars) != 5 {
		return []error{fmt.Errorf("rules: want 4 level bounds, 5 thresholds and 5 pillar minimums")}
	}
	prev := r.Level0Below
	for _, b := range r.LevelUpper {
		if b <= prev {
			errs = append(errs, fmt.Errorf("rules: level bounds must rise"))
		}
		prev = b
	}
	if !sort.Float64sAreSorted(r.Thresholds) || !sort.IntsAreSorted(r.MinPillars) {
		errs = append(errs, fmt.Errorf("rules: thresholds and pillar minimums must rise"))
	}
	for _, n := range r.MinPillars {
		if n < 1 || n > pillars {
			errs = append(errs, fmt.Errorf("rules: pillar minimum %d outside 1–%d", n, pillars))
		}
	}
	return errs
}

func (m *Model) addItem(it *Item) []error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("item %s: "+format, append([]any{it.ID}, args...)...))
	}
	if !idPattern.MatchString(it.ID) || m.items[it.ID] != nil {
		fail("bad or repeated id")
	}
	m.items[it.ID] = it
	if !it.Text.complete() || !it.Short.complete() {
		fail("text or short text missing")
	}
	if (it.Hint.VI == "") != (it.Hint.EN == "") {
		fail("hint in one language only")
	}
	if !it.Optional && it.Weight <= 0 {
		fail("weight must be positive")
	}
	if it.AllowNA && (it.Type == Checklist || it.Type == Ratio) {
		fail("\"does not apply\" is only for gate-ladder, ypn and scale items")
	}
	if it.AllowNA != it.NAText.complete() {
		fail("na_text goes with allow_na, in both languages")
	}
	switch it.Type {
	case GateLadder:
		if len(it.Ladder) != 5 || !it.LadderText.complete() {
			fail("a ladder needs its question and five rungs")
		}
		for _, t := range it.Ladder {
			if !t.complete() {
				fail("ladder rung text missing")
			}
		}
	case Checklist:
		errs = append(errs, it.checkOptions()...)
	case Scale:
		if !it.Low.complete() || !it.High.complete() {
			fail("a scale needs what 0 and 5 mean")
		}
	case Ratio:
		if len(it.Bands) < 2 || it.Bands[0].From != 0 {
			fail("bands must start from 0")
		}
		for i, b := range it.Bands {
			if b.Score < 0 || b.Score > 1 || b.From < 0 || b.From > 100 ||
				(i > 0 && (b.From <= it.Bands[i-1].From || b.Score < it.Bands[i-1].Score)) {
				fail("band %d: from must rise within 0–100 and score stay in [0,1] without falling", i)
			}
		}
	case YesPartialNo:
	default:
		fail("unknown type %q", it.Type)
	}
	errs = append(errs, m.checkLessons("item "+it.ID, it.Lessons)...)
	return errs
}

func (it *Item) checkOptions() []error {
	var errs []error
	if len(it.Options) < 2 {
		errs = append(errs, fmt.Errorf("item %s: a checklist needs options", it.ID))
	}
	seen := map[string]bool{}
	positive := 0.0
	exclusive := 0
	for _, o := range it.Options {
		if !idPattern.MatchString(o.ID) || seen[o.ID] || !o.Text.complete() {
			errs = append(errs, fmt.Errorf("item %s option %q: bad or repeated id, or text missing", it.ID, o.ID))
		}
		seen[o.ID] = true
		if o.Weight > 0 {
			positive += o.Weight
		}
		if o.Exclusive {
			exclusive++
			if o.Weight != 0 {
				errs = append(errs, fmt.Errorf("item %s: \"none\" option %s must weigh 0", it.ID, o.ID))
			}
		}
	}
	if exclusive > 1 {
		errs = append(errs, fmt.Errorf("item %s: at most one \"none\" option", it.ID))
	}
	if !it.Optional && positive <= 0 {
		errs = append(errs, fmt.Errorf("item %s: a scored checklist needs a positive option", it.ID))
	}
	return errs
}

// slugPattern is the shape of a lesson's folder name.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (m *Model) checkLessons(where string, slugs []string) []error {
	var errs []error
	for _, s := range slugs {
		if !slugPattern.MatchString(s) {
			errs = append(errs, fmt.Errorf("%s: %q is not a lesson slug", where, s))
		}
	}
	return errs
}
