-- Devices and the print queue. Forward-only: never edit this file once shipped.

-- Devices as data: what is attached to this till and how to reach it.
CREATE TABLE devices (
  id        TEXT PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('printer', 'drawer', 'scanner', 'scale', 'display', 'label', 'fiscal')),
  driver    TEXT NOT NULL,                   -- 'escpos', 'toledo8217', 'cas', 'massak100', ...
  name      TEXT NOT NULL,
  transport TEXT NOT NULL CHECK (json_valid(transport)),   -- {"kind":"serial","path":…,"baudRate":…} | {"kind":"tcp",…}
  options   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),  -- profile, code page, drawer pin, …
  enabled   INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
) STRICT;

-- What waits to be printed. The document is printer-independent (src-common/print-document.ts),
-- so a job survives a restart and a reprint can go to another printer.
CREATE TABLE print_jobs (
  id          TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices (id),
  kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'drawer', 'report', 'reprint', 'test')),
  ref_id      TEXT,                          -- the receipt or shift it prints
  priority    INTEGER NOT NULL DEFAULT 1,    -- lower first: a drawer kick goes before the receipt
  document    TEXT NOT NULL CHECK (json_valid(document)),
  state       TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'waiting', 'done', 'failed', 'cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  printed_at  INTEGER
) STRICT;
CREATE INDEX print_jobs_open ON print_jobs (device_id, priority, created_at) WHERE state IN ('queued', 'printing', 'waiting');
-- One original print per receipt (a reprint is its own kind).
CREATE UNIQUE INDEX print_jobs_one_receipt ON print_jobs (ref_id) WHERE kind = 'receipt';
