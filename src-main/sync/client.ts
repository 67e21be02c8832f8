import { z } from 'zod';
import {
  CursorsResponseSchema,
  EnrollResponseSchema,
  HEADER_APP,
  HEADER_PROTOCOL,
  PushResponseSchema,
  SYNC_PROTOCOL_VERSION,
  SyncErrorSchema,
  type CursorsResponse,
  type EnrollRequest,
  type EnrollResponse,
  type PushRequest,
  type PushResponse,
  type SyncErrorCode,
} from '../../src-common/sync/protocol.js';

/**
 * Why a request to the head office did not give an answer the till can use:
 * - `unreachable`: no connection (refused, reset, DNS, no route) — retried with back-off;
 * - `timeout`: no answer in time — the request may or may not have been applied, retried (the server de-duplicates);
 * - `tls`: the server's certificate is not trusted (or the name does not match) — retried, shown to the owner;
 * - `http`: the server answered with an error body (`code` from the protocol, or `server_error` for a 5xx without one);
 * - `bad_response`: an answer that is not what protocol v1 says (a proxy's page, a truncated body).
 */
export type SyncFailureKind = 'unreachable' | 'timeout' | 'tls' | 'http' | 'bad_response';

export class SyncRequestError extends Error {
  override readonly name = 'SyncRequestError';
  constructor(
    readonly kind: SyncFailureKind,
    /** The protocol's error code for `http`; for the other kinds, the kind itself. */
    readonly code: SyncErrorCode | 'server_error' | Exclude<SyncFailureKind, 'http'>,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** Worth trying again later on its own: the network, the server's health, a proxy. */
  get transient(): boolean {
    if (this.kind !== 'http') return true;
    return this.status === null || this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

export interface SyncClientOptions {
  /** Sent as x-lavka-app, and as the till's version at enrollment. */
  appVersion: string;
  /** Each request's limit, connecting included. */
  timeoutMs: number;
  /** Tests: another fetch. */
  fetch?: typeof fetch;
}

/** Node error codes of a certificate the TLS layer refused. */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/**
 * The head office's HTTP API (protocol v1) over Node's fetch. Every request has its own deadline
 * (AbortSignal), carries the protocol and app headers, refuses redirects (a redirect could carry
 * the credential elsewhere or downgrade to http) and is checked against the protocol's schemas.
 * It never logs: callers decide what to say, and a credential must never reach a log.
 */
export class SyncClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: SyncClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  enroll(baseUrl: string, body: EnrollRequest, signal?: AbortSignal): Promise<EnrollResponse> {
    return this.request(baseUrl, 'v1/enroll', { method: 'POST', body, credential: null, signal }, EnrollResponseSchema);
  }

  push(baseUrl: string, credential: string, body: PushRequest, signal?: AbortSignal): Promise<PushResponse> {
    return this.request(baseUrl, 'v1/push', { method: 'POST', body, credential, signal }, PushResponseSchema);
  }

  cursors(baseUrl: string, credential: string, signal?: AbortSignal): Promise<CursorsResponse> {
    return this.request(baseUrl, 'v1/cursors', { method: 'GET', body: null, credential, signal }, CursorsResponseSchema);
  }

  /** A GET of the downstream feeds (`v1/pull…`, `v1/snapshot…`); the caller parses the answer. */
  get(baseUrl: string, credential: string, path: string, signal?: AbortSignal): Promise<unknown> {
    return this.request(baseUrl, path.replace(/^\//, ''), { method: 'GET', body: null, credential, signal }, z.unknown());
  }

  /** A POST outside the push (`v1/sms/daily-turn`), its answer checked against `schema`. */
  post<S extends z.ZodType>(baseUrl: string, credential: string, path: string, body: unknown, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    return this.request(baseUrl, path.replace(/^\//, ''), { method: 'POST', body, credential, signal }, schema);
  }

  private async request<S extends z.ZodType>(
    baseUrl: string,
    path: string,
    req: { method: 'GET' | 'POST'; body: unknown; credential: string | null; signal: AbortSignal | undefined },
    schema: S,
  ): Promise<z.output<S>> {
    const url = new URL(path, `${baseUrl}/`);
    const headers: Record<string, string> = {
      [HEADER_PROTOCOL]: String(SYNC_PROTOCOL_VERSION),
      [HEADER_APP]: `lavka-pos/${this.options.appVersion}`,
      accept: 'application/json',
    };
    if (req.credential !== null) headers.authorization = `Bearer ${req.credential}`;
    if (req.body !== null) headers['content-type'] = 'application/json';
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, {
        method: req.method,
        headers,
        redirect: 'error',
        signal,
        ...(req.body !== null ? { body: JSON.stringify(req.body) } : {}),
      });
      text = await res.text();
    } catch (e) {
      throw networkError(e, deadline);
    }
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = SyncErrorSchema.safeParse(json);
      // A 5xx is the server's trouble whatever its body calls it: waited out like a network fault.
      if (res.status >= 500) {
        throw new SyncRequestError('http', 'server_error', err.success ? err.data.error.message : `the head office answered HTTP ${res.status}`, res.status);
      }
      if (err.success) throw new SyncRequestError('http', err.data.error.code, err.data.error.message, res.status);
      if (res.status === 426) throw new SyncRequestError('http', 'update_required', 'the head office needs a newer till version', res.status);
      if (res.status === 401) throw new SyncRequestError('http', 'unauthenticated', 'the head office does not know this till', res.status);
      throw new SyncRequestError('bad_response', 'bad_response', `the head office answered HTTP ${res.status} without an error body`, res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SyncRequestError('bad_response', 'bad_response', `unexpected answer from ${path}`, res.status);
    return parsed.data;
  }
}

/** What a fetch that threw means: our deadline, a refused certificate, or no connection. */
function networkError(e: unknown, deadline: AbortSignal): SyncRequestError {
  if (deadline.aborted) return new SyncRequestError('timeout', 'timeout', 'the head office did not answer in time');
  const name = (e as { name?: unknown }).name;
  if (name === 'AbortError') return new SyncRequestError('timeout', 'timeout', 'the request was cancelled');
  const code = errorCode(e);
  if (code !== null && TLS_CODES.has(code)) return new SyncRequestError('tls', 'tls', `the head office's certificate was refused (${code})`);
  return new SyncRequestError('unreachable', 'unreachable', `the head office cannot be reached${code ? ` (${code})` : ''}`);
}

/** undici wraps the socket's error: `TypeError('fetch failed', { cause })`, sometimes twice. */
function errorCode(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}
