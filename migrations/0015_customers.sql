-- Customers of the loyalty programme: a card (a physical card's barcode, or a virtual one shown as a
-- QR code), a phone in E.164, a name and a birthday; consents recorded per purpose with when, where
-- and by whom. Erasing a customer keeps only the id (receipts refer to it) and drops the rest.
CREATE TABLE customers (
  id          TEXT PRIMARY KEY,              -- UUIDv7, also the pseudonymous id receipts keep
  card_no     TEXT UNIQUE,
  phone       TEXT UNIQUE,                   -- E.164
  name        TEXT,
  name_key    TEXT,                          -- the name lower-cased (SQLite folds only ASCII), for search
  birthday    TEXT,                          -- YYYY-MM-DD (the year may be 0004 when unknown)
  created_at  INTEGER NOT NULL,
  created_by  INTEGER REFERENCES users (id),
  erased_at   INTEGER
) STRICT;
CREATE INDEX customers_name ON customers (name_key) WHERE name_key IS NOT NULL;

-- Consents as given or withdrawn, newest last: the current one per purpose is the latest row.
CREATE TABLE customer_consents (
  id           INTEGER PRIMARY KEY,
  customer_id  TEXT NOT NULL REFERENCES customers (id),
  purpose      TEXT NOT NULL CHECK (purpose IN ('loyalty', 'service', 'advertising')),
  granted      INTEGER NOT NULL CHECK (granted IN (0, 1)),
  at           INTEGER NOT NULL,
  till_id      TEXT NOT NULL,
  user_id      INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX customer_consents_customer ON customer_consents (customer_id, purpose, id);
