-- Loyalty at the head office: the chain's customers with the balance by its ledger, their consents,
-- the points ledger every till pushes, offline overdrafts, coupons and their uses. Tills get the
-- customers and coupons back through two chain-wide feeds.

-- One row per customer, as the feed hands it down. Personal fields are NULL once the customer is
-- erased (`erased_at`); the id, the balance and the ledger stay, as receipts refer to them.
-- `seen` is per till (head-office id) the highest entry number of that till the balance counts;
-- `used_coupons` the personal (birthday) codes used anywhere in the chain, newest first.
CREATE TABLE customers (
  id             text PRIMARY KEY,
  card_no        text UNIQUE,
  phone          text UNIQUE,                           -- E.164
  name           text,
  name_search    text,                                  -- the name folded (lower case, ё as е) as the owner searches it
  birthday       text,                                  -- YYYY-MM-DD as the till wrote it (year 0004: unknown)
  consents       jsonb NOT NULL,                        -- current: {"loyalty":…,"service":…,"advertising":…}
  created_at     bigint NOT NULL,                       -- till clock
  created_store  text REFERENCES stores (id),
  created_till   text REFERENCES tills (id),
  referrer_id    text,                                  -- kept as an id even when either is erased
  erased_at      bigint,
  points         bigint NOT NULL DEFAULT 0,
  spend          bigint NOT NULL DEFAULT 0,
  seen           jsonb NOT NULL DEFAULT '{}',
  used_coupons   jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX customers_name ON customers (name_search text_pattern_ops) WHERE name_search IS NOT NULL;

-- Every consent given or taken back, per purpose, with when and at which till (deleted on erasure).
CREATE TABLE customer_consents (
  id           bigserial PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id),
  purpose      text NOT NULL CHECK (purpose IN ('loyalty', 'service', 'advertising')),
  granted      boolean NOT NULL,
  at           bigint NOT NULL,
  till_id      text REFERENCES tills (id)
);
CREATE INDEX customer_consents_by_customer ON customer_consents (customer_id, purpose, at);

-- A sign-up whose card or phone another customer already had (two tills signed up one phone
-- offline): the newcomer is kept without that field, for a person to merge or tell apart. `value`
-- is NULL once either customer is erased.
CREATE TABLE customer_conflicts (
  id                 bigserial PRIMARY KEY,
  customer_id        text NOT NULL REFERENCES customers (id),
  field              text NOT NULL CHECK (field IN ('card_no', 'phone')),
  value              text,
  other_customer_id  text NOT NULL REFERENCES customers (id),
  at                 bigint NOT NULL
);

-- The points ledger, append-only: a balance is its sum. `till_id` NULL is the head office's own
-- entry (expiry), numbered 0. Only newly recorded entries (by id) move a balance.
CREATE TABLE loyalty_ledger (
  id           uuid PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id),
  till_id      text REFERENCES tills (id),
  store_id     text REFERENCES stores (id),
  n            integer NOT NULL CHECK (n >= 0),
  kind         text NOT NULL CHECK (kind IN ('earn', 'burn', 'expire', 'adjust')),
  points       bigint NOT NULL,
  spend        bigint NOT NULL,
  reason       text NOT NULL,
  receipt_id   text,
  coupon_code  text,
  at           bigint NOT NULL,                         -- till clock (head office: its own)
  offline      boolean NOT NULL,
  recorded_at  bigint NOT NULL
);
CREATE INDEX loyalty_ledger_by_customer ON loyalty_ledger (customer_id, at);
CREATE INDEX loyalty_ledger_by_receipt ON loyalty_ledger (receipt_id) WHERE receipt_id IS NOT NULL;
CREATE INDEX loyalty_ledger_by_till ON loyalty_ledger (till_id, n) WHERE till_id IS NOT NULL;

-- Rows that are facts refuse to change: an UPDATE or DELETE raises.
CREATE FUNCTION lavka_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER loyalty_ledger_append_only BEFORE UPDATE OR DELETE ON loyalty_ledger FOR EACH ROW EXECUTE FUNCTION lavka_append_only();

-- A burn recorded offline that took the balance below zero (two tills spent the same points):
-- `points` is how far below zero it went, at most the burn itself. Recovered once later earnings
-- bring the balance back to zero or above.
CREATE TABLE loyalty_overdrafts (
  id            bigserial PRIMARY KEY,
  customer_id   text NOT NULL REFERENCES customers (id),
  entry_id      uuid NOT NULL UNIQUE REFERENCES loyalty_ledger (id),
  till_id       text REFERENCES tills (id),
  store_id      text REFERENCES stores (id),
  points        bigint NOT NULL CHECK (points > 0),
  at            bigint NOT NULL,
  recorded_at   bigint NOT NULL,
  recovered_at  bigint
);
CREATE INDEX loyalty_overdrafts_open ON loyalty_overdrafts (customer_id) WHERE recovered_at IS NULL;

-- The chain's coupons and promo codes (upper-cased), as the coupons feed hands them down, and
-- every use a till reported, once per (code, receipt). A use over the limit (more than max_uses,
-- or a second use by one customer of a once-per-customer coupon) still counts: it happened.
CREATE TABLE coupons (
  code               text PRIMARY KEY,
  value              jsonb NOT NULL,
  max_uses           integer CHECK (max_uses IS NULL OR max_uses >= 1),
  once_per_customer  boolean NOT NULL,
  valid_from         text,
  valid_to           text,
  min_total          bigint NOT NULL CHECK (min_total >= 0),
  active             boolean NOT NULL,
  used               integer NOT NULL DEFAULT 0,
  created_at         bigint NOT NULL,
  updated_at         bigint NOT NULL
);

CREATE TABLE coupon_uses (
  code         text NOT NULL,
  customer_id  text REFERENCES customers (id),
  receipt_id   text NOT NULL,
  till_id      text NOT NULL REFERENCES tills (id),
  store_id     text NOT NULL REFERENCES stores (id),
  at           bigint NOT NULL,
  recorded_at  bigint NOT NULL,
  over_limit   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (code, receipt_id)
);
CREATE INDEX coupon_uses_by_customer ON coupon_uses (customer_id) WHERE customer_id IS NOT NULL;

-- The customer on a sale (the receipt's pseudonymous loyalty id), for the customer's export.
ALTER TABLE sales ADD COLUMN customer_id text;
CREATE INDEX sales_by_customer ON sales (customer_id) WHERE customer_id IS NOT NULL;

ALTER TABLE change_log DROP CONSTRAINT change_log_feed_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_feed_check CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users', 'settings', 'stores', 'transfers', 'customers', 'coupons'));
