// Package i18n holds the portal's two languages: the embedded go-i18n message
// files (Vietnamese first, English second), the per-request Localizer that
// translates, pluralises by CLDR rules and formats numbers, dates and VND,
// form validation worded from the message files, the portal's one time
// zone (Location), its one accent-folding function (Fold) and its one test
// of text a person could have typed (Typeable).
//
// It imports no other package of the portal, so every package may use it.
package i18n
