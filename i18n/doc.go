// Package i18n holds the portal's two languages: the embedded go-i18n message
// files (Vietnamese first, English second), the per-request Localizer that
// translates, pluralises by CLDR rules and formats numbers, dates and VND,
// and the wording of form-validation problems in the portal's own messages.
//
// It imports no other package of the portal.
package i18n
