package server

import (
	"errors"

	"digiportal/content"
	"digiportal/i18n"
	"digiportal/payments"
	"digiportal/teams"
)

// helpCatalogue is what a help-log entry may name: the online public
// services of the portal's fee catalogue (package payments) and the
// lessons of its lesson catalogue (package content), as the payments and
// lessons parts loaded them: both are embedded in the binary and never
// change while it runs.
type helpCatalogue struct {
	fees  *payments.Catalogue
	lib   *content.Library
	known teams.Catalogue
}

// newHelpCatalogue indexes the codes a help-log entry may name.
func newHelpCatalogue(fees *payments.Catalogue, lib *content.Library) *helpCatalogue {
	c := &helpCatalogue{fees: fees, lib: lib, known: teams.Catalogue{Services: map[string]bool{}, Lessons: map[string]bool{}}}
	for _, f := range fees.Fees {
		c.known.Services[f.Code] = true
	}
	for _, l := range lib.Lessons {
		c.known.Lessons[l.Slug] = true
	}
	return c
}

// helpPick is one service or lesson as the help log's form offers it.
type helpPick struct {
	Code, Label string
	Checked     bool
}

// serviceOptions lists the catalogue's services in lang, those in chosen
// checked.
func (c *helpCatalogue) serviceOptions(lang i18n.Lang, chosen []string) []helpPick {
	on := setOfStrings(chosen)
	out := make([]helpPick, 0, len(c.fees.Fees))
	for i := range c.fees.Fees {
		f := &c.fees.Fees[i]
		out = append(out, helpPick{Code: f.Code, Label: f.Text(lang).Procedure, Checked: on[f.Code]})
	}
	return out
}

// lessonOptions lists the catalogue's lessons in lang, in catalogue
// order, those in chosen checked.
func (c *helpCatalogue) lessonOptions(lang i18n.Lang, chosen []string) []helpPick {
	on := setOfStrings(chosen)
	out := make([]helpPick, 0, len(c.lib.Lessons))
	for _, l := range c.lib.Lessons {
		out = append(out, helpPick{Code: l.Slug, Label: l.In(lang).Title, Checked: on[l.Slug]})
	}
	return out
}

// serviceName is a service's procedure in lang, the code itself when the
// catalogue no longer holds it.
func (c *helpCatalogue) serviceName(lang i18n.Lang, code string) string {
	if f, err := c.fees.Fee(code); err == nil {
		return f.Text(lang).Procedure
	}
	return code
}

// lessonName is a lesson's title in lang, the slug when the catalogue no
// longer holds it.
func (c *helpCatalogue) lessonName(lang i18n.Lang, slug string) string {
	if l, ok := c.lib.Lesson(slug); ok {
		return l.In(lang).Title
	}
	return slug
}

func setOfStrings(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// teamLogMessage words one refusal of the help log: a pick outside the
// catalogues here, the rest as the teams part words them.
func teamLogMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, teams.ErrUnknownService):
		return l.T("teamviews.log.error.service")
	case errors.Is(err, teams.ErrUnknownLesson):
		return l.T("teamviews.log.error.lesson")
	}
	return teamMessage(l, err)
}
