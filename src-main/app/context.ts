import type { Clock } from '../../src-common/clock.js';
import { AppError } from '../../src-common/errors.js';
import type { EventMap, EventTopic, MethodName, Params, Result } from '../../src-common/rpc/contract.js';
import type { Role } from '../../src-common/rpc/schemas.js';
import type { Db } from '../db/open.js';
import type { CatalogRepo } from '../db/repos/catalog.js';
import type { EffectsRepo } from '../db/repos/effects.js';
import type { AuditRepo, CountersRepo, OutboxRepo, StockRepo } from '../db/repos/ledger.js';
import type { ReceiptsRepo } from '../db/repos/receipts.js';
import type { SettingsRepo } from '../db/repos/settings.js';
import type { UsersRepo } from '../db/repos/users.js';
import { can, type Permission } from '../domain/permissions.js';

export interface Session {
  userId: number;
  name: string;
  role: Role;
}

/** One client connection (a window, a WebSocket): who is logged in on it. */
export interface Connection {
  readonly id: number;
  session: Session | null;
}

export interface Repos {
  settings: SettingsRepo;
  catalog: CatalogRepo;
  receipts: ReceiptsRepo;
  users: UsersRepo;
  outbox: OutboxRepo;
  audit: AuditRepo;
  counters: CountersRepo;
  stock: StockRepo;
  effects: EffectsRepo;
}

/** Things a handler may start after its command commits. */
export interface Services {
  kickEffects(): void;
}

export interface HandlerCtx {
  readonly db: Db;
  readonly repos: Repos;
  readonly services: Services;
  readonly clock: Clock;
  readonly conn: Connection;
  /** Queue an event; it is published only if the command commits. */
  emit<T extends EventTopic>(topic: T, payload: EventMap[T]): void;
  /** Run after the command commits (start post-commit effects). */
  afterCommit(fn: () => void): void;
}

/**
 * Handlers are synchronous on purpose: a command runs inside one better-sqlite3 transaction,
 * which cannot span an await, and synchronous commands are serialised by construction.
 */
export type Handler<M extends MethodName> = (params: Params<M>, ctx: HandlerCtx) => Result<M>;
export type Handlers<K extends MethodName = MethodName> = { [M in K]: Handler<M> };

/**
 * An error whose writes must stand (a failed PIN attempt is counted even though login fails).
 * The command runner commits, then returns the error.
 */
export class CommittedAppError extends AppError {}

export function requireUser(ctx: HandlerCtx, permission?: Permission): Session {
  const s = ctx.conn.session;
  if (!s) throw new AppError('unauthenticated', 'log in first');
  if (permission && !can(s.role, permission)) throw new AppError('forbidden', 'not allowed for this role', { permission });
  return s;
}
