/**
 * Sending SMS through a provider's HTTP API. One real provider shape is implemented: SMS.ru's
 * (`/sms/send`, `/sms/status`, `/my/balance`, JSON answers with numeric status codes). Its codes are
 * written here from its public documentation as remembered, unverified against the live service:
 * each one is mapped to a typed error the screens translate and the sender acts on (retry or not).
 */

export type SmsErrorCode =
  /** The API key is wrong or revoked: nothing will go until the owner fixes it. */
  | 'bad_auth'
  /** The sender name is not approved for this account. */
  | 'bad_sender'
  /** The text is longer than the provider takes in one request. */
  | 'too_long'
  /** The number cannot receive (landline, invalid). */
  | 'bad_number'
  /** The number is on a stop list, or refused messages from us. */
  | 'blocked_number'
  /** The account has no money left. */
  | 'no_balance'
  /** Too many messages to this number or per day: later. */
  | 'rate_limited'
  /** The provider answered that it cannot serve now, or with a server error: later. */
  | 'unavailable'
  /** No answer (offline, timeout): later. */
  | 'network'
  /** An answer we cannot read. */
  | 'bad_response';

const RETRYABLE = new Set<SmsErrorCode>(['rate_limited', 'unavailable', 'network', 'bad_response']);

export class SmsProviderError extends Error {
  override readonly name = 'SmsProviderError';
  readonly retryable: boolean;
  constructor(
    readonly code: SmsErrorCode,
    message: string,
    /** The provider's own status code, when it gave one. */
    readonly providerCode: number | null = null,
  ) {
    super(message);
    this.retryable = RETRYABLE.has(code);
  }
}

export type SmsDelivery = 'queued' | 'sent' | 'delivered' | 'failed';

export interface SmsProvider {
  /** Hand a message over; resolves with the provider's id for it. */
  send(to: string, text: string, sender: string): Promise<{ providerId: string }>;
  status(providerId: string): Promise<SmsDelivery>;
  /** The account's balance in minor units (kopecks). */
  balance(): Promise<number>;
}

/** SMS.ru status codes for a request, as documented (unverified here), and what they mean for us. */
const SEND_ERRORS: Record<number, SmsErrorCode> = {
  200: 'bad_auth',
  300: 'bad_auth',
  301: 'bad_auth',
  302: 'bad_auth',
  201: 'no_balance',
  202: 'bad_number',
  204: 'bad_sender',
  205: 'too_long',
  206: 'rate_limited',
  207: 'blocked_number',
  209: 'blocked_number',
  220: 'unavailable',
  230: 'rate_limited',
};
/** Delivery status codes: 100–102 on the way, 103 delivered, 104–108 and 150 failed. */
function delivery(code: number): SmsDelivery {
  if (code === 103) return 'delivered';
  if (code === 100) return 'queued';
  if (code === 101 || code === 102) return 'sent';
  return 'failed';
}

interface Answer {
  status?: unknown;
  status_code?: unknown;
  status_text?: unknown;
  sms?: Record<string, { status?: unknown; status_code?: unknown; sms_id?: unknown; status_text?: unknown }>;
  balance?: unknown;
}

export class SmsRuProvider implements SmsProvider {
  constructor(
    private readonly o: { baseUrl: string; apiId: string; timeoutMs?: number; fetch?: typeof fetch },
  ) {}

  async send(to: string, text: string, sender: string): Promise<{ providerId: string }> {
    const a = await this.call('/sms/send', { to: to.replace(/^\+/, ''), msg: text, from: sender });
    const one = Object.values(a.sms ?? {})[0];
    if (!one) throw new SmsProviderError('bad_response', 'the answer names no message');
    if (one.status !== 'OK') throw this.error(Number(one.status_code), String(one.status_text ?? 'refused'));
    if (typeof one.sms_id !== 'string' || one.sms_id === '') throw new SmsProviderError('bad_response', 'the answer has no message id');
    return { providerId: one.sms_id };
  }

  async status(providerId: string): Promise<SmsDelivery> {
    const a = await this.call('/sms/status', { sms_id: providerId });
    const one = a.sms?.[providerId];
    if (!one) throw new SmsProviderError('bad_response', 'the answer does not name the message');
    if (one.status !== 'OK') throw this.error(Number(one.status_code), String(one.status_text ?? 'unknown message'));
    return delivery(Number(one.status_code));
  }

  async balance(): Promise<number> {
    const a = await this.call('/my/balance', {});
    const value = Number(a.balance);
    if (!Number.isFinite(value)) throw new SmsProviderError('bad_response', 'the balance cannot be read');
    return Math.round(value * 100);
  }

  private error(code: number, text: string): SmsProviderError {
    return new SmsProviderError(SEND_ERRORS[code] ?? 'unavailable', `${code}: ${text}`, Number.isFinite(code) ? code : null);
  }

  /** A POST with the API key; the request-level status checked (OK, or an error code mapped). */
  private async call(path: string, params: Record<string, string>): Promise<Answer> {
    const body = new URLSearchParams({ api_id: this.o.apiId, json: '1', ...params });
    let res: Response;
    try {
      res = await (this.o.fetch ?? fetch)(new URL(path, this.o.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new SmsProviderError('network', e instanceof Error ? e.message : String(e));
    }
    if (res.status >= 500) throw new SmsProviderError('unavailable', `HTTP ${res.status}`);
    let a: Answer;
    try {
      a = (await res.json()) as Answer;
    } catch {
      throw new SmsProviderError('bad_response', `HTTP ${res.status}: not JSON`);
    }
    if (a === null || typeof a !== 'object') throw new SmsProviderError('bad_response', 'not an object');
    if (a.status !== 'OK') throw this.error(Number(a.status_code), String(a.status_text ?? 'refused'));
    return a;
  }
}
