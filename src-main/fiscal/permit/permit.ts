import type { IndustryRequisite } from '../../../src-drivers/fiscal/registrar.js';

/**
 * The permit check (разрешительный режим): before a marked unit is sold, Честный знак is asked
 * whether this very code may be sold now (it exists, is in circulation, is not sold already, not
 * blocked by an authority, not past its expiry date). The answer's request id and time go into the
 * fiscal receipt line as the industry requisite (tag 1260), the proof the check was made.
 *
 * Who answers is a provider: `local_module` is the Честный знак local module (ЛМ ЧЗ) in the shop's
 * network; `none` means no permit check (the registrar's own check still runs in fiscal mode).
 */
export interface PermitCheckProvider {
  /** Names the provider and where it asks (never a secret): part of the cache key of a check. */
  readonly name: string;
  /** One answer per code asked, in order; or why no answer could be had. Never rejects. */
  check(codes: string[]): Promise<PermitAnswer>;
}

export type PermitProviderKind = 'none' | 'local_module';

/** What the permit check said about one code. Booleans are null where the answer did not say. */
export interface PermitCodeAnswer {
  /** The code as it was asked (the till's canonical form, GS-separated). */
  code: string;
  /** Честный знак knows the code. */
  found: boolean;
  /** The code's structure and crypto tail are valid. */
  valid: boolean | null;
  /** The crypto check passed. */
  verified: boolean | null;
  /** The code was reported as applied to goods (нанесён). */
  utilised: boolean | null;
  /** The unit is in circulation and may be sold. */
  realizable: boolean | null;
  /** The unit left circulation already (sold). */
  sold: boolean | null;
  /** Blocked by a decision of an authority. */
  blocked: boolean | null;
  /** Expiry date of the goods (epoch ms), when the product group has one. */
  expiresAt: number | null;
  /** The check's request id and time: tag 1265 carries them (`UUID=<reqId>&Time=<reqTimestamp>`). */
  reqId: string;
  reqTimestamp: number;
}

/** Why no answer could be had: the till's offline policy decides what happens then. */
export type PermitUnavailableReason = 'unreachable' | 'timeout' | 'unauthorized' | 'not_ready' | 'http_error' | 'module_error' | 'bad_answer';

export type PermitAnswer = { ok: true; codes: PermitCodeAnswer[] } | { ok: false; reason: PermitUnavailableReason; message: string };

/** Why the permit check says a code may not be sold. */
export type PermitRefusal = 'not_found' | 'invalid' | 'sold' | 'blocked' | 'expired';

export type PermitDecision = { sellable: true } | { sellable: false; reason: PermitRefusal };

/**
 * May this unit be sold, by the permit check's answer? A field the answer does not give is not held
 * against the code; a field that says no is. The first reason in this order is the one reported:
 * an unknown code, a code that is not genuine, blocked, sold, past its expiry, and last a code that
 * is genuine but not in circulation (never reported applied, or not realizable).
 */
export function decidePermit(a: PermitCodeAnswer, now: number): PermitDecision {
  if (!a.found) return { sellable: false, reason: 'not_found' };
  if (a.valid === false || a.verified === false) return { sellable: false, reason: 'invalid' };
  if (a.blocked === true) return { sellable: false, reason: 'blocked' };
  if (a.sold === true) return { sellable: false, reason: 'sold' };
  if (a.expiresAt !== null && a.expiresAt <= now) return { sellable: false, reason: 'expired' };
  if (a.utilised === false || a.realizable === false) return { sellable: false, reason: 'invalid' };
  return { sellable: true };
}

/**
 * Tag 1260 for a unit sold under the permit regime: 1262 ФОИВ id "030", 1263 the date and 1264 the
 * number of the act that set the regime up (Постановление Правительства РФ от 21.11.2023 № 1944),
 * 1265 `UUID=<reqId>&Time=<reqTimestamp>` from the check's answer.
 *
 * Sources: these four constants and the value format are the same in independent public
 * integrations (an ATOL driver integration writing `SetAttributeStr(1262, '030')`, `(1263,
 * '21.11.2023')`, `(1264, '1944')`, `(1265, Format('UUID=%s&Time=%s', …))`; a PHP SDK for
 * Ecomkassa/МойСклад `SectoralItemProps` with FEDERAL_ID_DEFAULT '030', DATE_DEFAULT '21.11.2023',
 * NUMBER_DEFAULT '1944', VALUE_FORMAT 'UUID=%s&Time=%s'; a Dart client citing "Постановление
 * Правительства РФ № 1944 от 21.11.2023 (ФОИВ 030)"). Not verified against the ФНС/ЦРПТ text
 * itself, nor which body the id 030 names. The act is a government decree (постановление), not an
 * order (приказ). Time is the reqTimestamp exactly as the check gave it (epoch milliseconds).
 */
export const PERMIT_REQUISITE = { foiv: '030', date: '21.11.2023', number: '1944' } as const;

export function permitRequisite(a: { reqId: string; reqTimestamp: number }): IndustryRequisite {
  return { ...PERMIT_REQUISITE, value: `UUID=${a.reqId}&Time=${a.reqTimestamp}` };
}
