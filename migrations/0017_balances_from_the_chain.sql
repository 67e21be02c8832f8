-- The business days a customer bought anything anywhere in the chain (the head office's latest 12,
-- from the customers feed): win-back and the "lapsed" campaign filter judge a customer's rhythm by
-- every store's purchases, not only this till's. Empty until the feed brings them.
ALTER TABLE customer_balances ADD COLUMN purchase_days TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(purchase_days));

-- The head office's feed version the balance here reflects (a customers-feed row's, or its balance
-- answer's, GET /v1/customers/:id): whichever of the two arrives later but is older leaves it alone.
ALTER TABLE customer_balances ADD COLUMN balance_version INTEGER NOT NULL DEFAULT 0;

-- Once-a-year gifts the chain has already given the customer (`birthday-2026`), from the customers
-- feed: a second store does not give (and print) the birthday's points again.
ALTER TABLE customer_balances ADD COLUMN gifts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(gifts));
