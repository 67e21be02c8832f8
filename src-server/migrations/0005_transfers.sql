-- Transfers between the chain's stores: a store sends goods (they are in transit), the receiving
-- store's till gets the transfer through its `transfers` feed, counts what arrived and posts it.
-- Tills also learn the chain's stores (the `stores` feed) to choose where to send.
CREATE TABLE transfers (
  id              text PRIMARY KEY,
  number          integer NOT NULL,
  from_store      text NOT NULL REFERENCES stores (id),
  to_store        text NOT NULL REFERENCES stores (id),
  from_till       text NOT NULL REFERENCES tills (id),
  lines           jsonb NOT NULL,
  sent_at         bigint NOT NULL,
  state           text NOT NULL CHECK (state IN ('in_transit', 'received')),
  received_at     bigint,
  received_lines  jsonb
);
CREATE INDEX transfers_state ON transfers (state, to_store);

ALTER TABLE change_log DROP CONSTRAINT change_log_feed_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_feed_check CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users', 'settings', 'stores', 'transfers'));
