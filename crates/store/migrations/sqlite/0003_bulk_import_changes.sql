-- A bulk import's changelog entry does not repeat its records (`mutations` is '[]'): a node
-- that holds the pool reloads it instead of replaying the change.
ALTER TABLE changelog ADD COLUMN bulk_import BOOLEAN NOT NULL DEFAULT FALSE;
