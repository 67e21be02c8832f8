import { formatMoney, type CurrencyFormat } from '../../src-common/money.js';
import { documentText, type PrintBlock, type PrintDocument } from '../../src-common/print-document.js';
import type { Logo, ReceiptView } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';

const LABELS = {
  ru: {
    returnReceipt: 'Возврат', refund: 'Возвращено', receipt: 'Чек', cashier: 'Кассир', total: 'ИТОГО', discount: 'Скидка', vat: 'НДС', cash: 'Наличные', card: 'Карта', change: 'Сдача', none: 'без НДС',
    loyalty: 'Программа лояльности', tier: 'Уровень', tierDiscount: 'Скидка по уровню', coupon: 'Купон', spent: 'Списано баллов', earned: 'Начислено баллов', balance: 'Баланс баллов',
  },
  en: {
    returnReceipt: 'Return', refund: 'Refunded', receipt: 'Receipt', cashier: 'Cashier', total: 'TOTAL', discount: 'Discount', vat: 'VAT', cash: 'Cash', card: 'Card', change: 'Change', none: 'no VAT',
    loyalty: 'Loyalty programme', tier: 'Tier', tierDiscount: 'Tier discount', coupon: 'Coupon', spent: 'Points spent', earned: 'Points earned', balance: 'Points balance',
  },
} as const;

/** What the owner may adjust on the printed receipt (setting `receipt.template`). */
export interface ReceiptTemplate {
  /** Lines under the store name (address, INN, phone). */
  header: string[];
  /** Lines at the end (thanks, returns policy, a web address). */
  footer: string[];
  showCashier: boolean;
  showVat: boolean;
  /** The receipt's own code, for a return by scan: as a QR, a Code 128 barcode, or not at all. */
  code: 'qr' | 'barcode' | 'none';
  /** Print the store's logo (setting `receipt.logo`) above its name. Absent in templates saved before logos. */
  showLogo?: boolean;
}

export const DEFAULT_RECEIPT_TEMPLATE: ReceiptTemplate = { header: [], footer: [], showCashier: true, showVat: true, code: 'barcode', showLogo: false };

export interface ReceiptTextOptions {
  storeName: string;
  width: number;
  language: 'ru' | 'en';
  money: CurrencyFormat;
  timeZone: string;
  template?: ReceiptTemplate;
  /** The store's logo, printed when the template asks for it. */
  logo?: Logo | null;
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

function qtyText(qty: number, unit: string): string {
  if (unit === 'pcs') return String(qty / 1000);
  return (qty / 1000).toFixed(3);
}

/**
 * A completed receipt as a printable document, laid out by the owner's template: what the receipt
 * printer prints (each driver encodes it for its model) and, as text, what the screen previews.
 */
export function receiptDocument(r: ReceiptView, o: ReceiptTextOptions): PrintDocument {
  const L = LABELS[o.language];
  const tpl = o.template ?? DEFAULT_RECEIPT_TEMPLATE;
  const m = (a: number): string => formatMoney(a as Minor, o.money, false);
  const at = dateTimeFormat(o.language, o.timeZone).format(r.completedAt ?? r.openedAt);
  const b: PrintBlock[] = [];
  if (tpl.showLogo && o.logo) b.push({ t: 'image', width: o.logo.width, height: o.logo.height, bits: o.logo.bits, align: 'center' });
  b.push({ t: 'text', text: o.storeName, align: 'center', bold: true });
  for (const h of tpl.header) b.push({ t: 'text', text: h, align: 'center' });
  b.push({ t: 'pair', left: `${r.kind === 'return' ? L.returnReceipt : L.receipt} № ${r.number ?? '-'}`, right: at });
  if (tpl.showCashier) b.push({ t: 'text', text: `${L.cashier}: ${r.cashier}` });
  b.push({ t: 'rule' });
  for (const l of r.lines) {
    b.push({ t: 'text', text: l.name.length > o.width ? l.name.slice(0, o.width) : l.name });
    b.push({ t: 'pair', left: `  ${qtyText(l.qty, l.unit)} x ${m(l.price)}`, right: m(l.gross) });
    if (l.discountTotal > 0) b.push({ t: 'pair', left: `  ${L.discount}`, right: `-${m(l.discountTotal)}` });
  }
  b.push({ t: 'rule' });
  b.push({ t: 'pair', left: L.total, right: m(r.total), bold: true });
  if (tpl.showVat) {
    for (const v of r.vat) b.push({ t: 'pair', left: v.bp === 0 && v.code === 'none' ? L.none : `${L.vat} ${v.bp / 100}%`, right: m(v.amount) });
  }
  for (const p of r.payments) {
    const method = p.method === 'cash' ? L.cash : L.card;
    b.push({ t: 'pair', left: r.kind === 'return' ? `${L.refund}: ${method}` : method, right: m(p.tendered) });
  }
  if (r.change > 0) b.push({ t: 'pair', left: L.change, right: m(r.change) });
  const loy = r.loyalty;
  if (loy && loy.customerId !== '') {
    b.push({ t: 'rule' }, { t: 'text', text: L.loyalty, align: 'center' });
    if (loy.tier) b.push({ t: 'pair', left: L.tier, right: loy.tier });
    if (loy.tierDiscount > 0) b.push({ t: 'pair', left: L.tierDiscount, right: `-${m(loy.tierDiscount)}` });
    if (loy.coupon && loy.coupon.problem === null) b.push({ t: 'pair', left: `${L.coupon} ${loy.coupon.code}`, right: `-${m(loy.coupon.amount)}` });
    if (loy.pointsSpent > 0) b.push({ t: 'pair', left: L.spent, right: `${loy.pointsSpent} (-${m(loy.pointsValue)})` });
    b.push({ t: 'pair', left: L.earned, right: String(loy.pointsEarned) });
    b.push({ t: 'pair', left: L.balance, right: String(loy.balance), bold: true });
  } else if (loy?.coupon && loy.coupon.problem === null) {
    b.push({ t: 'pair', left: `${L.coupon} ${loy.coupon.code}`, right: `-${m(loy.coupon.amount)}` });
  }
  for (const f of tpl.footer) b.push({ t: 'text', text: f, align: 'center' });
  if (tpl.code === 'qr') b.push({ t: 'qr', data: r.code });
  else if (tpl.code === 'barcode') b.push({ t: 'barcode', symbology: 'code128', data: r.code, hri: false });
  b.push({ t: 'feed', lines: 3 }, { t: 'cut' });
  return { blocks: b };
}

/** A receipt as fixed-width text: the same document the printer gets, as the screen previews it. */
export function receiptText(r: ReceiptView, o: ReceiptTextOptions): string {
  const lines = documentText(receiptDocument(r, o), o.width);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n') + '\n';
}
