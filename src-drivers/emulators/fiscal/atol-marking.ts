import type { Json } from '../../fiscal/atol/tasks.js';

/** A task's outcome inside the emulator: a result, or the driver's error code. */
export interface Refusal {
  error: number;
  description: string;
}
export type Outcome = { result: Json } | Refusal;
export const fail = (error: number, description: string): Refusal => ({ error, description });

/**
 * The ФН's marking-code procedure as ATOL runs it: one code at a time — begin, poll the status
 * until the ОИСМ answer is ready, accept or decline. Accepted codes wait for the receipt that
 * carries them; a code not accepted is refused in the receipt (420, "КМ не проверен в ФН").
 */
export class MarkingModel {
  /** ОИСМ reachable; when false the status answers with the driver's "no connection" (402). */
  online = true;
  /** Codes ОИСМ answers "incorrect" for (sold already, not in circulation…). */
  readonly rejected = new Set<string>();
  /** Status polls answered "not ready" before the answer is ready. */
  pollsBeforeReady = 1;
  private pending: { code: string; formOk: boolean; polls: number; ready: boolean } | null = null;
  private readonly accepted = new Set<string>();

  /** Codes accepted and not yet used by a receipt. */
  get acceptedCodes(): readonly string[] {
    return [...this.accepted];
  }

  begin(params: unknown): Outcome {
    if (this.pending) return fail(401, 'Процедура проверки КМ уже запущена');
    const code = decodeImc(params);
    if (code === null) return fail(501, 'Ошибка парсинга запроса: params.imc');
    // The ФН checks the form: GTIN (01 + 14 digits), serial (21 …) and a GS before the crypto tail.
    const gs = code.indexOf(GS);
    const formOk = /^01\d{14}21/.test(code) && gs > 18;
    this.pending = { code, formOk, polls: 0, ready: false };
    return { result: { offlineValidation: { fmCheck: true, fmCheckResult: formOk, fmCheckErrorReason: formOk ? 'checked' : 'noKeys' } } };
  }

  status(): Outcome {
    const p = this.pending;
    if (!p) return fail(420, 'КМ не проверен в ФН');
    if (p.polls++ < this.pollsBeforeReady) return { result: { ready: false, sentImcRequest: true } };
    p.ready = true;
    if (!this.online) return { result: { ready: true, sentImcRequest: true, driverError: { code: 402, description: 'Ошибка соединения с сервером' } } };
    const ok = p.formOk && !this.rejected.has(p.code);
    return {
      result: {
        ready: true,
        sentImcRequest: true,
        driverError: { code: 0, description: 'Ошибок нет' },
        onlineValidation: {
          itemInfoCheckResult: { imcCheckFlag: true, imcCheckResult: ok, imcStatusInfo: true, imcEstimatedStatusCorrect: ok, ecrStandAloneFlag: false },
          markOperatorItemStatus: ok ? 'itemEstimatedStatusCorrect' : 'itemEstimatedStatusIncorrect',
          markOperatorResponse: { responseStatus: true, itemStatusCheck: ok },
          markOperatorResponseResult: ok ? 'correct' : 'incorrect',
          imcType: 'imcFmVerifyCode44',
          imcBarcode: '',
          imcModeProcessing: 0,
        },
      },
    };
  }

  accept(): Outcome {
    const p = this.pending;
    if (!p) return fail(420, 'КМ не проверен в ФН');
    if (!p.ready) return fail(423, 'Выполняется проверка КМ');
    this.pending = null;
    this.accepted.add(p.code);
    return { result: { itemInfoCheckResult: { imcCheckFlag: true, imcCheckResult: p.formOk, imcStatusInfo: true, imcEstimatedStatusCorrect: p.formOk, ecrStandAloneFlag: false } } };
  }

  /** Decline or cancel: the procedure ends without the code. */
  drop(): Outcome {
    this.pending = null;
    return { result: {} };
  }

  /** A receipt line carries `imcParams`: was that code accepted? */
  canUse(imcParams: unknown): string | null {
    const code = decodeImc(imcParams);
    return code !== null && this.accepted.has(code) ? code : null;
  }

  consume(codes: string[]): void {
    for (const c of codes) this.accepted.delete(c);
  }
}

const GS = String.fromCharCode(0x1d);

function decodeImc(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  const imc = (params as { imc?: unknown }).imc;
  if (typeof imc !== 'string' || imc.length === 0 || !/^[A-Za-z0-9+/]+=*$/.test(imc)) return null;
  return Buffer.from(imc, 'base64').toString('utf8');
}
