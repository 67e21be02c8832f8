-- The business days a customer bought anything anywhere in the chain (the head office's latest 12,
-- from the customers feed): win-back and the "lapsed" campaign filter judge a customer's rhythm by
-- every store's purchases, not only this till's. Empty until the feed brings them.
ALTER TABLE customer_balances ADD COLUMN purchase_days TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(purchase_days));

-- The head office's feed version its last balance answer (GET /v1/customers/:id) reflected: a feed
-- row at or below it is older than that answer and leaves the balance alone.
ALTER TABLE customer_balances ADD COLUMN confirmed_version INTEGER NOT NULL DEFAULT 0;

-- Once-a-year gifts the chain has already given the customer (`birthday-2026`), from the customers
-- feed: a second store does not give (and print) the birthday's points again.
ALTER TABLE customer_balances ADD COLUMN gifts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(gifts));
