-- Marked goods (Честный знак): a product flagged as marked is sold only by scanning the DataMatrix
-- of each unit; the code is bound to its line and goes into the fiscal document. Forward-only.
ALTER TABLE products ADD COLUMN marked INTEGER NOT NULL DEFAULT 0 CHECK (marked IN (0, 1));
