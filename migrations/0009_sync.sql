-- Upstream sync with the head office (protocol v1, src-common/sync/protocol.ts). Forward-only.
--
-- The server applies each till's events per (epoch, channel) strictly in sequence, so every outbox
-- row gets a number contiguous within its channel and epoch (`channel_seq`), assigned in the same
-- statement that writes the row. The global `seq` stays as it was: contiguous per till (I4).
--
-- `epoch` starts at 1. A till restored from an old backup would reuse numbers the server has
-- already seen with other events: it starts a new epoch instead, and the rows not yet acked are
-- renumbered into it from 1 (the server de-duplicates by event id, so nothing is counted twice).
-- Hence the numbers are unique per (channel, epoch, channel_seq), not per (channel, channel_seq).
--
-- SQLite cannot add a NOT NULL column without a default nor a table constraint to an existing
-- table: the outbox is rebuilt with its rows and their global sequence kept, and the channel
-- sequence backfilled in the order the rows were written. Nothing references the outbox.
CREATE TABLE outbox_v2 (
  seq          INTEGER PRIMARY KEY,          -- per-till, contiguous from 1
  id           TEXT NOT NULL UNIQUE,         -- UUIDv7 event id
  channel      TEXT NOT NULL,
  epoch        INTEGER NOT NULL DEFAULT 1 CHECK (epoch >= 1),
  channel_seq  INTEGER NOT NULL CHECK (channel_seq >= 1),  -- contiguous per (channel, epoch) from 1
  type         TEXT NOT NULL,
  v            INTEGER NOT NULL DEFAULT 1,   -- event format version
  payload      TEXT NOT NULL CHECK (json_valid(payload)),
  hash         TEXT NOT NULL,                -- SHA-256 of the canonical payload
  created_at   INTEGER NOT NULL,
  acked_at     INTEGER,                      -- the head office answered for it (see outcome)
  -- 'recorded': the head office holds this very event (applied, parked or a duplicate);
  -- 'conflict': it holds a different event under this id and never overwrites: an alarm, not resent.
  outcome      TEXT CHECK (outcome IN ('recorded', 'conflict')),
  -- The epoch in which the head office last answered `conflict` for it (null: never).
  conflict_epoch INTEGER,
  UNIQUE (channel, epoch, channel_seq),
  CHECK ((acked_at IS NULL) = (outcome IS NULL))
) STRICT;

INSERT INTO outbox_v2 (seq, id, channel, epoch, channel_seq, type, payload, hash, created_at, acked_at, outcome)
SELECT seq, id, channel, 1, ROW_NUMBER() OVER (PARTITION BY channel ORDER BY seq), type, payload, hash, created_at, acked_at,
       CASE WHEN acked_at IS NULL THEN NULL ELSE 'recorded' END
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;

-- What is still to push, per channel, in order (the sync loop's and the status counts' query).
CREATE INDEX outbox_unacked ON outbox (channel, epoch, channel_seq, acked_at) WHERE acked_at IS NULL;
-- The few events settled as conflicts (the status counts them on every change).
CREATE INDEX outbox_conflicts ON outbox (seq) WHERE outcome = 'conflict';

-- The till's enrollment and sync progress: one row. The credential is NOT here: it lives in a file
-- beside the database (see src-main/sync/credentials.ts), so a copy of the database is no key.
CREATE TABLE sync_state (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  server_url         TEXT,
  till_id            TEXT,
  till_name          TEXT,
  store_id           TEXT,
  store_name         TEXT,
  enrolled_at        INTEGER,
  epoch              INTEGER NOT NULL DEFAULT 1 CHECK (epoch >= 1),
  -- Why pushing stopped until a person acts: the enrollment was revoked or is no longer known,
  -- or the head office no longer speaks this till's protocol.
  halted             TEXT CHECK (halted IN ('revoked', 'unauthenticated', 'update_required')),
  last_attempt_at    INTEGER,
  last_success_at    INTEGER,
  last_error_code    TEXT,
  last_error_message TEXT,
  last_error_at      INTEGER,
  clock_offset_ms    INTEGER,                -- the head office's clock minus the till's, at the last answer
  CHECK ((server_url IS NULL) = (enrolled_at IS NULL))
) STRICT;
INSERT INTO sync_state (id) VALUES (1);
