// Package indicators holds the adoption indicators of the province's
// digital-transformation programme: organisation units with a dated
// hierarchy through the 2025 reorganisation and the statistics office's
// list importer, successor mappings, data elements, indicators and their
// targets, typed reporting periods, the values communes report with their
// draft → submitted → approved (locked) workflow, Excel templates and
// imports, and the roll-up of approved figures along the hierarchy.
//
// It knows nothing of HTTP. It imports database (transactions, dialects),
// accounts (Actor and the audit log, the unit-scope interface it
// implements) and i18n (the Lang type, the time zone reporting months are
// cut in, and Fold for unit search and file headers).
package indicators
