// Package assessments holds the SME digital-readiness self-assessment: the
// versioned question models (embedded data files), the business profile and
// its size classes, the pure scoring rules, the answer-form decoder, the
// resume codes, storage of responses, peer benchmarks, the officials'
// aggregates with small-cell suppression, the monthly completion count the
// indicators part reads, and the demo seed.
//
// A series may also be kept under a user account when the user consents
// to it (owner.go).
//
// It knows nothing of HTTP. It imports database, i18n (for the Lang type
// only), accounts (for the consent to keep series under an account) and
// content/codes (resume codes share the portal's one code alphabet); server
// imports it.
package assessments
