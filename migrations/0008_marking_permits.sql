-- The permit check's answers (разрешительный режим) for marked units on receipts. Forward-only.
--
-- When a marked unit is added to a receipt, what the permit check (the Честный знак local module)
-- said about its code is written in the same transaction as the line. The sale may be completed
-- and fiscalized after a restart: the fiscal line's industry requisite (tag 1260) is built from
-- this row (UUID=<req_id>&Time=<req_timestamp>), not from memory. One row per code per receipt:
-- a rescan after the line was removed replaces it; a scan the check could not answer removes it.
CREATE TABLE marking_permits (
  receipt_id     TEXT NOT NULL REFERENCES receipts (id),
  code           TEXT NOT NULL,                   -- the canonical marking code (GS-separated)
  provider       TEXT NOT NULL,                   -- who answered: 'local_module'
  req_id         TEXT NOT NULL,                   -- the check's request id
  req_timestamp  INTEGER NOT NULL,                -- the check's request time as the answer gave it (epoch ms)
  answer         TEXT NOT NULL CHECK (json_valid(answer)),  -- the answer's facts (found, valid, sold, …)
  checked_at     INTEGER NOT NULL,                -- till clock, epoch ms
  PRIMARY KEY (receipt_id, code)
) STRICT;
