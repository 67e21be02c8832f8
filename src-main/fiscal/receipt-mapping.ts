import { parseGs1 } from '../../src-common/gs1.js';
import type { FiscalLine, FiscalReceipt, FiscalVat, TaxSystem } from '../../src-drivers/fiscal/registrar.js';
import type { StoredReceipt } from '../db/repos/receipts.js';
import type { SettledPayment } from '../domain/tender.js';
import { permitRequisite } from './permit/permit.js';

/** The till's tax codes and the rate each states on a fiscal receipt (tag 1199). Unknown codes are refused, never guessed. */
const VAT_OF: Record<string, FiscalVat> = {
  vat22: 'vat22',
  vat20: 'vat20',
  vat10: 'vat10',
  vat7: 'vat7',
  vat5: 'vat5',
  vat0: 'vat0',
  none: 'none',
};

export class FiscalMappingError extends Error {
  override readonly name = 'FiscalMappingError';
}

/** A line's barcode is its marking code when it parses as one (GTIN, serial, crypto tail). */
function markingCodeOf(barcode: string | null): string | null {
  if (!barcode || barcode.length < 25) return null;
  const r = parseGs1(barcode, { separatorsKept: true });
  return r.ok && r.value.isMarkingCode ? r.value.elementString : null;
}

/**
 * A completed receipt as the registrar registers it: each line's own amount (after its share of
 * the discounts, exact to the kopeck as the till computed it) with the unit price the registrar
 * prints; payments by type, cash as tendered. A marked unit the permit check answered for when it
 * was scanned (`permitOf`, kept in the store with the line) carries that answer as tag 1260.
 */
export function fiscalReceiptOf(
  stored: StoredReceipt,
  payments: readonly SettledPayment[],
  o: {
    taxSystem: TaxSystem;
    cashierInn?: string;
    serviceProductIds?: ReadonlySet<number>;
    permitOf?: (markingCode: string) => { reqId: string; reqTimestamp: number } | null;
  },
): FiscalReceipt {
  const lines: FiscalLine[] = stored.lines.map((l) => {
    const vat = VAT_OF[l.taxCode];
    if (!vat) throw new FiscalMappingError(`no fiscal VAT rate for the tax code "${l.taxCode}" (line "${l.name}")`);
    const marking = markingCodeOf(l.barcode);
    const permit = marking ? (o.permitOf?.(marking) ?? null) : null;
    // The registrar prints price × quantity; the line's amount is what it must total. Round the
    // unit price half up from the discounted amount (tag 1079 is informative; tag 1043 is the amount).
    const price = l.qty > 0 ? Math.round((l.amount * 1000) / l.qty) : l.amount;
    return {
      name: l.name.slice(0, 128),
      qty: l.qty,
      unit: l.unit,
      price,
      amount: l.amount,
      vat,
      subject: marking ? 'marked_commodity' : o.serviceProductIds?.has(l.productId) ? 'service' : 'commodity',
      paymentMethod: 'full_payment',
      ...(marking ? { markingCode: marking } : {}),
      ...(permit ? { industry: permitRequisite(permit) } : {}),
    };
  });
  // Cash as handed over: the registrar works out and prints the change itself.
  const byType = new Map<'cash' | 'card', number>();
  for (const p of payments) byType.set(p.method, (byType.get(p.method) ?? 0) + (p.method === 'cash' ? p.tendered : p.amount));
  return {
    kind: stored.header.kind,
    lines,
    payments: [...byType].filter(([, amount]) => amount > 0).map(([type, amount]) => ({ type, amount })),
    taxSystem: o.taxSystem,
    cashier: { name: stored.header.cashierName, ...(o.cashierInn ? { inn: o.cashierInn } : {}) },
  };
}
