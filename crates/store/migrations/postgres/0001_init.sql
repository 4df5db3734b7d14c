-- The same tables as the SQLite schema, shared by every node of a deployment.

-- User pools: the unit of isolation. `revision` counts committed changes to the pool; a commit
-- bumps it only from the revision it planned against, which serialises writers per pool.
CREATE TABLE pools (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revision   BIGINT NOT NULL DEFAULT 0
);

-- Access keys; the secret is stored encrypted under the master key all nodes share.
CREATE TABLE access_keys (
    id                TEXT PRIMARY KEY,
    pool_id           TEXT NOT NULL REFERENCES pools(id),
    secret_ciphertext BYTEA NOT NULL,
    created_at        BIGINT NOT NULL,
    revoked_at        BIGINT
);
CREATE INDEX access_keys_by_pool ON access_keys(pool_id);

-- Server-wide settings (e.g. the encrypted token signing key every node signs with).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- The current records of every pool, one JSON document per record. TEXT rather than JSONB:
-- JSONB rejects the escaped NUL character (\u0000) that a user-supplied string may contain, and
-- the service never queries inside a document.
CREATE TABLE records (
    pool_id TEXT NOT NULL,
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (pool_id, kind, key)
);

-- Every committed change, in revision order, written in the same transaction as the records.
-- Other nodes replay it to follow the pool.
CREATE TABLE changelog (
    pool_id    TEXT NOT NULL,
    revision   BIGINT NOT NULL,
    mutations  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, revision)
);
