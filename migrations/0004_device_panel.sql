-- The device panel: devices are added, edited and removed at the till. Forward-only.

-- A removed device stays as a row (its print jobs reference it and are history); it is no longer
-- configured, listed or connected.
ALTER TABLE devices ADD COLUMN removed_at INTEGER;
