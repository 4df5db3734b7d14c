-- User pools: the unit of isolation. `revision` counts committed changes to the pool.
CREATE TABLE pools (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revision   INTEGER NOT NULL DEFAULT 0
);

-- Access keys; the secret is stored encrypted under the server master key.
CREATE TABLE access_keys (
    id                TEXT PRIMARY KEY,
    pool_id           TEXT NOT NULL REFERENCES pools(id),
    secret_ciphertext BLOB NOT NULL,
    created_at        INTEGER NOT NULL,
    revoked_at        INTEGER
);
CREATE INDEX access_keys_by_pool ON access_keys(pool_id);

-- Server-wide settings (e.g. the encrypted token signing key).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- The current records of every pool, one JSON document per record.
CREATE TABLE records (
    pool_id TEXT NOT NULL,
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (pool_id, kind, key)
);

-- Every committed change, in revision order, written in the same transaction as the records.
CREATE TABLE changelog (
    pool_id    TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    mutations  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, revision)
);
