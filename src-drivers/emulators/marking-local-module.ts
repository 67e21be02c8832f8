import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What Честный знак knows about a code, as the module answers it. */
export type LocalModuleCodeState = 'ok' | 'sold' | 'blocked' | 'expired' | 'unknown' | 'invalid';

/** The module's own state (`GET /api/v1/status`): only `ready` answers checks. */
export type LocalModuleStatus = 'ready' | 'initialization' | 'sync_error' | 'not_configured';

export interface LocalModuleEmulatorOptions {
  /** Basic auth the module requires; no credentials configured means none is checked. */
  login?: string;
  password?: string;
  /** The module's clock (expiry dates, reqTimestamp); tests pass the till's. */
  now?: () => number;
}

/** Faults of the service itself; the module being down is `down()`/`up()`. */
export class LocalModuleFaults {
  /** Every answer is held back this long (a module busy syncing, a slow network). */
  delayMs = 0;
  /** Every request is answered with this HTTP status and no useful body (500: the module crashed inside). */
  httpStatus: number | null = null;
}

/** One answer the module gave: the reqId and reqTimestamp a receipt line must carry for it. */
export interface IssuedAnswer {
  code: string;
  state: LocalModuleCodeState;
  reqId: string;
  reqTimestamp: number;
}

const DAY = 86_400_000;

/**
 * The Честный знак local module (ЛМ ЧЗ) on an ephemeral port, speaking the API the till's client
 * uses (see src-main/fiscal/permit/local-module.ts for the sources): `GET /api/v1/status` and
 * `GET /api/v1/cis/outCheck?cis=…` behind Basic auth. Codes are `ok` unless set otherwise;
 * `status` (not initialised), `faults` (slow, HTTP errors) and `down()` (port closed) are the
 * ways it fails. One instance per test.
 */
export class LocalModuleEmulator {
  status: LocalModuleStatus = 'ready';
  /** The state of codes nobody set. */
  defaultState: LocalModuleCodeState = 'ok';
  readonly faults = new LocalModuleFaults();
  /** Every outCheck answer given, in order. */
  readonly issued: IssuedAnswer[] = [];
  /** Every request that arrived: path and whether its credentials were right. */
  readonly requests: { method: string; path: string; authorized: boolean }[] = [];
  private readonly states = new Map<string, LocalModuleCodeState>();
  private server: Server;
  private port = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(private readonly opts: LocalModuleEmulatorOptions) {
    this.server = this.createServer();
  }

  static async start(opts: LocalModuleEmulatorOptions = {}): Promise<LocalModuleEmulator> {
    const emu = new LocalModuleEmulator(opts);
    await emu.listen(0);
    return emu;
  }

  /** Base URL for the client, e.g. http://127.0.0.1:40123 */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setCode(code: string, state: LocalModuleCodeState): void {
    this.states.set(code, state);
  }

  /** The module stops: its port is closed, connections are refused. */
  async down(): Promise<void> {
    await this.close();
  }

  /** The module is back on the same port. */
  async up(): Promise<void> {
    if (!this.server.listening) {
      this.server = this.createServer();
      await this.listen(this.port);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.close();
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private createServer(): Server {
    return createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const { login, password } = this.opts;
    if (!login && !password) return true;
    const expected = `Basic ${Buffer.from(`${login ?? ''}:${password ?? ''}`, 'utf8').toString('base64')}`;
    return req.headers.authorization === expected;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorized = this.authorized(req);
    this.requests.push({ method: req.method ?? '?', path: url.pathname, authorized });
    if (this.faults.delayMs > 0) await this.delay(this.faults.delayMs);
    if (this.faults.httpStatus !== null) return send(res, this.faults.httpStatus, { error: 'internal error' });
    if (!authorized) return send(res, 401, { error: 'Unauthorized' });
    if (req.method === 'GET' && url.pathname === '/api/v1/status') {
      return send(res, 200, { status: this.status, operationMode: 'active', version: 'lavka-emulator', name: 'ЛМ ЧЗ (эмулятор)', inst: 'emu', lastSync: this.now(), requiresDownload: false });
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/cis/outCheck') {
      const cis = url.searchParams.get('cis');
      if (!cis) return send(res, 400, { code: 400, description: 'cis is required' });
      return send(res, 200, this.outCheck(cis));
    }
    send(res, 404, { error: 'not found' });
  }

  private outCheck(cis: string): unknown {
    const state = this.states.get(cis) ?? this.defaultState;
    const now = this.now();
    const answer: IssuedAnswer = { code: cis, state, reqId: randomUUID(), reqTimestamp: now };
    this.issued.push(answer);
    const found = state !== 'unknown';
    const genuine = found && state !== 'invalid';
    const code = found
      ? {
          cis,
          gtin: cis.slice(2, 16),
          found: true,
          valid: genuine,
          verified: genuine,
          utilised: true,
          realizable: state !== 'sold',
          sold: state === 'sold',
          isBlocked: state === 'blocked',
          expireDate: new Date(state === 'expired' ? now - DAY : now + 180 * DAY).toISOString(),
        }
      : { cis, found: false, valid: false, verified: false, utilised: false, realizable: false, sold: false, isBlocked: false };
    return { code: 0, description: 'ok', reqId: answer.reqId, reqTimestamp: answer.reqTimestamp, inst: 'emu', version: 'lavka-emulator', codes: [code] };
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
