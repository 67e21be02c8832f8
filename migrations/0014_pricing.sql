-- Retail pricing: markup rules that propose a retail price from a delivery's cost, and price changes
-- scheduled for later (a delivery's new prices from a given moment); and where goods are kept, for
-- counts by location. Forward-only.

-- A markup over cost, for a supplier, a category, or a supplier's goods in a category (the most
-- specific rule wins), with the price rounded up to `rounding` minor units and then `ending` taken
-- off (rounding 100 and ending 10 give prices ending in ,90).
CREATE TABLE markup_rules (
  id           INTEGER PRIMARY KEY,
  supplier_id  INTEGER REFERENCES suppliers (id),
  category_id  INTEGER REFERENCES categories (id),
  markup_bp    INTEGER NOT NULL CHECK (markup_bp BETWEEN 0 AND 100000),
  rounding     INTEGER NOT NULL DEFAULT 100 CHECK (rounding > 0),
  ending       INTEGER NOT NULL DEFAULT 0 CHECK (ending >= 0 AND ending < rounding),
  CHECK (supplier_id IS NOT NULL OR category_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX markup_rules_scope ON markup_rules (COALESCE(supplier_id, 0), COALESCE(category_id, 0));

-- A new retail price that takes effect at `effective_at` (applied between baskets, recorded in
-- price_changes for its tags); cancelled ones are kept.
CREATE TABLE price_schedule (
  id            INTEGER PRIMARY KEY,
  product_id    INTEGER NOT NULL REFERENCES products (id),
  new_price     INTEGER NOT NULL CHECK (new_price >= 0),
  effective_at  INTEGER NOT NULL,
  source_id     TEXT,
  user_id       INTEGER REFERENCES users (id),
  created_at    INTEGER NOT NULL,
  applied_at    INTEGER,
  cancelled_at  INTEGER
) STRICT;
CREATE INDEX price_schedule_due ON price_schedule (effective_at) WHERE applied_at IS NULL AND cancelled_at IS NULL;

-- A delivery's new prices may take effect later (null: when it is posted).
ALTER TABLE stock_docs ADD COLUMN prices_from INTEGER;

-- Where a product is kept (a shelf, an aisle, the back room): counts can cover one place.
ALTER TABLE products ADD COLUMN location TEXT;
ALTER TABLE stock_docs ADD COLUMN location TEXT;
