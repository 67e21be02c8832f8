-- Stock documents: orders to suppliers, deliveries received from them, stock counts and write-offs
-- and transfers between stores. An order's posting places it (no stock moves); a delivery may
-- start from one.
-- A document is a draft while it is filled in (scanned, counted, priced); posting it writes its stock
-- movements, the new average costs and retail prices, an outbox event and an audit entry in one
-- transaction, and from then on it is never edited (triggers below refuse it): a correction is a
-- new document. Quantities are thousandths (grams, millilitres, 1000 per piece), money minor units.

CREATE TABLE suppliers (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  inn         TEXT,                          -- ИНН, checked when given
  created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX suppliers_name ON suppliers (name);

CREATE TABLE stock_docs (
  id            TEXT PRIMARY KEY,            -- UUIDv7
  kind          TEXT NOT NULL CHECK (kind IN ('order', 'receiving', 'count', 'writeoff', 'transfer_out', 'transfer_in')),
  number        INTEGER NOT NULL,            -- per kind, from counters
  state         TEXT NOT NULL CHECK (state IN ('draft', 'posted', 'cancelled')),
  supplier_id   INTEGER REFERENCES suppliers (id),
  invoice_no    TEXT,                        -- the supplier's invoice (накладная) number and date
  invoice_date  TEXT,                        -- YYYY-MM-DD
  corrects_id   TEXT REFERENCES stock_docs (id),
  order_id      TEXT REFERENCES stock_docs (id),  -- a delivery started from this order
  -- A transfer: the other store (the head office's id and name), and the transfer's id at the head
  -- office (an incoming one is made from the `transfers` feed, by nobody at this till).
  store_id      TEXT,
  store_name    TEXT,
  transfer_id   TEXT UNIQUE,
  -- A count compares what was counted with the ledger as it stood when the count began (the last
  -- movement then), so sales made while counting are not counted twice; it may cover one category,
  -- and may be blind (the book quantity hidden from the counter until it is posted).
  snapshot_movement_id INTEGER,
  category_id   INTEGER REFERENCES categories (id),
  blind         INTEGER NOT NULL DEFAULT 0 CHECK (blind IN (0, 1)),
  -- A write-off's reason: damaged, expired, theft (stolen or missing), own use, other (with a note).
  reason        TEXT CHECK (reason IN ('damage', 'expiry', 'theft', 'own_use', 'other')),
  note          TEXT,
  created_by    INTEGER REFERENCES users (id),  -- null: made from the head office's feed
  created_at    INTEGER NOT NULL,
  posted_by     INTEGER REFERENCES users (id),
  posted_at     INTEGER,
  UNIQUE (kind, number),
  CHECK ((state = 'posted') = (posted_at IS NOT NULL)),
  CHECK ((kind = 'writeoff') = (reason IS NOT NULL))
) STRICT;
CREATE INDEX stock_docs_state ON stock_docs (state, created_at);

-- A line per product: what the invoice says (expected quantity and unit cost, when known), what was
-- counted on arrival, and the retail price to set when posted (null: leave it). On a count, the
-- expected quantity is the book quantity at the count's start, filled in when it is posted.
CREATE TABLE stock_doc_lines (
  doc_id        TEXT NOT NULL REFERENCES stock_docs (id),
  line_no       INTEGER NOT NULL,
  product_id    INTEGER NOT NULL REFERENCES products (id),
  expected_qty  INTEGER CHECK (expected_qty >= 0),
  qty           INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  cost          INTEGER CHECK (cost >= 0),   -- per unit (per kg, l or piece)
  new_price     INTEGER CHECK (new_price >= 0),
  PRIMARY KEY (doc_id, line_no),
  UNIQUE (doc_id, product_id)
) STRICT;

-- Per product: the stock on hand (kept by a trigger from every movement, so sales, returns and
-- documents agree with the ledger) and the weighted-average cost (set when a delivery is posted).
CREATE TABLE stock_levels (
  product_id  INTEGER PRIMARY KEY REFERENCES products (id),
  qty         INTEGER NOT NULL DEFAULT 0,
  avg_cost    INTEGER CHECK (avg_cost >= 0),
  min_qty     INTEGER CHECK (min_qty >= 0),  -- low-stock threshold (null: none)
  order_pack  INTEGER CHECK (order_pack > 0) -- the supplier's pack: reorders come in whole packs (null: one unit)
) STRICT;
INSERT INTO stock_levels (product_id, qty) SELECT product_id, SUM(qty) FROM stock_movements GROUP BY product_id;
CREATE TRIGGER stock_levels_follow_movements AFTER INSERT ON stock_movements BEGIN
  INSERT INTO stock_levels (product_id, qty) VALUES (new.product_id, new.qty)
    ON CONFLICT (product_id) DO UPDATE SET qty = qty + excluded.qty;
END;
CREATE TRIGGER stock_movements_append_only_u BEFORE UPDATE ON stock_movements BEGIN
  SELECT RAISE(ABORT, 'stock movements are never changed');
END;
CREATE TRIGGER stock_movements_append_only_d BEFORE DELETE ON stock_movements BEGIN
  SELECT RAISE(ABORT, 'stock movements are never deleted');
END;

-- What was posted stays as it was posted.
CREATE TRIGGER stock_docs_posted_frozen BEFORE UPDATE ON stock_docs WHEN old.state <> 'draft' BEGIN
  SELECT RAISE(ABORT, 'a posted or cancelled stock document is never changed');
END;
CREATE TRIGGER stock_docs_posted_kept BEFORE DELETE ON stock_docs WHEN old.state = 'posted' BEGIN
  SELECT RAISE(ABORT, 'a posted stock document is never deleted');
END;
CREATE TRIGGER stock_doc_lines_frozen_i BEFORE INSERT ON stock_doc_lines
  WHEN (SELECT state FROM stock_docs WHERE id = new.doc_id) <> 'draft' BEGIN
  SELECT RAISE(ABORT, 'a posted or cancelled stock document is never changed');
END;
CREATE TRIGGER stock_doc_lines_frozen_u BEFORE UPDATE ON stock_doc_lines
  WHEN (SELECT state FROM stock_docs WHERE id = old.doc_id) <> 'draft' BEGIN
  SELECT RAISE(ABORT, 'a posted or cancelled stock document is never changed');
END;
CREATE TRIGGER stock_doc_lines_frozen_d BEFORE DELETE ON stock_doc_lines
  WHEN (SELECT state FROM stock_docs WHERE id = old.doc_id) <> 'draft' BEGIN
  SELECT RAISE(ABORT, 'a posted or cancelled stock document is never changed');
END;

-- Retail price changes (from a posted delivery now; scheduled changes later), each queuing price tags.
CREATE TABLE price_changes (
  id          INTEGER PRIMARY KEY,
  product_id  INTEGER NOT NULL REFERENCES products (id),
  old_price   INTEGER NOT NULL,
  new_price   INTEGER NOT NULL CHECK (new_price >= 0),
  source_id   TEXT,                          -- the stock document that set it
  user_id     INTEGER REFERENCES users (id),
  at          INTEGER NOT NULL,
  tags_printed_at INTEGER                    -- null: price tags still to print
) STRICT;
CREATE INDEX price_changes_tags ON price_changes (tags_printed_at) WHERE tags_printed_at IS NULL;

-- Who may receive goods and who may set retail prices.
INSERT INTO role_permissions (role, permission) VALUES
  ('owner', 'stock'), ('manager', 'stock'), ('stock_clerk', 'stock'),
  ('owner', 'prices_manage'), ('manager', 'prices_manage');
