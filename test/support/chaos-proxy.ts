import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../../src-common/prng.js';

/** Deterministic PRNG (mulberry32): a failing seed replays exactly. */
export const seeded = mulberry32;

export type Fault =
  | 'drop_request' // the request never reaches the server; the client's socket is cut
  | 'drop_response' // the server commits, the answer is lost
  | 'duplicate' // the server gets the request twice (the client sees one answer)
  | 'delay' // held a while before forwarding
  | 'truncate_request' // the body is cut short on the way to the server
  | 'truncate_response' // the answer is cut short on the way back
  | 'error_5xx' // a gateway answers 502/503 without asking the server
  | 'replay_later' // forwarded normally, and sent again later, stale, out of the blue
  | 'reorder'; // held until the next request has gone through (or a moment), then forwarded

export const FAULTS: readonly Fault[] = ['drop_request', 'drop_response', 'duplicate', 'delay', 'truncate_request', 'truncate_response', 'error_5xx', 'replay_later', 'reorder'];

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A seeded HTTP proxy between tills and the head office that, per request, may do one of the
 * faults above (`rate` is the share of faulted requests). `heal()` lets everything through, and
 * the stale replays still pending are sent then. Counts what it did, for the report.
 */
export class ChaosProxy {
  private server: Server | null = null;
  private readonly rnd: () => number;
  private healed = false;
  private readonly replays: Captured[] = [];
  readonly counts: Record<Fault | 'forwarded', number> = {
    forwarded: 0,
    drop_request: 0,
    drop_response: 0,
    duplicate: 0,
    delay: 0,
    truncate_request: 0,
    truncate_response: 0,
    error_5xx: 0,
    replay_later: 0,
    reorder: 0,
  };
  /** A request held back by `reorder`: released after the next one, or by its timer. */
  private held: (() => void) | null = null;

  constructor(
    private readonly target: string,
    private readonly o: { seed: number; rate: number; faults?: readonly Fault[]; maxDelayMs?: number },
  ) {
    this.rnd = seeded(o.seed);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on fault this share of requests. */
  setRate(rate: number): void {
    this.o.rate = rate;
  }

  /** Stop faulting; send the stale replays still held. */
  async heal(): Promise<void> {
    this.healed = true;
    for (const r of this.replays.splice(0)) await this.forward(r).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  faulted(): number {
    return Object.entries(this.counts).reduce((n, [k, v]) => (k === 'forwarded' ? n : n + v), 0);
  }

  private pick(): Fault | null {
    if (this.healed || this.rnd() >= this.o.rate) return null;
    const faults = this.o.faults ?? FAULTS;
    return faults[Math.floor(this.rnd() * faults.length)] ?? null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const captured: Captured = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string')),
      body: Buffer.concat(chunks),
    };
    const fault = this.pick();
    if (fault) this.counts[fault]++;
    else this.counts.forwarded++;
    const release = this.held;
    this.held = null;
    if (fault === 'reorder') {
      await new Promise<void>((r) => {
        const timer = setTimeout(() => {
          if (this.held === done) this.held = null;
          r();
        }, 300);
        const done = () => {
          clearTimeout(timer);
          r();
        };
        this.held = done;
      });
    }
    try {
      switch (fault) {
        case 'drop_request':
          return void res.socket?.destroy();
        case 'error_5xx':
          res.writeHead(this.rnd() < 0.5 ? 502 : 503, { 'content-type': 'text/plain' });
          return void res.end('bad gateway');
        case 'drop_response':
          await this.forward(captured);
          return void res.socket?.destroy();
        case 'truncate_request': {
          const cut = { ...captured, body: captured.body.subarray(0, Math.floor(captured.body.length * this.rnd())) };
          const answer = await this.forward(cut);
          return this.reply(res, answer);
        }
        case 'duplicate': {
          const [first] = await Promise.all([this.forward(captured), this.forward(captured).catch(() => null)]);
          return this.reply(res, first);
        }
        case 'delay':
          await new Promise((r) => setTimeout(r, Math.floor(this.rnd() * (this.o.maxDelayMs ?? 200))));
          return this.reply(res, await this.forward(captured));
        case 'replay_later':
          this.replays.push(captured);
          return this.reply(res, await this.forward(captured));
        case 'truncate_response': {
          const answer = await this.forward(captured);
          res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': String(answer.body.length) });
          res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
          return void res.socket?.destroy();
        }
        default:
          return this.reply(res, await this.forward(captured));
      }
    } catch {
      res.socket?.destroy();
    } finally {
      // The request held back goes now, after this one.
      release?.();
    }
  }

  private reply(res: ServerResponse, answer: { status: number; contentType: string; body: Buffer }): void {
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.body);
  }

  private forward(r: Captured): Promise<{ status: number; contentType: string; body: Buffer }> {
    const url = new URL(r.path, this.target);
    return new Promise((resolve, reject) => {
      const headers = { ...r.headers, host: url.host, 'content-length': String(r.body.length) };
      const out = request(url, { method: r.method, headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, contentType: answer.headers['content-type'] ?? 'application/json', body: Buffer.concat(body) }));
        answer.on('error', reject);
      });
      out.on('error', reject);
      out.end(r.body);
    });
  }
}
