import type { FiscalRegistrar, MeasureUnit } from '../../src-drivers/fiscal/registrar.js';
import { FiscalError } from '../../src-drivers/fiscal/registrar.js';

export type MarkingCheckState = 'pending' | 'accepted' | 'rejected' | 'unavailable';

export interface MarkingCheckResult {
  state: MarkingCheckState;
  /** Why it was rejected (the registrar's or the permit check's words), or why no check was possible. */
  reason: string | null;
}

/** A check is good for this long: the cashier rescans a code a minute later, the registrar is asked again. */
const KEEP_MS = 5 * 60_000;

/**
 * The registrar's check of marking codes (Shtrih FF61/FF69, ATOL validation), done before a marked
 * unit is added. Commands are synchronous (one SQLite transaction) and the registrar is not: the
 * first scan of a code starts the check and is answered `pending`; the result arrives as an event
 * and the scan is sent again, finding it here.
 */
export class MarkingChecks {
  private readonly results = new Map<string, MarkingCheckResult & { at: number }>();

  constructor(
    private readonly deps: {
      registrar(): FiscalRegistrar | null;
      /** Run with the registrar to itself (the fiscal journal shares it). */
      exclusive<T>(fn: () => Promise<T>): Promise<T>;
      now(): number;
      checked(code: string, result: MarkingCheckResult): void;
    },
  ) {}

  /** What is known about `code` now; starts a check when nothing is. */
  check(code: string, line: { qty: number; unit: MeasureUnit }): MarkingCheckResult {
    const known = this.results.get(code);
    const now = this.deps.now();
    if (known && (known.state === 'pending' || now - known.at < KEEP_MS)) return known;
    const registrar = this.deps.registrar();
    if (!registrar) return { state: 'unavailable', reason: 'no registrar' };
    this.results.set(code, { state: 'pending', reason: null, at: now });
    void this.deps
      .exclusive(() => registrar.checkMarkingCode(code, line))
      .then(
        (r): MarkingCheckResult =>
          !r.accepted ? { state: 'rejected', reason: 'the registrar refused the code' } : r.online && !r.online.ok ? { state: 'rejected', reason: r.online.reason ?? 'refused by the permit check' } : { state: 'accepted', reason: null },
        (e: unknown): MarkingCheckResult =>
          e instanceof FiscalError && e.code === 'marking_invalid' ? { state: 'rejected', reason: e.message } : { state: 'unavailable', reason: e instanceof Error ? e.message : String(e) },
      )
      .then((result) => {
        this.results.set(code, { ...result, at: this.deps.now() });
        this.deps.checked(code, result);
      });
    return { state: 'pending', reason: null };
  }
}
