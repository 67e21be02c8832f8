import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from '../../fiscal/atol/tasks.js';
import { AtolRegistrarModel } from './atol-model.js';

export { AtolRegistrarModel, type ArchiveEntry, type ArchiveKind, type ArchivedCorrection, type ArchivedLine } from './atol-model.js';

export interface AtolWebServerOptions {
  /** How long each task stays `inProgress` (default 5 ms). */
  taskMs?: number;
  /**
   * How a task's error is written: 'flat' `errorCode`/`errorDescription` (default) or 'nested'
   * `error: {code, description}` (the web server's JS sample). The driver reads both.
   */
  errorShape?: 'flat' | 'nested';
}

/** Faults of the web server and of the power; the device's own faults are `model.faults`. */
export class WebServerFaults {
  /** Extra time a printing task stays `inProgress` (a long receipt, a slow printer). */
  printMs = 0;
  /**
   * Once: the power fails right after the ФН registers the next fiscal document, before any result.
   * 'hang': that request stays `inProgress` forever and later ones `wait`; 'drop': the web server
   * goes away with the registrar (connections reset, port closed) until `powerOn()`.
   */
  powerLossAfterCommit: null | 'hang' | 'drop' = null;
}

type TaskState = 'wait' | 'inProgress' | 'ready' | 'error' | 'interrupted';
interface TaskRecord {
  task: unknown;
  status: TaskState;
  code: number;
  description: string;
  result: Json;
}

const PRINTING = new Set(['sell', 'sellReturn', 'sellCorrection', 'sellReturnCorrection', 'openShift', 'closeShift', 'reportX', 'cashIn', 'cashOut', 'continuePrint']);
const MAX_BODY = 1024 * 1024;

/**
 * ATOL's Driver v10 web server on an ephemeral port, speaking its JSON task protocol: requests are
 * queued and run one task at a time against an `AtolRegistrarModel` (each task `wait` →
 * `inProgress` → `ready` | `error`; after an error the request's other tasks are `interrupted`).
 * One instance per test; `model` is the registrar to inspect and fault, `received` the task types
 * in the order they arrived.
 */
export class AtolWebServerEmulator {
  readonly model = new AtolRegistrarModel();
  readonly faults = new WebServerFaults();
  readonly received: string[] = [];
  private readonly requests = new Map<string, TaskRecord[]>();
  private readonly queue: TaskRecord[][] = [];
  private server: Server;
  private port = 0;
  private pumping = false;
  /** Power is off: nothing runs until `powerOn()`. */
  private halted = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(private readonly opts: AtolWebServerOptions) {
    this.server = this.createServer();
  }

  static async start(opts: AtolWebServerOptions = {}): Promise<AtolWebServerEmulator> {
    const emu = new AtolWebServerEmulator(opts);
    await emu.listen(0);
    return emu;
  }

  /** Base URL for the driver, e.g. http://127.0.0.1:40123 */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Power back on after a power-loss fault: the web server restarts on the same port with an empty
   * request list (it forgets what it was doing); the registrar and its ФН keep their state.
   */
  async powerOn(): Promise<void> {
    this.requests.clear();
    this.queue.length = 0;
    this.halted = false;
    if (!this.server.listening) {
      this.server = this.createServer();
      await this.listen(this.port);
    }
  }

  async stop(): Promise<void> {
    this.halted = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.close();
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/api/v2/requests') return this.submit(req, res);
    const m = /^\/api\/v2\/requests\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m?.[1] !== undefined) return this.results(decodeURIComponent(m[1]), res);
    send(res, 404, { error: 'not found' });
  }

  private async submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) return send(res, 413, { error: 'too large' });
      chunks.push(c as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: 'invalid JSON' });
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as { uuid?: unknown; request?: unknown };
    if (typeof b.uuid !== 'string' || b.uuid === '' || b.request === undefined || b.request === null) return send(res, 400, { error: 'uuid and request are required' });
    if (this.requests.has(b.uuid)) return send(res, 409, { error: 'uuid already used' });
    const tasks = Array.isArray(b.request) ? (b.request as unknown[]) : [b.request];
    const records = tasks.map((task): TaskRecord => ({ task, status: 'wait', code: 0, description: '', result: null }));
    this.requests.set(b.uuid, records);
    for (const t of tasks) this.received.push(typeOf(t));
    this.queue.push(records);
    res.writeHead(201).end();
    void this.pump();
  }

  private results(uuid: string, res: ServerResponse): void {
    const records = this.requests.get(uuid);
    if (!records) return send(res, 404, { error: 'unknown uuid' });
    const nested = this.opts.errorShape === 'nested';
    send(res, 200, {
      results: records.map((r) =>
        nested
          ? { status: r.status, error: { code: r.code, description: r.description }, result: r.result }
          : { status: r.status, errorCode: r.code, errorDescription: r.description, result: r.result },
      ),
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.halted) {
        const records = this.queue.shift();
        if (!records) break;
        let failed = false;
        for (const r of records) {
          if (failed) {
            Object.assign(r, { status: 'interrupted', code: 502, description: 'Выполнение прервано из-за предыдущих ошибок' });
            continue;
          }
          r.status = 'inProgress';
          const type = typeOf(r.task);
          await this.delay((this.opts.taskMs ?? 5) + (PRINTING.has(type) ? this.faults.printMs : 0));
          if (this.halted) return;
          const loss = AtolRegistrarModel.isFiscal(type) ? this.faults.powerLossAfterCommit : null;
          const out = this.model.execute(r.task);
          if (loss !== null && 'result' in out) {
            // The ФН has the document; the answer never leaves the registrar.
            this.faults.powerLossAfterCommit = null;
            this.halted = true;
            if (loss === 'drop') await this.close();
            return;
          }
          if ('result' in out) Object.assign(r, { status: 'ready', result: out.result });
          else {
            Object.assign(r, { status: 'error', code: out.error, description: out.description });
            failed = true;
          }
        }
      }
    } finally {
      this.pumping = false;
    }
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

function typeOf(task: unknown): string {
  const t = typeof task === 'object' && task !== null ? (task as { type?: unknown }).type : undefined;
  return typeof t === 'string' ? t : '?';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
