import type { z } from 'zod';
import type { Clock } from '../../src-common/clock.js';
import { AppError, type WireError } from '../../src-common/errors.js';
import { contract, isMethodName, type EventMap, type EventTopic, type MethodName } from '../../src-common/rpc/contract.js';
import { RequestSchema, type RpcEvent, type RpcResponse } from '../../src-common/rpc/wire.js';
import type { Db } from '../db/open.js';
import { settleRollbackHooks } from '../db/repos/settings.js';
import { CommittedAppError, type Connection, type Handler, type HandlerCtx, type Handlers, type Repos, type Services } from '../app/context.js';

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: 'info', msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: 'error', msg, ...data })),
};

export interface DispatcherDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  handlers: Handlers<MethodName>;
  services: Services;
  log: Logger;
  /** Check every result against the contract (tests; costs time on the hot path). */
  checkResults?: boolean;
  /** A command committed (the WAL checkpointer waits for a quiet moment after them). */
  committed?: () => void;
}

function validationError(err: z.ZodError): AppError {
  const issue = err.issues[0];
  const path = issue?.path.join('.') ?? '';
  if (issue && issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array')) {
    return new AppError('input_too_long', `${path} is too long`, { field: path, max: Number(issue.maximum) });
  }
  return new AppError('validation', `${path || 'params'}: ${issue?.message ?? 'invalid'}`, { field: path });
}

/** SQLite failures the cashier can act on get their own codes; anything else is a bug. */
function storageError(e: unknown): AppError | null {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') return new AppError('storage_full', 'the disk is full');
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') return new AppError('storage_readonly', 'the database cannot be written');
  if (code.startsWith('SQLITE_IOERR')) return new AppError('storage_readonly', 'disk I/O error');
  return null;
}

let connectionIds = 0;
export function newConnection(): Connection {
  return { id: ++connectionIds, session: null };
}

/**
 * Checks the method, parses params, runs the handler, maps errors to the one wire shape.
 * A command runs inside one synchronous transaction; its events go out only after commit.
 */
export class Dispatcher {
  private eventSeq = 0;
  private readonly subscribers = new Set<(e: RpcEvent) => void>();

  constructor(private readonly deps: DispatcherDeps) {}

  subscribe(fn: (e: RpcEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Handle one decoded JSON message. Never throws. */
  handle(raw: unknown, conn: Connection): RpcResponse {
    const req = RequestSchema.safeParse(raw);
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? ((raw as { id: number }).id) : -1;
    if (!req.success) return { id, ok: false, error: { code: 'bad_request', message: 'malformed request' } };
    const { method, params } = req.data;
    if (!isMethodName(method)) {
      return { id, ok: false, error: { code: 'unknown_method', message: `unknown method`, details: { method: method.slice(0, 64) } } };
    }
    try {
      return { id, ok: true, result: this.run(method, params ?? {}, conn) };
    } catch (e) {
      return { id, ok: false, error: this.toWire(e, method) };
    }
  }

  /** Handle a JSON text frame (WebSocket, IPC). */
  handleText(text: string, conn: Connection): string {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return JSON.stringify({ id: -1, ok: false, error: { code: 'bad_request', message: 'not JSON' } });
    }
    return JSON.stringify(this.handle(raw, conn));
  }

  private run(method: MethodName, rawParams: unknown, conn: Connection): unknown {
    const spec = contract[method];
    const parsed = spec.params.safeParse(rawParams);
    if (!parsed.success) throw validationError(parsed.error);
    const events: { topic: EventTopic; payload: unknown }[] = [];
    const after: (() => void)[] = [];
    const ctx: HandlerCtx = {
      db: this.deps.db,
      repos: this.deps.repos,
      services: this.deps.services,
      clock: this.deps.clock,
      conn,
      emit: (topic, payload) => events.push({ topic, payload }),
      afterCommit: (fn) => after.push(fn),
    };
    const handler = this.deps.handlers[method] as Handler<MethodName>;
    let result: unknown;
    let committedError: CommittedAppError | null = null;
    if (spec.kind === 'command') {
      const db = this.deps.db;
      try {
        result = db.transaction(() => {
          try {
            return handler(parsed.data as never, ctx);
          } catch (e) {
            if (e instanceof CommittedAppError) {
              committedError = e;
              return undefined;
            }
            throw e;
          }
        })();
        settleRollbackHooks(db, true);
        this.deps.committed?.();
      } catch (e) {
        settleRollbackHooks(db, false);
        throw e;
      }
    } else {
      result = handler(parsed.data as never, ctx);
    }
    for (const fn of after) fn();
    for (const ev of events) this.publish(ev.topic, ev.payload as EventMap[EventTopic]);
    if (committedError) throw committedError;
    if (this.deps.checkResults) {
      const ok = spec.result.safeParse(result);
      if (!ok.success) throw new Error(`result of ${method} breaks the contract: ${ok.error.message}`);
    }
    return result;
  }

  publish<T extends EventTopic>(topic: T, payload: EventMap[T]): void {
    const ev: RpcEvent<T> = { event: topic, seq: ++this.eventSeq, payload };
    for (const fn of this.subscribers) {
      try {
        fn(ev as RpcEvent);
      } catch (e) {
        this.deps.log.error('event subscriber failed', { error: String(e) });
      }
    }
  }

  private toWire(e: unknown, method: string): WireError {
    if (e instanceof AppError) return e.toWire();
    const storage = storageError(e);
    if (storage) {
      this.deps.log.error('storage error', { method, error: String(e) });
      return storage.toWire();
    }
    this.deps.log.error('handler failed', { method, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return { code: 'internal', message: 'internal error' };
  }
}
