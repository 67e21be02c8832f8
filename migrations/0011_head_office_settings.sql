-- Settings handed down by the head office (the `settings` feed): the chain's values and the store's
-- own, kept apart so that taking a store's value back falls back to the chain's. A key with a row
-- here is the head office's: the till applies the store's value (else the chain's) to `settings`
-- and refuses to change it locally. Forward-only.
CREATE TABLE head_office_settings (
  scope  TEXT NOT NULL CHECK (scope IN ('chain', 'store')),
  key    TEXT NOT NULL,
  value  TEXT NOT NULL CHECK (json_valid(value)),
  PRIMARY KEY (scope, key)
) STRICT;

-- The chain's stores (where a transfer may go), from the `stores` feed.
CREATE TABLE chain_stores (
  id    TEXT PRIMARY KEY,
  name  TEXT NOT NULL
) STRICT;

-- The feed list in the two sync tables' checks gains `settings`, `stores` and `transfers` (SQLite
-- cannot alter a check: rebuild).
CREATE TABLE catalog_staging_new (
  feed     TEXT NOT NULL CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users', 'settings', 'stores', 'transfers')),
  key      TEXT NOT NULL,
  data     TEXT NOT NULL CHECK (json_valid(data)),
  version  INTEGER NOT NULL,
  problem  TEXT,
  PRIMARY KEY (feed, key)
) STRICT;
INSERT INTO catalog_staging_new (feed, key, data, version, problem) SELECT feed, key, data, version, problem FROM catalog_staging;
DROP TABLE catalog_staging;
ALTER TABLE catalog_staging_new RENAME TO catalog_staging;

CREATE TABLE sync_feeds_new (
  feed            TEXT PRIMARY KEY CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users', 'settings', 'stores', 'transfers')),
  version         INTEGER NOT NULL DEFAULT 0,
  snapshot_key    TEXT,
  snapshot_as_of  INTEGER,
  snapshot_total  INTEGER,
  snapshot_done   INTEGER NOT NULL DEFAULT 0,
  updated_at      INTEGER NOT NULL
) STRICT;
INSERT INTO sync_feeds_new (feed, version, snapshot_key, snapshot_as_of, snapshot_total, snapshot_done, updated_at)
  SELECT feed, version, snapshot_key, snapshot_as_of, snapshot_total, snapshot_done, updated_at FROM sync_feeds;
DROP TABLE sync_feeds;
ALTER TABLE sync_feeds_new RENAME TO sync_feeds;
