-- Till operations: shifts and cash control, returns, roles as data, manager approvals, voided lines.
-- Forward-only: never edit this file once shipped.

-- A cash shift. At most one is open per till. Sales, returns, cancellations and voids belong to the
-- shift they were completed in; the Z report is the closed shift's snapshot.
CREATE TABLE shifts (
  id                TEXT PRIMARY KEY,            -- UUIDv7
  number            INTEGER NOT NULL UNIQUE,     -- per-till shift number
  state             TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  opened_at         INTEGER NOT NULL,
  opened_by         INTEGER NOT NULL REFERENCES users (id),
  opening_float     INTEGER NOT NULL CHECK (opening_float >= 0),
  opening_count     TEXT NOT NULL CHECK (json_valid(opening_count)),   -- [{value, count}]
  closed_at         INTEGER,
  closed_by         INTEGER REFERENCES users (id),
  counted_cash      INTEGER CHECK (counted_cash >= 0),
  closing_count     TEXT CHECK (closing_count IS NULL OR json_valid(closing_count)),
  expected_cash     INTEGER,
  difference        INTEGER,
  difference_reason TEXT,
  z_report          TEXT CHECK (z_report IS NULL OR json_valid(z_report)),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL AND counted_cash IS NOT NULL
                               AND expected_cash IS NOT NULL AND difference IS NOT NULL AND z_report IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX shifts_one_open ON shifts (state) WHERE state = 'open';

-- Cash put into or taken out of the drawer during a shift, always with a reason.
CREATE TABLE cash_movements (
  id          TEXT PRIMARY KEY,
  shift_id    TEXT NOT NULL REFERENCES shifts (id),
  kind        TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  approved_by INTEGER REFERENCES users (id),
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX cash_movements_shift ON cash_movements (shift_id);

-- A return is a receipt of its own kind; its lines point at the sold lines they give back.
ALTER TABLE receipts ADD COLUMN kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'return'));
ALTER TABLE receipts ADD COLUMN shift_id TEXT REFERENCES shifts (id);
ALTER TABLE receipts ADD COLUMN original_id TEXT REFERENCES receipts (id);
ALTER TABLE receipts ADD COLUMN reason TEXT;
ALTER TABLE receipts ADD COLUMN approved_by INTEGER REFERENCES users (id);
CREATE INDEX receipts_shift ON receipts (shift_id, kind, state);
CREATE INDEX receipts_original ON receipts (original_id) WHERE original_id IS NOT NULL;

ALTER TABLE receipt_lines ADD COLUMN original_line_id TEXT REFERENCES receipt_lines (id);
CREATE INDEX receipt_lines_original ON receipt_lines (original_line_id) WHERE original_line_id IS NOT NULL;

-- Lines taken off an open receipt (removed, or their quantity reduced) after they were added.
CREATE TABLE line_voids (
  id          TEXT PRIMARY KEY,
  receipt_id  TEXT NOT NULL REFERENCES receipts (id),
  shift_id    TEXT REFERENCES shifts (id),
  product_id  INTEGER NOT NULL REFERENCES products (id),
  name        TEXT NOT NULL,
  qty         INTEGER NOT NULL CHECK (qty > 0),
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  approved_by INTEGER REFERENCES users (id),
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX line_voids_shift ON line_voids (shift_id);

-- The permission matrix as data: a row grants the permission to the role. Editable by the owner.
CREATE TABLE role_permissions (
  role       TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'senior_cashier', 'cashier', 'stock_clerk')),
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
) STRICT, WITHOUT ROWID;

INSERT INTO role_permissions (role, permission)
SELECT r.role, p.permission FROM
  (SELECT 'owner' AS role UNION ALL SELECT 'manager') r,
  (SELECT 'sale' AS permission UNION ALL SELECT 'discount' UNION ALL SELECT 'discount_over_limit'
   UNION ALL SELECT 'price_override' UNION ALL SELECT 'void_line' UNION ALL SELECT 'cancel_receipt'
   UNION ALL SELECT 'return' UNION ALL SELECT 'return_no_receipt' UNION ALL SELECT 'no_sale'
   UNION ALL SELECT 'cash_in' UNION ALL SELECT 'cash_out' UNION ALL SELECT 'shift_open'
   UNION ALL SELECT 'shift_close' UNION ALL SELECT 'report_x' UNION ALL SELECT 'audit_view'
   UNION ALL SELECT 'users_manage' UNION ALL SELECT 'settings') p;
INSERT INTO role_permissions (role, permission) VALUES ('owner', 'roles_manage');
INSERT INTO role_permissions (role, permission) VALUES
  ('senior_cashier', 'sale'), ('senior_cashier', 'discount'), ('senior_cashier', 'discount_over_limit'),
  ('senior_cashier', 'price_override'), ('senior_cashier', 'void_line'), ('senior_cashier', 'cancel_receipt'),
  ('senior_cashier', 'return'), ('senior_cashier', 'cash_in'), ('senior_cashier', 'shift_open'),
  ('senior_cashier', 'shift_close'), ('senior_cashier', 'report_x'),
  ('cashier', 'sale'), ('cashier', 'discount'), ('cashier', 'return'), ('cashier', 'cash_in'),
  ('cashier', 'shift_open'), ('cashier', 'shift_close'), ('cashier', 'report_x');

-- A manager's step-up approval of one gated action: bound to it, single-use, short-lived.
CREATE TABLE approvals (
  id           TEXT PRIMARY KEY,
  action       TEXT NOT NULL,
  binding      TEXT NOT NULL,               -- canonical description of the one action (receipt, line, amount)
  requested_by INTEGER NOT NULL REFERENCES users (id),
  approved_by  INTEGER NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
) STRICT;

-- The audit viewer filters by action and time.
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_at ON audit_log (at);
