-- Loyalty: the points ledger, balances from the head office, coupons and promo codes, the customer
-- on a receipt, and the SMS outbox. Forward-only: never edit this file once shipped.

-- A customer may have been brought by another (the referral reward goes to the referrer).
ALTER TABLE customers ADD COLUMN referrer_id TEXT;

-- Points as an append-only ledger: earned (+), spent (−), expired (−) and adjusted (±) per customer.
-- `n` is this till's running number of its own entries; the head office's balance names, per till,
-- the highest `n` it counts (customer_balances.seen_through), so the balance here is the head
-- office's plus this till's entries after that. Nothing is ever changed or deleted.
CREATE TABLE loyalty_ledger (
  n             INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,              -- UUIDv7, the entry's id everywhere
  customer_id   TEXT NOT NULL REFERENCES customers (id),
  kind          TEXT NOT NULL CHECK (kind IN ('earn', 'burn', 'expire', 'adjust')),
  points        INTEGER NOT NULL,
  spend         INTEGER NOT NULL DEFAULT 0,        -- what it adds to the cumulative spend (tiers)
  reason        TEXT NOT NULL,
  receipt_id    TEXT REFERENCES receipts (id),
  coupon_code   TEXT,
  at            INTEGER NOT NULL,
  business_day  TEXT NOT NULL,
  offline       INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),
  CHECK ((kind = 'earn' AND points >= 0) OR (kind IN ('burn', 'expire') AND points <= 0) OR kind = 'adjust')
) STRICT;
CREATE INDEX loyalty_ledger_customer ON loyalty_ledger (customer_id, n);
CREATE TRIGGER loyalty_ledger_append_only_u BEFORE UPDATE ON loyalty_ledger BEGIN
  SELECT RAISE(ABORT, 'loyalty ledger entries are never changed');
END;
CREATE TRIGGER loyalty_ledger_append_only_d BEFORE DELETE ON loyalty_ledger BEGIN
  SELECT RAISE(ABORT, 'loyalty ledger entries are never deleted');
END;

-- The head office's word on a customer's points (from the customers feed, or asked for before
-- points are spent): its balance and spend, which of this till's entries they count, the personal
-- coupons used anywhere in the chain, and when the head office last answered for this customer.
CREATE TABLE customer_balances (
  customer_id    TEXT PRIMARY KEY REFERENCES customers (id),
  points         INTEGER NOT NULL DEFAULT 0,
  spend          INTEGER NOT NULL DEFAULT 0,
  seen_through   INTEGER NOT NULL DEFAULT 0,
  used_coupons   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(used_coupons)),
  confirmed_at   INTEGER
) STRICT;

-- Coupons and promo codes: made at this till, or handed down by the head office.
CREATE TABLE coupons (
  code                TEXT PRIMARY KEY,            -- as typed, upper-cased
  value               TEXT NOT NULL CHECK (json_valid(value)),   -- {"kind":"percent","bp":…} | {"kind":"amount","amount":…}
  max_uses            INTEGER CHECK (max_uses IS NULL OR max_uses >= 1),
  once_per_customer   INTEGER NOT NULL DEFAULT 0 CHECK (once_per_customer IN (0, 1)),
  valid_from          TEXT,                        -- business days, inclusive
  valid_to            TEXT,
  min_total           INTEGER NOT NULL DEFAULT 0,
  active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  used_elsewhere      INTEGER NOT NULL DEFAULT 0,  -- uses the head office has counted
  origin              TEXT NOT NULL CHECK (origin IN ('local', 'head_office')),
  created_at          INTEGER NOT NULL
) STRICT;

-- The customer on a receipt, what they asked to spend, the coupon given, and (once completed) what
-- the receipt did to their points, as printed.
ALTER TABLE receipts ADD COLUMN customer_id TEXT REFERENCES customers (id);
ALTER TABLE receipts ADD COLUMN coupon_code TEXT;
ALTER TABLE receipts ADD COLUMN points_asked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE receipts ADD COLUMN loyalty TEXT CHECK (loyalty IS NULL OR json_valid(loyalty));
-- No index on these: an index on receipts is paid on every completion (the bench measured +0.3 ms,
-- even for partial ones). A customer's purchases are their ledger's purchase entries (one is written
-- with every sale they are on, points or not); coupon uses are kept apart.

-- A coupon or promo code given on a completed sale here (its limits count these).
CREATE TABLE coupon_uses (
  receipt_id   TEXT PRIMARY KEY REFERENCES receipts (id),
  code         TEXT NOT NULL,
  customer_id  TEXT REFERENCES customers (id)
) STRICT;
CREATE INDEX coupon_uses_code ON coupon_uses (code, customer_id);

-- SMS to customers: queued in the transaction that decided to send them, sent by a worker that
-- waits while offline and retries with back-off; the provider's delivery status is followed.
CREATE TABLE sms_outbox (
  id               TEXT PRIMARY KEY,               -- UUIDv7
  customer_id      TEXT REFERENCES customers (id),
  phone            TEXT,                           -- E.164; NULL once the customer is erased
  purpose          TEXT NOT NULL CHECK (purpose IN ('service', 'advertising')),
  kind             TEXT NOT NULL,                  -- the trigger or campaign: points, birthday, winback, survey, campaign, test
  campaign_id      TEXT,
  text             TEXT NOT NULL,
  segments         INTEGER NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  provider_id      TEXT,
  error_code       TEXT,
  error_message    TEXT,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER,
  delivered_at     INTEGER,
  dedupe_key       TEXT UNIQUE                     -- one birthday message per customer and year, one per receipt
) STRICT;
CREATE INDEX sms_outbox_due ON sms_outbox (state, next_attempt_at);
CREATE INDEX sms_outbox_customer ON sms_outbox (customer_id);
CREATE INDEX sms_outbox_campaign ON sms_outbox (campaign_id) WHERE campaign_id IS NOT NULL;

CREATE TABLE sms_campaigns (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  text         TEXT NOT NULL,
  audience     TEXT NOT NULL CHECK (json_valid(audience)),
  created_by   INTEGER REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  sent_at      INTEGER,
  recipients   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The sync tables learn the `customers` and `coupons` feeds. The feed name is checked by the code
-- that reads the rows (every feed row is parsed against its schema), so the check constraint that
-- made every new feed a table rebuild goes.
CREATE TABLE catalog_staging_new (
  feed     TEXT NOT NULL,
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
  feed            TEXT PRIMARY KEY,
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

INSERT INTO role_permissions (role, permission) VALUES ('owner', 'loyalty_manage'), ('manager', 'loyalty_manage');

-- Every identity this till has had at the head office. A till enrolled again gets a new till id,
-- but its loyalty ledger keeps one numbering: what the head office counts of its entries is the
-- highest `seen` over all its identities.
CREATE TABLE till_identities (
  till_id  TEXT PRIMARY KEY,
  since    INTEGER NOT NULL
) STRICT;
INSERT INTO till_identities (till_id, since) SELECT till_id, COALESCE(enrolled_at, 0) FROM sync_state WHERE till_id IS NOT NULL;
