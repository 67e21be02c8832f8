-- The catalog and per-store prices the head office hands down to tills, and the change log they pull.
--
-- Versions come from one counter row, taken inside the writing transaction and held (row lock)
-- until it commits: writers take turns, so versions become visible in commit order and a till that
-- has read up to version V can never later find a smaller one appear. Catalog changes are rare
-- enough next to sales that the turn-taking costs nothing.

CREATE TABLE change_counter (
  id       integer PRIMARY KEY CHECK (id = 1),
  version  bigint NOT NULL
);
INSERT INTO change_counter (id, version) VALUES (1, 0);

-- One row per product (by SKU), the whole record as tills apply it: names, kind, unit, VAT code,
-- base price, category, PLU, in-store item code, marking flag, barcodes with their pack quantities.
CREATE TABLE catalog_products (
  sku        text PRIMARY KEY,
  data       jsonb NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  version    bigint NOT NULL
);

-- The chain's VAT rates (code → basis points): tills take them before any product that uses them.
-- Rates are data, not code: a change of the law (20 % → 22 % in 2026) is a new row version.
CREATE TABLE tax_rates (
  code     text PRIMARY KEY,
  bp       integer NOT NULL CHECK (bp >= 0 AND bp <= 10000),
  version  bigint NOT NULL
);

-- A store's own price for a product, over the base price.
CREATE TABLE store_prices (
  store_id   text NOT NULL REFERENCES stores (id),
  sku        text NOT NULL REFERENCES catalog_products (sku),
  price      bigint NOT NULL CHECK (price >= 0),
  version    bigint NOT NULL,
  PRIMARY KEY (store_id, sku)
);

-- Staff who may log in at tills: chain-wide (store_id NULL) or one store's. The PIN only as its
-- scrypt hash and salt (the same parameters as the till's), handed down so a till checks it offline.
CREATE TABLE staff (
  id         text PRIMARY KEY,
  store_id   text REFERENCES stores (id),
  data       jsonb NOT NULL,
  version    bigint NOT NULL
);

-- The role matrix, chain-wide: what each role may do.
CREATE TABLE role_matrix (
  role         text PRIMARY KEY,
  permissions  jsonb NOT NULL,
  version      bigint NOT NULL
);

-- What tills pull, in version order: `taxes` and `catalog` for every store, `prices` per store.
CREATE TABLE change_log (
  version    bigint PRIMARY KEY,
  feed       text NOT NULL CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users')),
  store_id   text,
  key        text NOT NULL,
  data       jsonb NOT NULL,
  at         bigint NOT NULL
);
CREATE INDEX change_log_by_feed ON change_log (feed, store_id, version);

-- Compaction drops superseded changes older than the retention window; a cursor below the floor re-snapshots.
CREATE TABLE change_log_floor (
  feed         text PRIMARY KEY,
  min_version  bigint NOT NULL
);
