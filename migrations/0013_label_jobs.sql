-- Price tags printed at the till: the label job queue. Forward-only: never edit this file once shipped.
--
-- A job holds printer-independent price tags (src-common/price-tag.ts: name, the price already
-- formatted in the store's currency, the price per kg or l, the barcode chosen, the date in the
-- store's time zone, copies), built when it was queued: what prints after a restart, or on another
-- printer, is exactly what was asked for. One job at a time per printer; a job that cannot print
-- waits with its cause and resumes.

CREATE TABLE label_jobs (
  id          TEXT PRIMARY KEY,                 -- UUIDv7
  kind        TEXT NOT NULL CHECK (kind IN ('price_tags', 'test')),
  -- 'label': a label printer prints the tags. 'receipt': no label printer was configured, so the
  -- receipt printer prints them as small tags (print jobs of kind 'labels' whose ref_id is this id).
  via         TEXT NOT NULL CHECK (via IN ('label', 'receipt')),
  device_id   TEXT NOT NULL REFERENCES devices (id),
  tags        TEXT NOT NULL CHECK (json_valid(tags)),
  state       TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'waiting', 'done', 'failed', 'cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_by  INTEGER REFERENCES users (id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  printed_at  INTEGER,
  CHECK ((state = 'done') = (printed_at IS NOT NULL))
) STRICT;
CREATE INDEX label_jobs_open ON label_jobs (device_id, created_at) WHERE state IN ('queued', 'printing', 'waiting');
CREATE INDEX label_jobs_created ON label_jobs (created_at);

-- The price changes a job prints the tags of: when the job is done, their tags_printed_at is set
-- in the same transaction.
CREATE TABLE label_job_changes (
  job_id           TEXT NOT NULL REFERENCES label_jobs (id),
  price_change_id  INTEGER NOT NULL REFERENCES price_changes (id),
  PRIMARY KEY (job_id, price_change_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX label_job_changes_change ON label_job_changes (price_change_id);

-- The receipt printer prints price tags when there is no label printer: print_jobs gains the kind
-- 'labels'. SQLite cannot change a CHECK in place, so the table is rebuilt with its rows and indexes.
CREATE TABLE print_jobs_next (
  id          TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices (id),
  kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'drawer', 'report', 'reprint', 'test', 'labels')),
  ref_id      TEXT,                          -- the receipt, shift or label job it prints
  priority    INTEGER NOT NULL DEFAULT 1,    -- lower first: a drawer kick goes before the receipt, price tags after
  document    TEXT NOT NULL CHECK (json_valid(document)),
  state       TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'waiting', 'done', 'failed', 'cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  printed_at  INTEGER
) STRICT;
INSERT INTO print_jobs_next (rowid, id, device_id, kind, ref_id, priority, document, state, attempts, last_error, created_at, updated_at, printed_at)
  SELECT rowid, id, device_id, kind, ref_id, priority, document, state, attempts, last_error, created_at, updated_at, printed_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_next RENAME TO print_jobs;
CREATE INDEX print_jobs_open ON print_jobs (device_id, priority, created_at) WHERE state IN ('queued', 'printing', 'waiting');
CREATE UNIQUE INDEX print_jobs_one_receipt ON print_jobs (ref_id) WHERE kind = 'receipt';
CREATE INDEX print_jobs_ref ON print_jobs (ref_id) WHERE kind = 'labels';
