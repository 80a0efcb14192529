-- A province official's question about one value of a report (a follow-up),
-- and the commune official's answer, both visible to both. Asking again
-- about the same value replaces the question and clears the answer: one
-- follow-up per value, its history in the audit log.
CREATE TABLE indicator_followups (
	id          {{.ID}},
	report_id   BIGINT NOT NULL REFERENCES indicator_reports (id),
	element_id  BIGINT NOT NULL REFERENCES indicator_elements (id),
	question    TEXT NOT NULL,
	asked_by    BIGINT NOT NULL DEFAULT 0,
	asked_at    {{.Time}} NOT NULL,
	answer      TEXT NOT NULL DEFAULT '',
	answered_by BIGINT NOT NULL DEFAULT 0,
	answered_at {{.Time}},
	UNIQUE (report_id, element_id)
);
