import { describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../src-common/rpc/schemas.js';
import { syncBadge } from '../../src-renderer/features/sync/sync-view.js';

const base: SyncStatusView = {
  enrolled: true,
  serverUrl: 'https://office.example.com',
  storeName: 'Лавка',
  tillName: 'Касса 1',
  enrolledAt: 1,
  connection: 'online',
  halted: null,
  enrollment: { state: 'idle', url: null, error: null },
  queued: { total: 0, channels: [] },
  lastAttemptAt: 10,
  lastSuccessAt: 10,
  lastError: null,
  nextAttemptAt: null,
  clockOffsetMs: 0,
  epoch: 1,
  conflicts: 0,
  managedSettings: [],
  catalog: null,
};
const at = (ms: number) => `t${ms}`;

describe('the head office badge', () => {
  it('is absent on a till with no head office, and says so while connecting', () => {
    expect(syncBadge({ ...base, enrolled: false }, at)).toBeNull();
    expect(syncBadge({ ...base, enrolled: false, enrollment: { state: 'pending', url: 'x', error: null } }, at)).toEqual({ tone: 'warn', notes: [{ key: 'badge.enrolling' }] });
  });

  it('online with nothing waiting is quiet; offline shows what waits and when something last got through', () => {
    expect(syncBadge(base, at)).toEqual({ tone: 'ok', notes: [{ key: 'badge.online' }, { key: 'badge.allSent' }] });
    expect(syncBadge({ ...base, connection: 'offline', queued: { total: 7, channels: [] } }, at)).toEqual({
      tone: 'warn',
      notes: [{ key: 'badge.offline' }, { key: 'badge.queued', values: { count: 7 } }, { key: 'badge.lastSuccess', values: { time: 't10' } }],
    });
    expect(syncBadge({ ...base, connection: 'offline' }, at)?.notes).toEqual([{ key: 'badge.offline' }, { key: 'badge.allSent' }]);
  });

  it('what needs a person is red: a halt, conflicts', () => {
    expect(syncBadge({ ...base, halted: 'revoked', queued: { total: 1, channels: [] } }, at)?.notes[0]).toEqual({ key: 'badge.revoked' });
    expect(syncBadge({ ...base, halted: 'update_required' }, at)?.tone).toBe('bad');
    expect(syncBadge({ ...base, conflicts: 2 }, at)).toMatchObject({ tone: 'bad', notes: expect.arrayContaining([{ key: 'badge.conflicts', values: { count: 2 } }]) });
  });
});
