// Package content holds the digital-skills lessons: the embedded lesson
// files and catalogue (topics and learning paths), their parsing and
// validation, Markdown rendering, accent-insensitive search, and the storage
// of learners' progress, resume codes, certificates and monthly usage counts.
//
// It knows nothing of HTTP. It imports database (and bun), i18n and its
// subpackage codes (resume and certificate codes); server and cmd/portal
// import it.
package content
