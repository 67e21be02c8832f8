import type { PermitAnswer, PermitCheckProvider, PermitCodeAnswer, PermitUnavailableReason } from './permit.js';

/**
 * The Честный знак local module (ЛМ ЧЗ): a service in the shop's network that keeps a replica of
 * the code states and answers permit checks when the internet is down. Our own client over fetch.
 *
 * What we rely on, and where it comes from. ЦРПТ's own documentation of the module is behind a
 * login; these facts are from public integrations, chiefly FMU-API (github.com/shrayky/FMU-API,
 * src/Infrastructure/LocalModuleIntegration/Service/LocalModuleServiceV1.cs and V2.cs, and
 * src/Core/FmuApiDomain/{LocalModule,TrueApi/MarkData}/…, commit 39ad1f5, 2026-08-19), matched by
 * other integrations' code and a public emulator:
 * - Basic auth with the module's login and password on every request (seen: FMU-API, a Qt test
 *   tool, a WPF checker). Default address http://localhost:5995 (FMU-API's default).
 * - `GET /api/v1/status` → `{ status: 'ready' | 'initialization' | 'sync_error' | 'not_configured',
 *   operationMode: 'active' | 'service', lastSync (epoch ms), version, inst, name, requiresDownload }`
 *   (FMU-API LocalModuleState). Only `ready` is taken to answer checks (FMU-API's IsReady); that the
 *   other states give wrong or no answers is our reading, not a documented fact.
 * - `GET /api/v1/cis/outCheck?cis=<code, URL-encoded, GS included>` → `{ code: 0, description,
 *   reqId, reqTimestamp (epoch ms), inst, version, codes: [{ cis, found, valid, verified, utilised,
 *   realizable, sold, isBlocked, expireDate, gtin, … }] }` (FMU-API V1 + CheckMarksDataTrueApi +
 *   CodeDataTrueApi); `code` other than 0 is an error with `description`. The code fields are those
 *   of True API `codes/check`. (Version 2 of the module takes `POST /api/v2/cis/outCheck` with
 *   `{cis_list: [{cis}]}` and wraps the same answer in `results: [...]`; not used here.)
 * Unverified: the HTTP status the module gives for a code it does not know (we expect 200 with
 * `found: false`; anything but 200 is treated as "no answer"), the exact format of `expireDate`
 * (ISO date-time is parsed; epoch ms accepted too), and whether `utilised` means "applied to goods"
 * (True API's description, as we read it) in every product group.
 *
 * Anything but a clear answer (no connection, timeout, HTTP error, 401, a module not ready, an
 * answer we cannot read) is `unavailable`: the till's offline policy decides, never a crash.
 */
export interface LocalModuleOptions {
  /** The module's base URL, e.g. http://192.168.1.20:5995 (no credentials in it). */
  url: string;
  login: string;
  password: string;
  /** The whole check (status + one request per code) must answer within this. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The cashier is waiting on the scan; a module in the shop's own network answers in milliseconds. */
export const LOCAL_MODULE_TIMEOUT_MS = 2_000;
const MAX_BODY = 256 * 1024;

type Got = { ok: true; body: unknown } | Extract<PermitAnswer, { ok: false }>;

const unavailable = (reason: PermitUnavailableReason, message: string): Extract<PermitAnswer, { ok: false }> => ({ ok: false, reason, message });

export class LocalModulePermitCheck implements PermitCheckProvider {
  readonly name: string;
  private readonly base: URL;
  private readonly auth: string | null;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: LocalModuleOptions) {
    this.base = new URL(opts.url);
    if (this.base.username || this.base.password) throw new Error('the local module URL must not carry credentials');
    this.name = `local_module ${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}`;
    this.auth = opts.login || opts.password ? `Basic ${Buffer.from(`${opts.login}:${opts.password}`, 'utf8').toString('base64')}` : null;
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? LOCAL_MODULE_TIMEOUT_MS;
  }

  async check(codes: string[]): Promise<PermitAnswer> {
    try {
      const deadline = Date.now() + this.timeoutMs;
      const status = await this.get('/api/v1/status', deadline);
      if (!status.ok) return status;
      const state = field(status.body, 'status');
      if (state !== 'ready') return unavailable('not_ready', `the local module is not ready to answer (status "${typeof state === 'string' ? state.slice(0, 40) : '?'}")`);
      const answers: PermitCodeAnswer[] = [];
      for (const code of codes) {
        const got = await this.get(`/api/v1/cis/outCheck?cis=${encodeURIComponent(code)}`, deadline);
        if (!got.ok) return got;
        const answer = parseOutCheck(got.body, code);
        if ('reason' in answer) return answer;
        answers.push(answer);
      }
      return { ok: true, codes: answers };
    } catch (e) {
      // A bug of ours must not stop the scan either: the policy decides, as for any other non-answer.
      return unavailable('bad_answer', `the local module check failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async get(path: string, deadline: number): Promise<Got> {
    const url = new URL(path.replace(/^\//, ''), this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`);
    const where = `${url.origin}${url.pathname}`;
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    let res: Response;
    try {
      res = await this.fetch(url, { method: 'GET', headers: { accept: 'application/json', ...(this.auth ? { authorization: this.auth } : {}) }, signal });
    } catch (e) {
      if (signal.aborted) return unavailable('timeout', `the local module did not answer within ${this.timeoutMs} ms (${where})`);
      const code = causeCode(e);
      return unavailable('unreachable', `the local module cannot be reached at ${where}${code ? ` (${code})` : ''}`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel().catch(() => undefined);
      return unavailable('unauthorized', `the local module refused the login and password (HTTP ${res.status}): check them in the fiscal settings`);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return unavailable('http_error', `the local module answered HTTP ${res.status} (${where})`);
    }
    let text: string;
    try {
      text = await readBody(res);
    } catch (e) {
      if (signal.aborted) return unavailable('timeout', `the local module's answer did not arrive within ${this.timeoutMs} ms (${where})`);
      return unavailable('bad_answer', `the local module's answer broke off: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return unavailable('bad_answer', `the local module's answer is not JSON (${where})`);
    }
  }
}

async function readBody(res: Response): Promise<string> {
  const len = Number(res.headers.get('content-length') ?? '0');
  if (len > MAX_BODY) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`answer of ${len} bytes`);
  }
  const text = await res.text();
  if (text.length > MAX_BODY) throw new Error(`answer of ${text.length} characters`);
  return text;
}

function causeCode(e: unknown): string | null {
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

function bool(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

/** Epoch ms from an ISO date(-time) or a number; null when absent or unreadable. */
function instant(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v === '') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** One outCheck answer for `code`: the code's facts with the request's id and time, or why it is unreadable. */
export function parseOutCheck(body: unknown, code: string): PermitCodeAnswer | Extract<PermitAnswer, { ok: false }> {
  if (typeof body !== 'object' || body === null) return unavailable('bad_answer', 'the local module answered something that is not an object');
  const rc = field(body, 'code');
  if (rc !== undefined && rc !== 0) {
    const d = field(body, 'description');
    return unavailable('module_error', `the local module answered error ${String(rc).slice(0, 20)}${typeof d === 'string' ? `: ${d.slice(0, 200)}` : ''}`);
  }
  const reqId = field(body, 'reqId');
  const ts = field(body, 'reqTimestamp');
  const reqTimestamp = typeof ts === 'number' ? ts : typeof ts === 'string' && /^\d{1,16}$/.test(ts) ? Number(ts) : NaN;
  if (typeof reqId !== 'string' || reqId === '' || reqId.length > 100 || !Number.isSafeInteger(reqTimestamp)) {
    // Without them the sale cannot prove the check in tag 1260: as good as no answer.
    return unavailable('bad_answer', 'the local module answer has no reqId or reqTimestamp');
  }
  const list = field(body, 'codes');
  const first = Array.isArray(list) ? (list as unknown[])[0] : undefined;
  if (typeof first !== 'object' || first === null) return unavailable('bad_answer', 'the local module answer holds no code');
  const found = bool(field(first, 'found'));
  if (found === null) return unavailable('bad_answer', 'the local module answer does not say whether the code was found');
  return {
    code,
    found,
    valid: bool(field(first, 'valid')),
    verified: bool(field(first, 'verified')),
    utilised: bool(field(first, 'utilised')),
    realizable: bool(field(first, 'realizable')),
    sold: bool(field(first, 'sold')),
    blocked: bool(field(first, 'isBlocked')),
    expiresAt: instant(field(first, 'expireDate')),
    reqId,
    reqTimestamp,
  };
}
