-- Where a sent self-assessment came from, so that officials can see many
-- results sent from one place on one day (stuffing the figures): a keyed
-- hash of the client address and one of its network (/24 for IPv4, /48 for
-- IPv6), each keyed also by the day, so that neither the address nor the
-- network is ever stored and two days cannot be linked. Empty for results
-- sent before this column existed.
ALTER TABLE assessment_responses ADD COLUMN source_addr TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE assessment_responses ADD COLUMN source_net TEXT NOT NULL DEFAULT '';
