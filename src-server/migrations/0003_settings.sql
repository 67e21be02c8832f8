-- Settings the head office sets for the whole chain (scope '*') or for one store (scope = the
-- store's id): the store's name on receipts, the receipt header and footer, shift limits, the cash
-- tolerance … (the keys and their shapes: src-common/sync/settings.ts). A store's value goes over
-- the chain's. Taking a value back deletes the row and logs `value: null`.
CREATE TABLE settings (
  scope    text NOT NULL,
  key      text NOT NULL,
  value    jsonb NOT NULL,
  version  bigint NOT NULL,
  PRIMARY KEY (scope, key)
);

ALTER TABLE change_log DROP CONSTRAINT change_log_feed_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_feed_check CHECK (feed IN ('taxes', 'catalog', 'prices', 'roles', 'users', 'settings'));
