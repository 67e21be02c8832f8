-- Head office: stores, tills and their enrollment, the events tills push, and what they mean.
-- Forward-only, like the till's migrations; applied in order, each in its own transaction.

CREATE TABLE stores (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  time_zone   text NOT NULL DEFAULT 'Europe/Moscow',   -- business days are counted in the store's time
  created_at  bigint NOT NULL
);

CREATE TABLE tills (
  id               text PRIMARY KEY,
  store_id         text NOT NULL REFERENCES stores (id),
  name             text NOT NULL,
  credential_hash  text UNIQUE,                        -- SHA-256 of the till's secret; the secret itself is never stored
  enrolled_at      bigint,
  revoked_at       bigint,
  app_version      text,
  created_at       bigint NOT NULL
);

-- One-time codes the owner reads out at the till. Only their hash is kept.
CREATE TABLE enrollment_codes (
  code_hash   text PRIMARY KEY,
  till_id     text NOT NULL REFERENCES tills (id),
  expires_at  bigint NOT NULL,
  used_at     bigint,
  created_at  bigint NOT NULL
);

-- Per till, epoch and channel: every event up to `acked_through` is recorded (contiguous).
CREATE TABLE till_cursors (
  till_id        text NOT NULL REFERENCES tills (id),
  epoch          integer NOT NULL,
  channel        text NOT NULL,
  acked_through  integer NOT NULL DEFAULT 0,
  updated_at     bigint NOT NULL,
  PRIMARY KEY (till_id, epoch, channel)
);

-- Every event a till pushed, once: its id is the idempotency key, kept forever (tills can be offline for weeks).
CREATE TABLE events (
  till_id      text NOT NULL REFERENCES tills (id),
  id           uuid NOT NULL,
  epoch        integer NOT NULL,
  channel      text NOT NULL,
  seq          integer NOT NULL,
  type         text NOT NULL,
  v            integer NOT NULL,
  hash         text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('applied', 'parked')),
  reason       text,                                    -- why it was parked
  created_at   bigint NOT NULL,                         -- till clock
  received_at  bigint NOT NULL,
  PRIMARY KEY (till_id, id)
);
CREATE UNIQUE INDEX events_by_seq ON events (till_id, epoch, channel, seq);
CREATE INDEX events_parked ON events (received_at) WHERE status = 'parked';

-- The same event id pushed with a different content: an alarm, never an overwrite.
CREATE TABLE conflicts (
  id             bigserial PRIMARY KEY,
  till_id        text NOT NULL,
  event_id       text NOT NULL,
  epoch          integer NOT NULL,
  channel        text NOT NULL,
  seq            integer NOT NULL,
  stored_hash    text,
  received_hash  text NOT NULL,
  received_at    bigint NOT NULL
);

-- Sales and returns as facts, one row per receipt: the chain-wide numbers come from here.
CREATE TABLE sales (
  receipt_id    text PRIMARY KEY,
  till_id       text NOT NULL REFERENCES tills (id),
  store_id      text NOT NULL REFERENCES stores (id),
  kind          text NOT NULL CHECK (kind IN ('sale', 'return')),
  number        integer,
  total         bigint NOT NULL,
  completed_at  bigint NOT NULL,
  business_day  date NOT NULL,
  event_id      uuid NOT NULL
);
CREATE INDEX sales_by_day ON sales (business_day, store_id);
