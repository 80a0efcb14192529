-- The figures from team records add up every commune's help log month by
-- month (teams.UnitMonths, for the dashboards and the public indicator
-- pages, which are not kept in the page cache). With 200,000 entries over
-- a year, reading each entry's counts from the table behind the index on
-- (team_id, day) was a third of the work: this index holds the counts as
-- well, so the sums are read from the index alone. It serves every query
-- the old one served (its first columns are the same), so that one goes.
CREATE INDEX team_visits_sums_idx ON team_visits (team_id, day, households, people_15_59, people_60);
--bun:split
DROP INDEX team_visits_team_day_idx;
