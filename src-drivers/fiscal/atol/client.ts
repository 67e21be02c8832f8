import { randomUUID } from 'node:crypto';
import { FiscalError } from '../registrar.js';
import { atolError } from './errors.js';
import { bad, json } from './parse.js';
import { parseEnvelope, type TaskOutcome } from './results.js';
import type { AtolTask } from './tasks.js';

export interface AtolClientOptions {
  /** The web server, e.g. http://127.0.0.1:16732 (the `/api/v2/…` paths are added). */
  baseUrl: string;
  /** How long one request (submit + all its tasks) may take before it is given up as `timeout`. */
  timeoutMs: number;
  /** Pause between result polls. */
  pollMs: number;
  fetch?: typeof fetch;
}

/** Errors raised by the connect step itself: the request never reached the server. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const MAX_BODY = 4 * 1024 * 1024;

function causeCode(e: unknown): string | null {
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

function describe(e: unknown): string {
  const code = causeCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  return code ? `${msg} (${code})` : msg;
}

/**
 * One JSON request to ATOL's web server: `POST /api/v2/requests {uuid, request: [tasks]}`, then
 * `GET /api/v2/requests/{uuid}` every `pollMs` until no task is waiting or in progress.
 *
 * What a failure means for a fiscal task, which is what the error codes carry:
 * - the POST never connected → `offline`: the server has not got the task, nothing happened;
 * - anything after the POST went out (no answer, the server dropped, results never ready, the
 *   server forgot the request) → `timeout`: the document may be in the ФН. The task is never sent
 *   again from here; the caller's recovery reads the status and the archive.
 */
export class AtolWebClient {
  private readonly fetch: typeof fetch;
  private readonly disposed = new AbortController();

  constructor(private readonly opts: AtolClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  dispose(): void {
    this.disposed.abort();
  }

  /** The tasks' results in order; the first task the registrar refused throws its FiscalError. */
  async run(tasks: AtolTask[], timeoutMs = this.opts.timeoutMs): Promise<unknown[]> {
    const outcomes = await this.submit(tasks, timeoutMs);
    return outcomes.map((o) => {
      throwIfFailed(o);
      return o.result;
    });
  }

  /** Like `run` but hands back refusals as data (findDocument reads "no such document" that way). */
  async submit(tasks: AtolTask[], timeoutMs = this.opts.timeoutMs): Promise<TaskOutcome[]> {
    const deadline = Date.now() + timeoutMs;
    const uuid = randomUUID();
    const base = this.opts.baseUrl.replace(/\/+$/, '');
    await this.post(`${base}/api/v2/requests`, { uuid, request: tasks }, deadline);
    return this.poll(`${base}/api/v2/requests/${uuid}`, tasks.length, deadline, uuid);
  }

  private signal(deadline: number): AbortSignal {
    return AbortSignal.any([this.disposed.signal, AbortSignal.timeout(Math.max(1, deadline - Date.now()))]);
  }

  private async post(url: string, body: unknown, deadline: number): Promise<void> {
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: this.signal(deadline),
      });
    } catch (e) {
      if (this.disposed.signal.aborted) throw new FiscalError('offline', 'the ATOL driver was disposed');
      const code = causeCode(e);
      if (code !== null && NOT_CONNECTED.has(code)) throw new FiscalError('offline', `ATOL web server unreachable: ${describe(e)}`);
      throw new FiscalError('timeout', `ATOL web server did not confirm the request: ${describe(e)}; it may have been accepted`);
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status !== 200 && res.status !== 201) throw bad(`the web server refused the request with HTTP ${res.status}`);
  }

  private async poll(url: string, tasks: number, deadline: number, uuid: string): Promise<TaskOutcome[]> {
    let last = 'no answer yet';
    for (;;) {
      if (this.disposed.signal.aborted) throw new FiscalError('offline', 'the ATOL driver was disposed');
      let res: Response | null = null;
      try {
        res = await this.fetch(url, { method: 'GET', signal: this.signal(deadline) });
      } catch (e) {
        last = describe(e);
      }
      if (res !== null) {
        if (res.status === 404) {
          await res.body?.cancel().catch(() => undefined);
          throw new FiscalError('timeout', `the ATOL web server no longer knows request ${uuid} (restarted?): its outcome is unknown`);
        }
        if (res.status === 200) {
          const outcomes = parseEnvelope(json(await readBody(res)), tasks);
          if (outcomes.every((o) => o.status !== 'wait' && o.status !== 'inProgress')) return outcomes;
          last = `tasks ${outcomes.map((o) => o.status).join(', ')}`;
        } else {
          await res.body?.cancel().catch(() => undefined);
          last = `HTTP ${res.status}`;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new FiscalError('timeout', `no result for ATOL request ${uuid} within the time allowed (${last}); its outcome is unknown`);
      await sleep(Math.min(this.opts.pollMs, left), this.disposed.signal);
    }
  }
}

async function readBody(res: Response): Promise<string> {
  const len = Number(res.headers.get('content-length') ?? '0');
  if (len > MAX_BODY) {
    await res.body?.cancel().catch(() => undefined);
    throw bad(`answer of ${len} bytes`);
  }
  const text = await res.text().catch((e: unknown) => {
    throw new FiscalError('timeout', `the ATOL answer broke off: ${describe(e)}`);
  });
  if (text.length > MAX_BODY) throw bad(`answer of ${text.length} characters`);
  return text;
}

/** Throws the FiscalError a task's final state stands for; returns for 'ready'. */
export function throwIfFailed(o: TaskOutcome): void {
  switch (o.status) {
    case 'ready':
      return;
    case 'error':
      throw atolError(o.errorCode, o.errorDescription);
    case 'interrupted':
      // Only after an earlier task's error, which `run` throws first; kept for a lone one.
      throw atolError(o.errorCode || 502, o.errorDescription);
    case 'blocked':
      // The web server stops its queue when a task left the registrar in an unknown state.
      throw new FiscalError('timeout', `the ATOL web server blocked its queue: ${o.errorDescription ?? 'state unknown'}`, false, o.errorCode || null);
    case 'canceled':
      throw new FiscalError('other', 'the ATOL task was cancelled on the web server', false, o.errorCode || null);
    case 'wait':
    case 'inProgress':
      throw bad(`task still ${o.status}`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
