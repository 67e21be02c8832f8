import { receiptCode } from '../../src-common/receipt-code.js';
import type { ReceiptLoyalty, ReceiptView } from '../../src-common/rpc/schemas.js';
import type { StoredReceipt } from '../db/repos/receipts.js';
import type { SettingsRepo } from '../db/repos/settings.js';
import type { ReceiptTextOptions } from '../domain/receipt-text.js';
import type { SettledPayment } from '../domain/tender.js';

/** The wire view of a stored receipt. */
export function toReceiptView(r: StoredReceipt, payments: readonly SettledPayment[], loyalty: ReceiptLoyalty | null = r.header.loyalty ?? null): ReceiptView {
  const vat = new Map<string, { code: string; bp: number; amount: number }>();
  for (const l of r.lines) {
    const v = vat.get(l.taxCode) ?? { code: l.taxCode, bp: l.taxBp, amount: 0 };
    v.amount += l.vatAmount;
    vat.set(l.taxCode, v);
  }
  return {
    id: r.header.id,
    kind: r.header.kind,
    state: r.header.state,
    code: receiptCode(r.header.id),
    originalId: r.header.originalId,
    number: r.header.number,
    openedAt: r.header.openedAt,
    completedAt: r.header.completedAt,
    cashier: r.header.cashierName,
    lines: r.lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      name: l.name,
      unit: l.unit,
      qty: l.qty,
      price: l.price,
      basePrice: l.basePrice,
      priceOverridden: l.price !== l.basePrice,
      barcode: l.barcode,
      gross: l.gross,
      discount: l.discount,
      discountTotal: l.discountTotal,
      amount: l.amount,
      vat: { code: l.taxCode, bp: l.taxBp },
      vatAmount: l.vatAmount,
    })),
    discount: r.header.discount,
    subtotal: r.header.subtotal,
    discountTotal: r.header.discountTotal,
    total: r.header.total,
    vat: [...vat.values()],
    payments: payments.map((p) => ({ method: p.method, amount: p.amount, tendered: p.tendered, change: p.change })),
    change: r.header.change,
    loyalty,
  };
}

/** How receipts are laid out on this till: store name, paper width, language, money, time zone, template. */
export function receiptLayout(s: SettingsRepo): ReceiptTextOptions {
  return {
    storeName: s.get('store.name'),
    width: 42,
    language: s.get('language'),
    money: { currency: s.get('currency'), locale: s.get('locale'), minorDigits: s.get('currency.minorDigits') },
    timeZone: s.get('timeZone'),
    template: s.get('receipt.template'),
    logo: s.get('receipt.logo'),
  };
}
