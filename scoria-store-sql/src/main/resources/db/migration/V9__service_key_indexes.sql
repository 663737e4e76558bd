-- Regenerating a key checks that no other service holds the new value; these let that check find a
-- key without reading every service. Not UNIQUE: workspaces made before the check may already hold a
-- key twice, and such a workspace must still migrate.
CREATE INDEX services_primary_key ON services (primary_key);
CREATE INDEX services_secondary_key ON services (secondary_key);
