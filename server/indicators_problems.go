package server

import (
	"errors"
	"math"

	"digiportal/i18n"
	"digiportal/indicators"
)

// indicatorFieldErrors is fieldErrors for a refusal of the indicators
// part.
func indicatorFieldErrors(l *i18n.Localizer, err error, rename map[string]string) []i18n.FieldError {
	return fieldErrors(l, err, rename, indicatorMessage)
}

// indicatorMessage words one refusal of the indicators part.
func indicatorMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, indicators.ErrJumpShare):
		return l.T("indicators.admin.defs.error.jump")
	case errors.Is(err, indicators.ErrCompleteShare):
		return l.T("indicators.admin.defs.error.complete")
	case errors.Is(err, indicators.ErrUnknownUnit):
		return l.T("indicators.admin.defs.error.home")
	case errors.Is(err, indicators.ErrTargetValue):
		return l.T("indicators.admin.defs.error.value")
	case errors.Is(err, indicators.ErrTargetYear):
		return l.T("indicators.admin.defs.error.year")
	case errors.Is(err, indicators.ErrUnknownIndicator):
		return l.T("indicators.admin.defs.error.indicator")
	case errors.Is(err, indicators.ErrAge):
		return l.T("indicators.admin.element.error.age")
	case errors.Is(err, indicators.ErrAgeOrder):
		return l.T("indicators.admin.error.age_order")
	case errors.Is(err, indicators.ErrUnknownElement), errors.Is(err, indicators.ErrSameElements):
		return l.T("indicators.admin.indicator.error.elements")
	case errors.Is(err, indicators.ErrTeamElement):
		return l.T("teamind.error.indicator_element")
	case errors.Is(err, indicators.ErrRequired):
		return l.T("indicators.admin.defs.error.required")
	case errors.Is(err, indicators.ErrTooLong):
		return l.T("indicators.admin.defs.error.long")
	case errors.Is(err, indicators.ErrBadDay):
		return l.T("indicators.admin.units.error.day")
	case errors.Is(err, indicators.ErrDayRange):
		return l.T("indicators.admin.units.error.day_range", "First", indicators.FirstImportDay[:4], "Last", indicators.LastImportDay[:4])
	}
	return l.T("error.400.body")
}

// decimalInput reads a number as typed for a use case. An unreadable one
// becomes NaN, which every range of the domain refuses, so that the
// domain's one rule words the problem whether the number is unreadable or
// out of range.
func decimalInput(s string) float64 {
	f, ok := indicators.ParseDecimal(s)
	if !ok {
		return math.NaN()
	}
	return f
}
