import type { FiscalRegistrar, MeasureUnit } from '../../src-drivers/fiscal/registrar.js';
import { FiscalError } from '../../src-drivers/fiscal/registrar.js';
import type { Logger } from '../rpc/dispatcher.js';
import { decidePermit, type PermitCheckProvider, type PermitCodeAnswer, type PermitRefusal } from './permit/permit.js';

export type MarkingCheckState = 'pending' | 'accepted' | 'rejected' | 'unavailable';

/**
 * Why a code was refused, or why it could not be checked, as the screen translates it
 * (`fiscal.marking.<why>`): the registrar refused it, the permit check refused it (with its
 * reason), the registrar could not check, the permit check could not (or refused the till's login).
 */
export type MarkingWhy = 'refused' | PermitRefusal | 'unavailable' | 'permit_unavailable' | 'permit_unauthorized';

export interface MarkingCheckResult {
  state: MarkingCheckState;
  /** Why it was rejected (the registrar's or the permit check's words), or why no check was possible. */
  reason: string | null;
  why: MarkingWhy | null;
  /**
   * The permit check's answer when it said the unit may be sold: kept with the line, its reqId and
   * reqTimestamp go to the fiscal line as tag 1260. Null without a permit check or its answer.
   */
  permit: PermitCodeAnswer | null;
}

/** What to ask about a code: the registrar (fiscal mode), and the permit check when one is configured. */
export interface MarkingAsk {
  registrar: boolean;
}

/** A check is good for this long: the cashier rescans a code a minute later, nobody is asked again. */
const KEEP_MS = 5 * 60_000;
/**
 * "Could not check" is kept only long enough for the screen's rescan to find it: a cashier who scans
 * again a little later (the module is back) gets a fresh check.
 */
const KEEP_UNAVAILABLE_MS = 10_000;

const PENDING: MarkingCheckResult = { state: 'pending', reason: null, why: null, permit: null };
const ACCEPTED: MarkingCheckResult = { state: 'accepted', reason: null, why: null, permit: null };

/**
 * The checks of a marking code done before a marked unit is added: the registrar's (Shtrih
 * FF61/FF69, ATOL validation) in fiscal mode, and the permit check (разрешительный режим, through
 * a provider such as the ЛМ ЧЗ) whenever one is configured, fiscal mode or not. Both run at once; a
 * code is sellable only when neither refuses it. Commands are synchronous (one SQLite transaction)
 * and the checks are not: the first scan of a code starts them and is answered `pending`; the
 * result arrives as an event and the scan is sent again, finding it here.
 */
export class MarkingChecks {
  private readonly results = new Map<string, MarkingCheckResult & { at: number }>();

  constructor(
    private readonly deps: {
      registrar(): FiscalRegistrar | null;
      /** Run with the registrar to itself (the fiscal journal shares it). */
      exclusive<T>(fn: () => Promise<T>): Promise<T>;
      /** The permit check configured now; null when there is none. */
      permit(): PermitCheckProvider | null;
      now(): number;
      checked(code: string, result: MarkingCheckResult): void;
      log?: Logger;
    },
  ) {}

  /** What is known about `code` now; starts the checks when nothing is. */
  check(code: string, line: { qty: number; unit: MeasureUnit }, ask: MarkingAsk): MarkingCheckResult {
    const permit = this.deps.permit();
    if (!ask.registrar && !permit) return ACCEPTED;
    const registrar = ask.registrar ? this.deps.registrar() : null;
    if (ask.registrar && !registrar && !permit) return { state: 'unavailable', reason: 'no registrar', why: 'unavailable', permit: null };
    // What was asked is part of the key: a result without the permit check does not stand for one with it.
    const key = `${ask.registrar ? 'registrar' : '-'}|${permit?.name ?? '-'}|${code}`;
    const now = this.deps.now();
    const known = this.results.get(key);
    if (known && (known.state === 'pending' || now - known.at < keep(known))) return strip(known);
    this.prune(now);
    this.results.set(key, { ...PENDING, at: now });
    const byRegistrar: Promise<MarkingCheckResult | null> = !ask.registrar
      ? Promise.resolve(null)
      : registrar
        ? this.askRegistrar(registrar, code, line)
        : Promise.resolve({ state: 'unavailable', reason: 'no registrar', why: 'unavailable', permit: null });
    const byPermit: Promise<MarkingCheckResult | null> = permit ? this.askPermit(permit, code) : Promise.resolve(null);
    void Promise.all([byRegistrar, byPermit]).then(([r, p]) => {
      const result = combine(r, p);
      this.results.set(key, { ...result, at: this.deps.now() });
      this.deps.checked(code, result);
    });
    return PENDING;
  }

  private askRegistrar(registrar: FiscalRegistrar, code: string, line: { qty: number; unit: MeasureUnit }): Promise<MarkingCheckResult> {
    return this.deps.exclusive(() => registrar.checkMarkingCode(code, line)).then(
      (r): MarkingCheckResult =>
        !r.accepted
          ? { state: 'rejected', reason: 'the registrar refused the code', why: 'refused', permit: null }
          : r.online && !r.online.ok
            ? { state: 'rejected', reason: r.online.reason ?? 'refused by the permit check', why: 'refused', permit: null }
            : ACCEPTED,
      (e: unknown): MarkingCheckResult =>
        e instanceof FiscalError && e.code === 'marking_invalid'
          ? { state: 'rejected', reason: e.message, why: 'refused', permit: null }
          : { state: 'unavailable', reason: e instanceof Error ? e.message : String(e), why: 'unavailable', permit: null },
    );
  }

  private async askPermit(provider: PermitCheckProvider, code: string): Promise<MarkingCheckResult> {
    let answer;
    try {
      answer = await provider.check([code]);
    } catch (e) {
      answer = { ok: false as const, reason: 'bad_answer' as const, message: e instanceof Error ? e.message : String(e) };
    }
    const mine = answer.ok ? answer.codes[0] : undefined;
    if (!answer.ok || !mine) {
      const why = !answer.ok && answer.reason === 'unauthorized' ? 'permit_unauthorized' : 'permit_unavailable';
      const message = answer.ok ? 'the permit check gave no answer for the code' : answer.message;
      // The message never holds the password (the provider builds it from the address and the HTTP status).
      this.deps.log?.error('the permit check could not answer', { provider: provider.name, reason: answer.ok ? 'bad_answer' : answer.reason, message });
      return { state: 'unavailable', reason: message, why, permit: null };
    }
    const decision = decidePermit(mine, this.deps.now());
    if (!decision.sellable) return { state: 'rejected', reason: `the permit check refused the code: ${decision.reason}`, why: decision.reason, permit: null };
    return { ...ACCEPTED, permit: mine };
  }

  private prune(now: number): void {
    for (const [k, v] of this.results) if (v.state !== 'pending' && now - v.at >= keep(v)) this.results.delete(k);
  }
}

function keep(r: MarkingCheckResult): number {
  return r.state === 'unavailable' ? KEEP_UNAVAILABLE_MS : KEEP_MS;
}

function strip(r: MarkingCheckResult & { at: number }): MarkingCheckResult {
  return { state: r.state, reason: r.reason, why: r.why, permit: r.permit };
}

/**
 * Both checks together: a refusal by either wins; then "could not check" (the offline policy
 * decides); else accepted. The permit answer is kept whenever the permit check said yes, also when
 * the registrar could not check: a unit sold under the "allow" policy still carries its proof.
 */
function combine(registrar: MarkingCheckResult | null, permit: MarkingCheckResult | null): MarkingCheckResult {
  const parts = [registrar, permit].filter((p): p is MarkingCheckResult => p !== null);
  const rejected = parts.find((p) => p.state === 'rejected');
  if (rejected) return { ...rejected, permit: null };
  const answer = permit?.permit ?? null;
  const unavailable = parts.find((p) => p.state === 'unavailable');
  if (unavailable) return { ...unavailable, permit: answer };
  return { ...ACCEPTED, permit: answer };
}
