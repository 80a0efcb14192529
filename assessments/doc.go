// Package assessments holds the SME digital-readiness self-assessment: the
// versioned question models (embedded data files), the business profile and
// its size classes, the pure scoring rules, the answer-form decoder, the
// resume codes, storage of responses, peer benchmarks, the officials'
// aggregates with small-cell suppression, the monthly completion count the
// indicators part reads, and the demo seed.
//
// It knows nothing of HTTP. It imports database and i18n (for the Lang type
// only); server imports it.
package assessments
