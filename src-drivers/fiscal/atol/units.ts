/**
 * ATOL's JSON carries money in roubles and quantities in units as plain JSON numbers (89.9, 1.234);
 * the till keeps kopecks and thousandths as integers. These are the only crossings between the two.
 *
 * Outgoing: `n / 100` is exact in the sense that matters. IEEE division is correctly rounded, so
 * `8990 / 100` is the double nearest to 89.9, the same double the literal `89.9` parses to, and
 * JSON.stringify prints its shortest round-trip form, "89.9". No float drift reaches the wire as
 * long as `n` is a safe integer, which `assertMinor` checks.
 *
 * Incoming: the registrar's numbers are parsed through their decimal text, never `x * 100`, and
 * anything with more than the allowed decimals (or in exponent form) is rejected, not rounded.
 */

export function isMinor(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** Kopecks → roubles as a JSON number (8990 → 89.9). */
export function toRoubles(minor: number): number {
  return minor / 100;
}

/** Thousandths → units as a JSON number (1234 → 1.234). */
export function toUnits(thousandths: number): number {
  return thousandths / 1000;
}

/** Roubles from the registrar → kopecks; null when the value is not a number with at most 2 decimals. */
export function roublesToMinor(v: unknown): number | null {
  return scaled(v, 2);
}

/** Units from the registrar → thousandths; null when not a number with at most 3 decimals. */
export function unitsToThousandths(v: unknown): number | null {
  return scaled(v, 3);
}

function scaled(v: unknown, decimals: number): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  // String(v) is the shortest round-trip form; exponent forms (1e21, 1e-7) fail the pattern.
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(v));
  if (!m) return null;
  const [, sign = '', whole = '', frac = ''] = m;
  if (frac.length > decimals || whole.length > 15 - decimals) return null;
  const n = Number(whole + frac.padEnd(decimals, '0'));
  return sign === '-' && n !== 0 ? -n : n;
}

/**
 * ATOL date-times are ISO-8601 with an offset ("2026-03-01T10:15:00+03:00"); a missing offset is
 * read as Moscow time (+03:00), the registrar's usual setting. Null when unreadable.
 */
export function parseAtolDateTime(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', zone = '+03:00'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isFinite(t) ? t : null;
}

/** The inverse, in Moscow time, for the emulator's answers. */
export function formatAtolDateTime(epochMs: number): string {
  const msk = new Date(epochMs + 3 * 3_600_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${msk.getUTCFullYear()}-${p(msk.getUTCMonth() + 1)}-${p(msk.getUTCDate())}` +
    `T${p(msk.getUTCHours())}:${p(msk.getUTCMinutes())}:${p(msk.getUTCSeconds())}+03:00`
  );
}

/**
 * A calendar day as ATOL's JSON dates carry it, "YYYY.MM.DD" (correctionBaseDate, industryInfo
 * date: KKTServiceLib's CustomDateTimeConverter("yyyy.MM.dd"), node-atol-rpc's AtolDate). From an
 * instant: its day in Moscow time, like the date-times above.
 */
export function formatAtolDate(epochMs: number): string {
  return formatAtolDateTime(epochMs).slice(0, 10).replaceAll('-', '.');
}

/** DD.MM.YYYY (tag 1263 as the ФНС order prints it) → YYYY.MM.DD; the input unchanged if not that form. */
export function ddmmyyyyToAtol(date: string): string {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(date);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
}
