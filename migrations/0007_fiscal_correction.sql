-- Correction receipts (кассовый чек коррекции) and resolved alarms in the fiscal journal. Forward-only.
--
-- A receipt the registrar could not register (the ФН was replaced, the registrar broke for good,
-- recovery found the ФН moved on without it) is registered by a correction receipt: a new journal
-- row `correction` for the same receipt, queued in the same transaction that marks the original
-- row `resolved`. An alarm a person settled otherwise (a Z mismatch explained, a cash-in checked on
-- the X report) is also `resolved`, with the reason in `resolution`. SQLite cannot widen a CHECK in
-- place, so the table is rebuilt; nothing references it.
CREATE TABLE fiscal_journal_new (
  id              TEXT PRIMARY KEY,
  seq             INTEGER NOT NULL UNIQUE,
  op              TEXT NOT NULL CHECK (op IN ('receipt', 'correction', 'open_shift', 'close_shift', 'cash_in', 'cash_out', 'x_report')),
  ref_id          TEXT,
  doc_kind        TEXT CHECK (doc_kind IN ('sale', 'return')),
  total           INTEGER,
  payload         TEXT NOT NULL CHECK (json_valid(payload)),
  state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'failed', 'attention', 'resolved')),
  fn_before       INTEGER,
  document_number INTEGER,
  fiscal_sign     TEXT,
  fiscal_at       INTEGER,
  shift_number    INTEGER,
  result          TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  error_code      TEXT,
  resolution      TEXT,                           -- who settled an alarm, how and why (JSON), for `resolved`
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
INSERT INTO fiscal_journal_new (id, seq, op, ref_id, doc_kind, total, payload, state, fn_before, document_number, fiscal_sign,
  fiscal_at, shift_number, result, attempts, last_error, error_code, created_at, updated_at)
SELECT id, seq, op, ref_id, doc_kind, total, payload, state, fn_before, document_number, fiscal_sign,
  fiscal_at, shift_number, result, attempts, last_error, error_code, created_at, updated_at FROM fiscal_journal;
DROP TABLE fiscal_journal;
ALTER TABLE fiscal_journal_new RENAME TO fiscal_journal;
CREATE INDEX fiscal_journal_open ON fiscal_journal (seq) WHERE state IN ('queued', 'sending', 'failed');
CREATE UNIQUE INDEX fiscal_journal_one_receipt ON fiscal_journal (ref_id) WHERE op = 'receipt';
-- At most one correction under way or done per receipt.
CREATE UNIQUE INDEX fiscal_journal_one_correction ON fiscal_journal (ref_id) WHERE op = 'correction' AND state <> 'resolved';
CREATE INDEX fiscal_journal_ref ON fiscal_journal (ref_id);
