-- Fiscalization (54-ФЗ): the journal of everything sent to the fiscal registrar. Forward-only.
--
-- A row is written in the same transaction as what it fiscalizes (the sale, the shift close, the
-- cash movement), as 'queued'. Before anything is sent, the row records the ФН's last document
-- number (`fn_before`) and becomes 'sending' — committed first, so a crash at any later point
-- leaves a row that recovery can reconcile against the registrar: a document the ФН holds is
-- found and matched by kind and total, never sent twice; one it does not hold is sent again.
CREATE TABLE fiscal_journal (
  id              TEXT PRIMARY KEY,
  seq             INTEGER NOT NULL UNIQUE,        -- order of work: documents reach the ФН in till order
  op              TEXT NOT NULL CHECK (op IN ('receipt', 'open_shift', 'close_shift', 'cash_in', 'cash_out', 'x_report')),
  ref_id          TEXT,                           -- receipt id, shift id or cash movement id
  doc_kind        TEXT CHECK (doc_kind IN ('sale', 'return')),
  total           INTEGER,                        -- receipt total or cash amount, minor units
  payload         TEXT NOT NULL CHECK (json_valid(payload)),  -- the FiscalReceipt (or amount, cashier) to send
  state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'failed', 'attention')),
  fn_before       INTEGER,                        -- the ФН's last document number just before sending
  document_number INTEGER,
  fiscal_sign     TEXT,
  fiscal_at       INTEGER,
  shift_number    INTEGER,
  result          TEXT,                           -- the registrar's totals for a Z report (JSON)
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  error_code      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX fiscal_journal_open ON fiscal_journal (seq) WHERE state IN ('queued', 'sending', 'failed');
-- One fiscal document per receipt (I5).
CREATE UNIQUE INDEX fiscal_journal_one_receipt ON fiscal_journal (ref_id) WHERE op = 'receipt';
CREATE INDEX fiscal_journal_ref ON fiscal_journal (ref_id);
