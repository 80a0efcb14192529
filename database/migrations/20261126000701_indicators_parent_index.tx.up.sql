-- The units below a unit on a day are looked up by parent code on every
-- dashboard; without this index SQLite scans the whole unit table.
CREATE INDEX org_units_parent_idx ON org_units (parent_code, valid_from);
