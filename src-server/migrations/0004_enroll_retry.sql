-- An enrollment whose answer was lost on the way (the head office committed, the till never heard)
-- may be asked again with the same code by the same till: it proves itself with the request id it
-- sent the first time (only its hash is kept), and gets a fresh credential that replaces the lost one.
ALTER TABLE enrollment_codes ADD COLUMN request_hash text;
