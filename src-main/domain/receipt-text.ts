import { formatMoney, type CurrencyFormat } from '../../src-common/money.js';
import type { ReceiptView } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';

const LABELS = {
  ru: { returnReceipt: 'Возврат', refund: 'Возвращено', receipt: 'Чек', cashier: 'Кассир', total: 'ИТОГО', discount: 'Скидка', vat: 'НДС', cash: 'Наличные', card: 'Карта', change: 'Сдача', none: 'без НДС' },
  en: { returnReceipt: 'Return', refund: 'Refunded', receipt: 'Receipt', cashier: 'Cashier', total: 'TOTAL', discount: 'Discount', vat: 'VAT', cash: 'Cash', card: 'Card', change: 'Change', none: 'no VAT' },
} as const;

export interface ReceiptTextOptions {
  storeName: string;
  width: number;
  language: 'ru' | 'en';
  money: CurrencyFormat;
  timeZone: string;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(language: 'ru' | 'en', timeZone: string): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' });
    dateTimeFormats.set(key, f);
  }
  return f;
}

function pair(left: string, right: string, width: number): string {
  const space = width - right.length;
  if (left.length + 1 <= space) return left + ' '.repeat(space - left.length) + right;
  return `${left}\n${' '.repeat(Math.max(0, width - right.length))}${right}`;
}

function qtyText(qty: number, unit: string): string {
  if (unit === 'pcs') return String(qty / 1000);
  return (qty / 1000).toFixed(3);
}

/** A receipt as fixed-width text: what the receipt printer prints and the screen previews. */
export function receiptText(r: ReceiptView, o: ReceiptTextOptions): string {
  const L = LABELS[o.language];
  const m = (a: number): string => formatMoney(a as Minor, o.money, false);
  const rule = '-'.repeat(o.width);
  const at = dateTimeFormat(o.language, o.timeZone).format(r.completedAt ?? r.openedAt);
  const out: string[] = [];
  const centre = (s: string): string => ' '.repeat(Math.max(0, Math.floor((o.width - s.length) / 2))) + s;
  out.push(centre(o.storeName));
  out.push(pair(`${r.kind === 'return' ? L.returnReceipt : L.receipt} № ${r.number ?? '-'}`, at, o.width));
  out.push(`${L.cashier}: ${r.cashier}`);
  out.push(rule);
  for (const l of r.lines) {
    out.push(l.name.length > o.width ? l.name.slice(0, o.width) : l.name);
    out.push(pair(`  ${qtyText(l.qty, l.unit)} x ${m(l.price)}`, m(l.gross), o.width));
    if (l.discountTotal > 0) out.push(pair(`  ${L.discount}`, `-${m(l.discountTotal)}`, o.width));
  }
  out.push(rule);
  out.push(pair(L.total, m(r.total), o.width));
  for (const v of r.vat) {
    out.push(pair(v.bp === 0 && v.code === 'none' ? L.none : `${L.vat} ${v.bp / 100}%`, m(v.amount), o.width));
  }
  for (const p of r.payments) {
    const method = p.method === 'cash' ? L.cash : L.card;
    out.push(pair(r.kind === 'return' ? `${L.refund}: ${method}` : method, m(p.tendered), o.width));
  }
  if (r.change > 0) out.push(pair(L.change, m(r.change), o.width));
  return out.join('\n') + '\n';
}
