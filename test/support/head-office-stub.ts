import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EnrollRequestSchema,
  HEADER_APP,
  HEADER_PROTOCOL,
  PushRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type PushStatus,
  type SyncErrorCode,
} from '../../src-common/sync/protocol.js';

/** An event as the stub head office recorded it. */
export interface StubEvent {
  tillId: string;
  id: string;
  hash: string;
  payload: string;
  type: string;
  channel: string;
  epoch: number;
  seq: number;
}

interface StubTill {
  tillId: string;
  name: string;
  storeId: string;
  revoked: boolean;
}

/**
 * A head office in memory, over real HTTP, implementing protocol v1's semantics the way the till
 * relies on them — and switches to make it misbehave:
 *
 * - `mode`: `ok`; `down` (the connection is reset: unreachable); `5xx` (503 with an error body);
 *   `hang` (the request is never answered); `slow` (answered after `delayMs`);
 * - `dropResponses`: record the push, then reset the connection instead of answering (n times);
 * - `protocolRejected`: every request gets 426 update_required;
 * - `revoke(tillId)`: that till's credential gets 401 revoked;
 * - `holdDifferent(tillId, id, hash)`, `recordDifferently`: the head office holds an id with another content;
 * - `forget(tillId, epoch, channel, through)`: the head office lost everything after `through` (a server restored from backup).
 *
 * Per (till, epoch, channel) events are applied strictly in sequence: seq ≤ cursor → `duplicate`
 * (`conflict` when it holds this id with another hash, or another event under this number);
 * seq = cursor + 1 → `applied` (or `duplicate`/`conflict` for an id it got in an earlier epoch;
 * the cursor moves on either way); a batch starting beyond cursor + 1 → nothing applied,
 * `expected` = cursor + 1. Event ids are de-duplicated per till across epochs.
 */
export class HeadOfficeStub {
  mode: 'ok' | 'down' | '5xx' | 'hang' | 'slow' = 'ok';
  delayMs = 0;
  dropResponses = 0;
  /** The next n events applied are recorded with another content than was sent (the head office then holds them differently). */
  recordDifferently = 0;
  protocolRejected = false;
  /** serverTime = local time + this. */
  clockAheadMs = 0;
  /** Every request as it came (method, path, headers), for assertions. */
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers']; at: number }[] = [];
  /** Every push result the stub answered (or would have, for a dropped response). */
  readonly answered: { id: string; seq: number; epoch: number; status: PushStatus }[] = [];
  /** Pushes refused for a gap (answered with `expected`). */
  gaps = 0;
  /** Every event the stub applied, in order: an id twice here is a double count. */
  readonly applied: StubEvent[] = [];
  readonly codes = new Map<string, 'valid' | 'expired' | 'used'>();
  readonly storeName = 'Лавка на Садовой';
  private readonly tills = new Map<string, StubTill>();
  private readonly credentials = new Map<string, string>();
  private readonly byId = new Map<string, StubEvent>();
  private readonly bySeq = new Map<string, StubEvent>();
  private readonly cursors = new Map<string, number>();
  private readonly hung = new Set<ServerResponse>();
  private server: Server | null = null;
  url = '';
  private tillCount = 0;

  /** A fresh one-time code (12 characters of the protocol's alphabet), shown as XXXX-XXXX-XXXX. */
  newCode(state: 'valid' | 'expired' | 'used' = 'valid'): string {
    const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
    const bytes = randomBytes(12);
    const code = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    this.codes.set(code, state);
    return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  }

  /** The credential the stub issued to a till (tests compare the till's file with it). */
  credentialOf(tillId: string): string | null {
    for (const [cred, id] of this.credentials) if (id === tillId) return cred;
    return null;
  }

  revoke(tillId: string): void {
    const t = this.tills.get(tillId);
    if (t) t.revoked = true;
  }

  holdDifferent(tillId: string, id: string, hash: string): void {
    const ev = this.byId.get(`${tillId}:${id}`);
    if (ev) ev.hash = hash;
  }

  forget(tillId: string, epoch: number, channel: string, through: number): void {
    const key = `${tillId}:${epoch}:${channel}`;
    const cursor = this.cursors.get(key) ?? 0;
    for (let s = through + 1; s <= cursor; s++) {
      const ev = this.bySeq.get(`${key}:${s}`);
      if (!ev) continue;
      this.bySeq.delete(`${key}:${s}`);
      // Forgotten only where it was first applied (an id from an earlier epoch stays known).
      if (ev.epoch !== epoch || ev.seq !== s) continue;
      this.byId.delete(`${tillId}:${ev.id}`);
      this.applied.splice(this.applied.indexOf(ev), 1);
    }
    this.cursors.set(key, Math.min(cursor, through));
  }

  cursor(tillId: string, epoch: number, channel: string): number {
    return this.cursors.get(`${tillId}:${epoch}:${channel}`) ?? 0;
  }

  /** How many times each event id was applied (every value must be 1). */
  appliedCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const e of this.applied) m.set(e.id, (m.get(e.id) ?? 0) + 1);
    return m;
  }

  pushes(): number {
    return this.requests.filter((r) => r.path === '/v1/push').length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Requests held by `hang` now. */
  get hanging(): number {
    return this.hung.size;
  }

  /** Answer (with a reset) whatever is being held by `hang`. */
  releaseHung(): void {
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }

  async close(): Promise<void> {
    this.releaseHung();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, at: Date.now() });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (this.mode === 'down') return void req.socket.destroy();
    if (this.mode === 'hang') {
      this.hung.add(res);
      return;
    }
    if (this.mode === 'slow') await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.mode === '5xx') return this.error(res, 503, 'internal', 'maintenance');
    if (this.protocolRejected || !SUPPORTED_PROTOCOL_VERSIONS.includes(Number(req.headers[HEADER_PROTOCOL]))) {
      return this.error(res, 426, 'update_required', 'this head office needs a newer till');
    }
    if (typeof req.headers[HEADER_APP] !== 'string') return this.error(res, 400, 'bad_request', 'no app header');
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      return this.error(res, 400, 'bad_request', 'not JSON');
    }
    if (req.method === 'POST' && path === '/v1/enroll') return this.enroll(res, body);
    const till = this.authenticate(req);
    if (typeof till === 'string') return this.error(res, 401, till, till === 'revoked' ? 'this till was revoked' : 'unknown credential');
    if (req.method === 'POST' && path === '/v1/push') return this.push(req, res, till, body);
    if (req.method === 'GET' && path === '/v1/cursors') {
      const epochs = [...this.cursors]
        .filter(([k]) => k.startsWith(`${till.tillId}:`))
        .map(([k, ackedThrough]) => {
          const [, epoch, channel] = k.split(':');
          return { epoch: Number(epoch), channel, ackedThrough };
        });
      return this.json(res, 200, { tillId: till.tillId, storeId: till.storeId, epochs, serverTime: this.now() });
    }
    // Downstream feeds: this head office hands down nothing (the real server's feeds are tested on their own).
    const feed = new URL(req.url ?? '/', 'http://x').searchParams.get('feed');
    if (req.method === 'GET' && path === '/v1/snapshot') {
      return this.json(res, 200, { feed, asOf: 0, rows: [], nextKey: null, total: 0, serverTime: this.now() });
    }
    if (req.method === 'GET' && path === '/v1/pull') return this.json(res, 200, { feed, changes: [], through: 0, more: false, serverTime: this.now() });
    return this.error(res, 404, 'not_found', 'no such endpoint');
  }

  private enroll(res: ServerResponse, body: unknown): void {
    const parsed = EnrollRequestSchema.safeParse(body);
    if (!parsed.success) return this.error(res, 400, 'enrollment_invalid', 'no such code');
    const state = this.codes.get(parsed.data.code);
    if (state === undefined) return this.error(res, 403, 'enrollment_invalid', 'no such code');
    if (state === 'expired') return this.error(res, 410, 'enrollment_expired', 'the code expired');
    if (state === 'used') return this.error(res, 409, 'enrollment_used', 'the code was used');
    this.codes.set(parsed.data.code, 'used');
    const tillId = `till-${++this.tillCount}`;
    const credential = randomBytes(32).toString('base64url');
    this.tills.set(tillId, { tillId, name: parsed.data.till.name, storeId: 'store-1', revoked: false });
    this.credentials.set(credential, tillId);
    this.json(res, 200, { tillId, tillName: parsed.data.till.name, storeId: 'store-1', storeName: this.storeName, credential, serverTime: this.now() });
  }

  private authenticate(req: IncomingMessage): StubTill | 'unauthenticated' | 'revoked' {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const tillId = m ? this.credentials.get(m[1] as string) : undefined;
    const till = tillId ? this.tills.get(tillId) : undefined;
    if (!till) return 'unauthenticated';
    return till.revoked ? 'revoked' : till;
  }

  private push(req: IncomingMessage, res: ServerResponse, till: StubTill, body: unknown): void {
    const parsed = PushRequestSchema.safeParse(body);
    if (!parsed.success) return this.error(res, 400, 'bad_request', 'bad push');
    const { channel, epoch, events } = parsed.data;
    for (const e of events) {
      if (createHash('sha256').update(e.payload).digest('hex') !== e.hash) return this.error(res, 400, 'hash_mismatch', `event ${e.id}`);
    }
    const key = `${till.tillId}:${epoch}:${channel}`;
    let cursor = this.cursors.get(key) ?? 0;
    const first = (events[0] as (typeof events)[0]).seq;
    if (first > cursor + 1) {
      this.gaps++;
      return this.json(res, 200, { results: [], ackedThrough: cursor, expected: cursor + 1, serverTime: this.now() });
    }
    const results: { id: string; seq: number; status: PushStatus }[] = [];
    for (const e of events) {
      const known = this.byId.get(`${till.tillId}:${e.id}`);
      let status: PushStatus;
      if (e.seq <= cursor) {
        // Another event under this number, or this id with another content: never overwritten.
        status = known && known.hash === e.hash ? 'duplicate' : 'conflict';
      } else if (e.seq === cursor + 1) {
        if (known) status = known.hash === e.hash ? 'duplicate' : 'conflict';
        else {
          const ev: StubEvent = { tillId: till.tillId, id: e.id, hash: e.hash, payload: e.payload, type: e.type, channel, epoch, seq: e.seq };
          if (this.recordDifferently > 0) {
            this.recordDifferently--;
            ev.hash = createHash('sha256').update(`${e.payload} (as the head office has it)`).digest('hex');
          }
          this.byId.set(`${till.tillId}:${e.id}`, ev);
          this.applied.push(ev);
          status = 'applied';
        }
        this.bySeq.set(`${key}:${e.seq}`, known ?? (this.byId.get(`${till.tillId}:${e.id}`) as StubEvent));
        cursor = e.seq;
      } else break;
      results.push({ id: e.id, seq: e.seq, status });
      this.answered.push({ id: e.id, seq: e.seq, epoch, status });
    }
    this.cursors.set(key, cursor);
    if (this.dropResponses > 0) {
      this.dropResponses--;
      return void req.socket.destroy();
    }
    this.json(res, 200, { results, ackedThrough: cursor, expected: null, serverTime: this.now() });
  }

  private now(): number {
    return Date.now() + this.clockAheadMs;
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, code: SyncErrorCode, message: string): void {
    this.json(res, status, { error: { code, message } });
  }
}
