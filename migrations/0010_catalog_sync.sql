-- The catalog, prices, VAT rates, roles and staff handed down by the head office. Forward-only.
--
-- A product the head office knows carries its SKU (the chain's product code), its base price and,
-- when the store has one, its own price; `price` is what the till charges (the store's, else the
-- base). Pulled pages land in `catalog_staging` together with their cursor (one transaction per
-- page), and are made live between baskets: a basket never sees the catalog change under it.
ALTER TABLE products ADD COLUMN sku TEXT;
CREATE UNIQUE INDEX products_sku ON products (sku) WHERE sku IS NOT NULL;
ALTER TABLE products ADD COLUMN base_price INTEGER CHECK (base_price >= 0);
ALTER TABLE products ADD COLUMN store_price INTEGER CHECK (store_price >= 0);

-- Staff the head office knows carry its id; staff created at this till have none.
ALTER TABLE users ADD COLUMN remote_id TEXT;
CREATE UNIQUE INDEX users_remote_id ON users (remote_id) WHERE remote_id IS NOT NULL;

CREATE TABLE catalog_staging (
  feed     TEXT NOT NULL CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users')),
  key      TEXT NOT NULL,                    -- the SKU (the VAT code for taxes)
  data     TEXT NOT NULL CHECK (json_valid(data)),
  version  INTEGER NOT NULL,
  problem  TEXT,                             -- why it could not be made live (an unknown VAT code, say); it waits
  PRIMARY KEY (feed, key)
) STRICT;

-- Per feed: the version applied up to, and a snapshot in progress (the key it reached and its asOf).
CREATE TABLE sync_feeds (
  feed            TEXT PRIMARY KEY CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users')),
  version         INTEGER NOT NULL DEFAULT 0,
  snapshot_key    TEXT,
  snapshot_as_of  INTEGER,
  snapshot_total  INTEGER,
  snapshot_done   INTEGER NOT NULL DEFAULT 0,
  updated_at      INTEGER NOT NULL
) STRICT;
