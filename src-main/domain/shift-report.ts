import { formatMoney, type CurrencyFormat } from '../../src-common/money.js';
import type { PaymentMethod, ShiftReport } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import type { ShiftRow, ShiftTotals } from '../db/repos/shifts.js';
import { expectedCash } from './cash.js';

export interface ReportContext {
  kind: 'X' | 'Z';
  storeName: string;
  tillName: string;
  generatedAt: number;
  /** For a Z report: the closing count. */
  close?: { at: number; by: string; counted: number; reason: string | null };
}

const METHODS: readonly PaymentMethod[] = ['cash', 'card'];

/** The X or Z report of a shift from its totals: pure arithmetic, every figure exact to the kopeck. */
export function buildShiftReport(shift: ShiftRow, t: ShiftTotals, c: ReportContext): Omit<ShiftReport, 'text'> {
  const rec = (kind: 'sale' | 'return') => t.receipts.find((r) => r.kind === kind) ?? { count: 0, total: 0, discounts: 0 };
  const pay = (kind: 'sale' | 'return', method: PaymentMethod): number =>
    t.payments.filter((p) => p.kind === kind && p.method === method).reduce((a, p) => a + p.amount, 0);
  const sales = rec('sale');
  const returns = rec('return');

  const vat = new Map<string, ShiftReport['vat'][number]>();
  let saleLines = 0;
  for (const v of t.vat) {
    const key = `${v.code}|${v.bp}`;
    const row = vat.get(key) ?? { code: v.code, bp: v.bp, sales: 0, salesVat: 0, returns: 0, returnsVat: 0 };
    if (v.kind === 'sale') {
      row.sales += v.amount;
      row.salesVat += v.vat;
      saleLines += v.lines;
    } else {
      row.returns += v.amount;
      row.returnsVat += v.vat;
    }
    vat.set(key, row);
  }

  const cashiers = new Map<string, ShiftReport['cashiers'][number]>();
  for (const r of t.cashiers) {
    const row = cashiers.get(r.name) ?? { name: r.name, receipts: 0, sales: 0, returns: 0 };
    row.receipts += r.count;
    if (r.kind === 'sale') row.sales += r.total;
    else row.returns += r.total;
    cashiers.set(r.name, row);
  }

  const cashIn = t.movements.filter((m) => m.kind === 'in').reduce((a, m) => a + m.amount, 0);
  const cashOut = t.movements.filter((m) => m.kind === 'out').reduce((a, m) => a + m.amount, 0);
  const flows = { openingFloat: shift.opening_float, sales: pay('sale', 'cash'), refunds: pay('return', 'cash'), cashIn, cashOut };
  const expected = expectedCash(flows);
  const counted = c.close?.counted ?? null;

  return {
    kind: c.kind,
    shiftId: shift.id,
    shiftNumber: shift.number,
    storeName: c.storeName,
    tillName: c.tillName,
    openedAt: shift.opened_at,
    openedBy: shift.opened_by_name,
    closedAt: c.close?.at ?? null,
    closedBy: c.close?.by ?? null,
    generatedAt: c.generatedAt,
    sales: { count: sales.count, amount: sales.total },
    returns: { count: returns.count, amount: returns.total },
    net: sales.total - returns.total,
    payments: METHODS.map((method) => {
      const s = pay('sale', method);
      const r = pay('return', method);
      return { method, sales: s, refunds: r, net: s - r };
    }),
    vat: [...vat.values()],
    cashiers: [...cashiers.values()],
    averageCheck: sales.count === 0 ? 0 : Math.round(sales.total / sales.count),
    linesPerReceiptX100: sales.count === 0 ? 0 : Math.round((saleLines * 100) / sales.count),
    discounts: sales.discounts,
    voidedLines: { count: t.voids.count, amount: t.voids.amount },
    cancelledReceipts: { count: t.cancelled.count, amount: t.cancelled.amount },
    cashMovements: t.movements,
    cash: {
      ...flows,
      expected,
      counted,
      difference: counted === null ? null : counted - expected,
      reason: c.close?.reason ?? null,
    },
  };
}

const LABELS = {
  ru: {
    X: 'X-ОТЧЁТ', Z: 'Z-ОТЧЁТ (ЗАКРЫТИЕ СМЕНЫ)', shift: 'Смена', opened: 'Открыта', closed: 'Закрыта', sales: 'Продажи',
    returns: 'Возвраты', net: 'Итого (нетто)', cash: 'Наличные', card: 'Карта', vat: 'НДС', none: 'без НДС',
    average: 'Средний чек', lines: 'Позиций в чеке', discounts: 'Скидки', voids: 'Сторно позиций', cancelled: 'Аннулировано чеков',
    cashIn: 'Внесение', cashOut: 'Изъятие', float: 'Размен на начало', expected: 'Ожидается в кассе', counted: 'Пересчитано',
    difference: 'Расхождение', reason: 'Причина', cashiers: 'Кассиры',
  },
  en: {
    X: 'X REPORT', Z: 'Z REPORT (SHIFT CLOSE)', shift: 'Shift', opened: 'Opened', closed: 'Closed', sales: 'Sales',
    returns: 'Returns', net: 'Net', cash: 'Cash', card: 'Card', vat: 'VAT', none: 'no VAT',
    average: 'Average check', lines: 'Lines per receipt', discounts: 'Discounts', voids: 'Voided lines', cancelled: 'Cancelled receipts',
    cashIn: 'Cash in', cashOut: 'Cash out', float: 'Opening float', expected: 'Expected cash', counted: 'Counted',
    difference: 'Difference', reason: 'Reason', cashiers: 'Cashiers',
  },
} as const;

/** The report laid out for a receipt printer of `width` characters. */
export function shiftReportText(
  r: Omit<ShiftReport, 'text'>,
  o: { width: number; language: 'ru' | 'en'; money: CurrencyFormat; timeZone: string },
): string {
  const L = LABELS[o.language];
  const m = (a: number): string => formatMoney(a as Minor, o.money, false);
  const dt = new Intl.DateTimeFormat(o.language === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: o.timeZone, dateStyle: 'short', timeStyle: 'short' });
  const pair = (left: string, right: string): string => {
    const space = o.width - right.length;
    return left.length + 1 <= space ? left + ' '.repeat(space - left.length) + right : `${left}\n${right.padStart(o.width)}`;
  };
  const rule = '-'.repeat(o.width);
  const out: string[] = [r.storeName, r.tillName, r.kind === 'X' ? L.X : L.Z, `${L.shift} № ${r.shiftNumber}`];
  out.push(pair(L.opened, dt.format(r.openedAt)));
  if (r.closedAt !== null) out.push(pair(L.closed, dt.format(r.closedAt)));
  out.push(rule);
  out.push(pair(`${L.sales} (${r.sales.count})`, m(r.sales.amount)));
  out.push(pair(`${L.returns} (${r.returns.count})`, m(r.returns.amount)));
  out.push(pair(L.net, m(r.net)));
  for (const p of r.payments) out.push(pair(`  ${p.method === 'cash' ? L.cash : L.card}`, m(p.net)));
  for (const v of r.vat) out.push(pair(`  ${v.code === 'none' ? L.none : `${L.vat} ${v.bp / 100}%`}`, m(v.salesVat - v.returnsVat)));
  out.push(pair(L.average, m(r.averageCheck)));
  out.push(pair(L.lines, (r.linesPerReceiptX100 / 100).toFixed(2)));
  out.push(pair(L.discounts, m(r.discounts)));
  out.push(pair(`${L.voids} (${r.voidedLines.count})`, m(r.voidedLines.amount)));
  out.push(pair(`${L.cancelled} (${r.cancelledReceipts.count})`, m(r.cancelledReceipts.amount)));
  out.push(rule);
  out.push(L.cashiers);
  for (const c of r.cashiers) out.push(pair(`  ${c.name} (${c.receipts})`, m(c.sales - c.returns)));
  out.push(rule);
  out.push(pair(L.float, m(r.cash.openingFloat)));
  out.push(pair(L.cash, m(r.cash.sales - r.cash.refunds)));
  for (const mv of r.cashMovements) out.push(pair(`${mv.kind === 'in' ? L.cashIn : L.cashOut}: ${mv.reason}`, `${mv.kind === 'in' ? '' : '-'}${m(mv.amount)}`));
  out.push(pair(L.expected, m(r.cash.expected)));
  if (r.cash.counted !== null) out.push(pair(L.counted, m(r.cash.counted)));
  if (r.cash.difference !== null) out.push(pair(L.difference, m(r.cash.difference)));
  if (r.cash.reason) out.push(`${L.reason}: ${r.cash.reason}`);
  return out.join('\n') + '\n';
}
