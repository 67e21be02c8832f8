import type { SyncChannel } from '../../src-common/sync/protocol.js';
import type { EpochMs } from '../../src-common/units.js';
import type { HandlerCtx } from '../app/context.js';
import type { OutboxEvent } from '../db/repos/ledger.js';

/**
 * Queue an event for the head office in the command's own transaction, and once it commits let
 * the sync service know (it only sets a timer: the command never waits for the network).
 */
export function queueUpstream(ctx: HandlerCtx, channel: SyncChannel, type: string, payload: unknown, at: EpochMs): OutboxEvent {
  const event = ctx.repos.outbox.append(channel, type, payload, at);
  ctx.afterCommit(() => ctx.services.sync.kick());
  return event;
}
