-- Lavka till store, first schema. Money: INTEGER minor units. Quantities: INTEGER thousandths.
-- Instants: INTEGER UTC epoch ms. Forward-only: never edit this file once shipped.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

CREATE TABLE tax_rates (
  code        TEXT PRIMARY KEY,            -- 'vat22', 'vat20', 'vat10', 'vat0', 'none', ...
  bp          INTEGER NOT NULL CHECK (bp >= 0 AND bp <= 10000),
  fiscal_code INTEGER                      -- the registrar's rate code (tag 1199); NULL when not fiscal
) STRICT;

CREATE TABLE categories (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  name_alt    TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('goods', 'service', 'weighed')),
  unit        TEXT NOT NULL CHECK (unit IN ('pcs', 'kg', 'l')),
  tax_code    TEXT NOT NULL REFERENCES tax_rates (code),
  price       INTEGER NOT NULL CHECK (price >= 0),
  category_id INTEGER REFERENCES categories (id),
  plu         INTEGER UNIQUE,
  item_code   TEXT UNIQUE,                 -- in-store code inside weighed barcodes (prefixes 20-29)
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE barcodes (
  code       TEXT PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products (id),
  pack_qty   INTEGER NOT NULL DEFAULT 1000 CHECK (pack_qty > 0)
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_product ON barcodes (product_id);

CREATE VIRTUAL TABLE products_fts USING fts5 (
  name, name_alt,
  content = 'products', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
  INSERT INTO products_fts (rowid, name, name_alt) VALUES (new.id, new.name, new.name_alt);
END;
CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
  INSERT INTO products_fts (products_fts, rowid, name, name_alt) VALUES ('delete', old.id, old.name, old.name_alt);
END;
CREATE TRIGGER products_fts_au AFTER UPDATE OF name, name_alt ON products BEGIN
  INSERT INTO products_fts (products_fts, rowid, name, name_alt) VALUES ('delete', old.id, old.name, old.name_alt);
  INSERT INTO products_fts (rowid, name, name_alt) VALUES (new.id, new.name, new.name_alt);
END;

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'senior_cashier', 'cashier', 'stock_clerk')),
  pin_hash        BLOB NOT NULL,
  pin_salt        BLOB NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Per-till counters (receipt numbers, outbox sequence start) live here so a rollback never skips a number.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

CREATE TABLE receipts (
  id                TEXT PRIMARY KEY,      -- UUIDv7
  state             TEXT NOT NULL CHECK (state IN ('open', 'parked', 'completed', 'cancelled')),
  number            INTEGER UNIQUE,        -- per-till receipt number, assigned on completion
  cashier_id        INTEGER NOT NULL REFERENCES users (id),
  opened_at         INTEGER NOT NULL,
  parked_at         INTEGER,
  completed_at      INTEGER,
  discount_kind     TEXT CHECK (discount_kind IN ('percent', 'amount')),
  discount_value    INTEGER,
  subtotal          INTEGER NOT NULL DEFAULT 0,
  discount_total    INTEGER NOT NULL DEFAULT 0,
  total             INTEGER NOT NULL DEFAULT 0,
  change            INTEGER NOT NULL DEFAULT 0,
  business_day      TEXT,
  CHECK ((discount_kind IS NULL) = (discount_value IS NULL)),
  CHECK ((state = 'completed') = (number IS NOT NULL AND completed_at IS NOT NULL))
) STRICT;
-- At most one open (not parked) receipt per cashier: the basket on screen.
CREATE UNIQUE INDEX receipts_one_open ON receipts (cashier_id) WHERE state = 'open';
CREATE INDEX receipts_state ON receipts (state, completed_at);

CREATE TABLE receipt_lines (
  id               TEXT PRIMARY KEY,
  receipt_id       TEXT NOT NULL REFERENCES receipts (id),
  position         INTEGER NOT NULL,
  product_id       INTEGER NOT NULL REFERENCES products (id),
  name             TEXT NOT NULL,           -- as charged: the receipt records what was sold
  unit             TEXT NOT NULL,
  barcode          TEXT,
  qty              INTEGER NOT NULL CHECK (qty > 0),
  base_price       INTEGER NOT NULL CHECK (base_price >= 0),
  price            INTEGER NOT NULL CHECK (price >= 0),
  discount_kind    TEXT CHECK (discount_kind IN ('percent', 'amount')),
  discount_value   INTEGER,
  tax_code         TEXT NOT NULL,
  tax_bp           INTEGER NOT NULL,
  gross            INTEGER NOT NULL,
  discount_total   INTEGER NOT NULL,
  amount           INTEGER NOT NULL CHECK (amount >= 0),
  vat_amount       INTEGER NOT NULL,
  UNIQUE (receipt_id, position),
  CHECK ((discount_kind IS NULL) = (discount_value IS NULL))
) STRICT;

CREATE TABLE payments (
  receipt_id TEXT NOT NULL REFERENCES receipts (id),
  position   INTEGER NOT NULL,
  method     TEXT NOT NULL CHECK (method IN ('cash', 'card')),
  amount     INTEGER NOT NULL CHECK (amount > 0),   -- what counts toward the receipt total
  tendered   INTEGER NOT NULL CHECK (tendered >= amount),
  change     INTEGER NOT NULL CHECK (change = tendered - amount),
  PRIMARY KEY (receipt_id, position)
) STRICT;

CREATE TABLE stock_movements (
  id          INTEGER PRIMARY KEY,
  product_id  INTEGER NOT NULL REFERENCES products (id),
  qty         INTEGER NOT NULL,            -- signed thousandths: sale is negative
  reason      TEXT NOT NULL CHECK (reason IN ('sale', 'return', 'receipt', 'count', 'writeoff', 'transfer')),
  ref_id      TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX stock_movements_product ON stock_movements (product_id);

-- Upstream sync outbox: written in the same transaction as the business change.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY,          -- per-till, contiguous from 1
  id         TEXT NOT NULL UNIQUE,         -- UUIDv7 event id
  channel    TEXT NOT NULL,
  type       TEXT NOT NULL,
  payload    TEXT NOT NULL CHECK (json_valid(payload)),
  hash       TEXT NOT NULL,                -- SHA-256 of the canonical payload
  created_at INTEGER NOT NULL,
  acked_at   INTEGER
) STRICT;

-- Append-only, hash-chained audit log.
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  user_id   INTEGER,
  action    TEXT NOT NULL,
  subject   TEXT,
  details   TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Side effects after a sale commits (print, fiscalize, drawer, notify): persisted and resumable.
CREATE TABLE effects (
  id          TEXT PRIMARY KEY,
  receipt_id  TEXT NOT NULL REFERENCES receipts (id),
  kind        TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  result      TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX effects_pending ON effects (state) WHERE state IN ('pending', 'failed');
CREATE INDEX effects_receipt ON effects (receipt_id);
