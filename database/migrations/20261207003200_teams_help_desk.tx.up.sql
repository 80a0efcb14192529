-- A team's help desk, as the public "find help near you" page shows it:
-- where residents can come in person and when, in short free text a
-- commune official types (at most 120 characters each, no phone or ID
-- numbers, no hidden characters). Empty means the team has not said.
ALTER TABLE teams ADD COLUMN desk_place TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE teams ADD COLUMN desk_hours TEXT NOT NULL DEFAULT '';
