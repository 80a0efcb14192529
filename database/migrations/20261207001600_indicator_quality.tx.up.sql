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
--bun:split
-- Validation rules a province admin adds: a sum of a report's elements
-- (by code, "HH_FIBRE + HH_TOTAL") compared with another (op is <=, = or
-- >=), with a bilingual name and message. A built-in rule cannot be
-- deleted. The rule that an indicator's numerator does not pass its
-- denominator is not stored: every indicator has it.
CREATE TABLE indicator_rules (
	id         {{.ID}},
	name_vi    TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	message_vi TEXT NOT NULL,
	message_en TEXT NOT NULL,
	left_expr  TEXT NOT NULL,
	op         TEXT NOT NULL,
	right_expr TEXT NOT NULL,
	builtin    BOOLEAN NOT NULL DEFAULT FALSE
);
--bun:split
INSERT INTO indicator_rules (name_vi, name_en, message_vi, message_en, left_expr, op, right_expr, builtin) VALUES (
	'Dân số trong độ tuổi lao động không vượt dân số từ 15 tuổi',
	'Working-age population within the population aged 15 and over',
	'Dân số trong độ tuổi lao động phải nhỏ hơn hoặc bằng dân số từ 15 tuổi trở lên, vì người trong độ tuổi lao động đều từ 15 tuổi.',
	'The working-age population must be at most the population aged 15 and over, since everyone of working age is 15 or older.',
	'POP_WORKING', '<=', 'POP_15', TRUE);
