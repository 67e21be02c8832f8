import type { CustomersRepo } from '../db/repos/customers.js';
import type { LoyaltyRepo } from '../db/repos/loyalty.js';
import type { SmsWorker } from './sms.js';
import type { PricingRepo } from '../db/repos/pricing.js';
import type { ExportFiles } from '../import/exports.js';
import type { ImportSessions } from '../import/sessions.js';
import type { Clock } from '../../src-common/clock.js';
import type { PrintDocument } from '../../src-common/print-document.js';
import { AppError } from '../../src-common/errors.js';
import type { EventMap, EventTopic, MethodName, Params, Result } from '../../src-common/rpc/contract.js';
import { OVERRIDABLE, type CustomerView, type DeviceTestResult, type Permission, type PortsView, type Role, type SyncStatusView } from '../../src-common/rpc/schemas.js';
import type { ApprovalsRepo } from '../db/repos/approvals.js';
import type { PermissionsRepo } from '../db/repos/permissions.js';
import type { PrintJobsRepo } from '../db/repos/print-jobs.js';
import type { LabelJobsRepo } from '../db/repos/label-jobs.js';
import type { LabelServices } from '../devices/label-queue.js';
import type { ShiftsRepo } from '../db/repos/shifts.js';
import type { StockDocsRepo } from '../db/repos/stock-docs.js';
import type { Db } from '../db/open.js';
import type { CatalogRepo } from '../db/repos/catalog.js';
import type { DevicesRepo } from '../db/repos/devices.js';
import type { FiscalJournalRepo } from '../db/repos/fiscal-journal.js';
import type { MarkingPermitsRepo } from '../db/repos/marking-permits.js';
import type { MarkingAsk, MarkingCheckResult } from '../fiscal/marking-checks.js';
import type { FiscalStatus } from '../../src-drivers/fiscal/registrar.js';
import type { EffectsRepo } from '../db/repos/effects.js';
import type { AuditRepo, CountersRepo, OutboxRepo, StockRepo } from '../db/repos/ledger.js';
import type { ReceiptsRepo } from '../db/repos/receipts.js';
import type { SettingsRepo } from '../db/repos/settings.js';
import type { UsersRepo } from '../db/repos/users.js';

export interface Session {
  userId: number;
  name: string;
  role: Role;
}

/** One client connection (a window, a WebSocket): who is logged in on it. */
export interface Connection {
  readonly id: number;
  session: Session | null;
  /** When the logged-in user last did anything on this connection (for the idle auto-lock). */
  lastActivity?: number;
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
  stockDocs: StockDocsRepo;
  pricing: PricingRepo;
  customers: CustomersRepo;
  loyalty: LoyaltyRepo;
  effects: EffectsRepo;
  permissions: PermissionsRepo;
  approvals: ApprovalsRepo;
  shifts: ShiftsRepo;
  printJobs: PrintJobsRepo;
  labelJobs: LabelJobsRepo;
  devices: DevicesRepo;
  fiscalJournal: FiscalJournalRepo;
  markingPermits: MarkingPermitsRepo;
}

/** Things a handler may start after its command commits. */
export interface Services {
  kickEffects(): void;
  /** The devices running now, and the device panel's actions on them. */
  devices: DeviceServices;
  fiscal: FiscalServices;
  /** The head office link (src-main/sync): background only, never awaited by a command. */
  sync: SyncServices;
  /** Files being imported (uploaded in pieces, read in the background, previewed and applied by commands). */
  imports: ImportSessions;
  /** Files made for download, fetched in pieces. */
  exports: ExportFiles;
  /** SMS to customers: the sender worker (null when none runs). */
  sms: SmsWorker | null;
  /** What the emulated SMS provider was sent (the demo's; empty for a real provider). */
  smsEmulated(): { id: string; to: string; text: string; from: string; statusCode: number }[];
  /** Price tags: where they print, and their queue. */
  labels: LabelServices;
  /** The stable weight on the configured scale now, in grams; throws the reason there is none. Null: no scale. */
  scaleGrams: (() => number) | null;
  /**
   * Queue a print job or a drawer kick inside the current transaction (it exists only if the
   * command commits); the printer starts after the commit. False when no printer (or drawer) is configured.
   */
  queuePrint(kind: 'drawer' | 'reprint' | 'report', refId: string, document: PrintDocument | null): boolean;
}

export interface DeviceServices {
  /** A configured device's connection state (null: no driver running for it). */
  state(deviceId: string): { status: 'init' | 'connecting' | 'connected' | 'disconnected' | 'error'; message?: string } | null;
  lastError(deviceId: string): { message: string; at: number } | null;
  /** A printer's drawer switch and paper-low sensor as last read (null: it does not say). */
  sensors(deviceId: string): { drawerOpen: boolean | null; paperNearEnd: boolean | null } | null;
  /** Restart a device with its stored configuration (call after the command that changed it commits). */
  reload(deviceId: string): void;
  ports(): PortsView;
  /** A test action on a running device; its outcome, or why it cannot run. */
  test(deviceId: string, action: DeviceTestAction): DeviceTestResult;
  /** What the customer-facing screen shows now. */
  customerView(): CustomerView;
}

export interface FiscalServices {
  /** Work off the fiscal journal (after the command that added to it commits). */
  kick(): void;
  /** Why the registrar would refuse a receipt now (none configured, ФН blocked, shift over 24 h); null when it would not. */
  blocked(): { reason: string; message: string } | null;
  /** The checks of a marking code (the registrar's, the permit check's): known, or started now (`pending`). */
  marking(code: string, line: { qty: number; unit: 'pcs' | 'kg' | 'l' }, ask: MarkingAsk): MarkingCheckResult;
  /** The registrar's status as last read, and when. */
  lastStatus(): { status: FiscalStatus; at: number } | null;
}

export interface SyncServices {
  /** Something was queued for the head office (after the command that queued it commits). */
  kick(): void;
  /** Send now, whatever is waiting (a back-off, a halt). */
  now(): void;
  /** Start enrolling with a checked address and code (after the command commits); the outcome comes as `sync.state`. */
  enroll(url: string, code: string, userId: number): void;
  status(): SyncStatusView;
  /** Ask the head office for a customer's balance now (after the command commits); the answer comes as `customer.changed`. */
  confirmCustomer(customerId: string): void;
}

export type DeviceTestAction = 'print' | 'drawer' | 'weigh' | 'display';

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

/**
 * The logged-in user, who must hold `permission` if one is named. A session idle for longer than
 * the auto-lock setting is ended here, so the lock holds even if a window never sends its logout.
 */
export function requireUser(ctx: HandlerCtx, permission?: Permission): Session {
  const s = ctx.conn.session;
  if (!s) throw new AppError('unauthenticated', 'log in first');
  const now = ctx.clock.now();
  const idleMs = ctx.repos.settings.get('session.autoLockMinutes') * 60_000;
  if (idleMs > 0 && ctx.conn.lastActivity !== undefined && now - ctx.conn.lastActivity > idleMs) {
    ctx.conn.session = null;
    throw new AppError('unauthenticated', 'locked after inactivity', { reason: 'idle' });
  }
  ctx.conn.lastActivity = now;
  if (permission && !ctx.repos.permissions.can(s.role, permission)) {
    throw new AppError('forbidden', 'not allowed for this role', { permission });
  }
  return s;
}

/**
 * Authorise a gated action. A user whose role holds the permission goes ahead. Otherwise an
 * overridable action needs a manager's approval bound to exactly this action (`binding` names the
 * receipt, line or amount): without one the command fails with `approval_required` and the binding,
 * which the till shows the manager; with one, it must match, be unused and unexpired, and it is
 * spent in this command's transaction (so a command that fails does not spend it).
 */
export function authorize(
  ctx: HandlerCtx,
  permission: Permission,
  binding: string,
  approvalId: string | undefined,
): { session: Session; approvedBy: number | null } {
  const s = requireUser(ctx);
  if (ctx.repos.permissions.can(s.role, permission)) return { session: s, approvedBy: null };
  if (!OVERRIDABLE.includes(permission)) throw new AppError('forbidden', 'not allowed for this role', { permission });
  const details = { action: permission, binding };
  if (!approvalId) throw new AppError('approval_required', 'a manager must approve this', details);
  const now = ctx.clock.now();
  const a = ctx.repos.approvals.byId(approvalId);
  if (!a || a.action !== permission || a.binding !== binding || a.requested_by !== s.userId) {
    throw new AppError('approval_invalid', 'the approval is for another action', { ...details, reason: 'mismatch' });
  }
  if (a.used_at !== null) throw new AppError('approval_invalid', 'the approval was already used', { ...details, reason: 'used' });
  if (now >= a.expires_at) throw new AppError('approval_invalid', 'the approval expired', { ...details, reason: 'expired' });
  ctx.repos.approvals.markUsed(a.id, now);
  ctx.repos.audit.append(now, a.approved_by, 'override.use', binding, { action: permission, approvalId: a.id, cashierId: s.userId });
  return { session: s, approvedBy: a.approved_by };
}
