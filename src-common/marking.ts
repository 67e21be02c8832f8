import { parseGs1 } from './gs1.js';

/** Why a scanned code is not a usable Честный знак marking code. */
export type MarkingProblem =
  | 'not_gs1'
  | 'gtin_check_digit'
  | 'missing_separator'
  | 'no_serial'
  | 'crypto_missing'
  | 'crypto_truncated'
  | 'malformed';

export type MarkingParse = { ok: true; code: string; gtin: string; serial: string } | { ok: false; problem: MarkingProblem; gtin: string | null };

/** The crypto tail (AI 93) is 4 characters in the codes printed since 2021; some groups carry 44 (AI 92). */
const CRYPTO_TAIL_LENGTHS = new Set([4]);
const VERIFICATION_CODE_LENGTH = 44;

/**
 * A marking code checked for structure before anyone is asked about it: a GTIN with a valid check
 * digit, a serial, and the verification part whole (AI 93 crypto tail, or AI 91 + 92). A code whose
 * GS separators were lost (a keyboard wedge without the FNC1 setting) is refused rather than guessed:
 * the serial's end cannot be known. Returns the canonical element string (GS-separated).
 */
export function parseMarkingCode(input: string): MarkingParse {
  const r = parseGs1(input);
  if (!r.ok) {
    const gtin = r.error.gtin ?? null;
    switch (r.error.code) {
      case 'bad_check_digit':
        return { ok: false, problem: 'gtin_check_digit', gtin };
      case 'ambiguous':
        return { ok: false, problem: 'missing_separator', gtin };
      case 'not_gs1':
      case 'empty':
        return { ok: false, problem: 'not_gs1', gtin };
      default:
        return { ok: false, problem: 'malformed', gtin };
    }
  }
  const v = r.value;
  if (!v.gtin) return { ok: false, problem: 'not_gs1', gtin: null };
  if (!v.serial) return { ok: false, problem: 'no_serial', gtin: v.gtin };
  if (v.cryptoTail !== undefined) {
    if (!CRYPTO_TAIL_LENGTHS.has(v.cryptoTail.length)) return { ok: false, problem: 'crypto_truncated', gtin: v.gtin };
  } else if (v.verificationCode !== undefined) {
    if (v.verificationCode.length !== VERIFICATION_CODE_LENGTH || !v.verificationKey) return { ok: false, problem: 'crypto_truncated', gtin: v.gtin };
  } else {
    return { ok: false, problem: 'crypto_missing', gtin: v.gtin };
  }
  return { ok: true, code: v.elementString, gtin: v.gtin, serial: v.serial };
}
