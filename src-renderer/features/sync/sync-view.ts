import type { SyncStatusView } from '../../../src-common/rpc/schemas.js';

/** A message key under `sync.` and its values. */
export interface Note {
  key: string;
  values?: Record<string, string | number>;
}

export interface SyncBadgeView {
  tone: 'ok' | 'warn' | 'bad';
  notes: Note[];
}

/** The head office's clock may differ from the till's by this much before the owner is warned. */
export const CLOCK_WARN_MS = 60_000;

/**
 * What the top bar says about the head office link: nothing for a till that was never connected to
 * one (a shop without a head office); otherwise the link, what waits to be sent, and anything a
 * person must act on (a revoked enrollment, an update, conflicts). `lastSent` formats a time.
 */
export function syncBadge(s: SyncStatusView, lastSent: (at: number) => string): SyncBadgeView | null {
  if (!s.enrolled) return s.enrollment.state === 'pending' ? { tone: 'warn', notes: [{ key: 'badge.enrolling' }] } : null;
  const notes: Note[] = [];
  if (s.halted) notes.push({ key: `badge.${s.halted}` });
  else notes.push({ key: `badge.${s.connection}` });
  notes.push(s.queued.total > 0 ? { key: 'badge.queued', values: { count: s.queued.total } } : { key: 'badge.allSent' });
  if (s.conflicts > 0) notes.push({ key: 'badge.conflicts', values: { count: s.conflicts } });
  // When something waits, how long it has: the time anything last got through.
  if (s.lastSuccessAt !== null && s.queued.total > 0) {
    notes.push({ key: 'badge.lastSuccess', values: { time: lastSent(s.lastSuccessAt) } });
  }
  const tone = s.halted !== null || s.conflicts > 0 ? 'bad' : s.connection !== 'online' ? 'warn' : 'ok';
  return { tone, notes };
}
