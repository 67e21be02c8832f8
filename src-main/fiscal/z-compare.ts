import type { ShiftReport } from '../../src-common/rpc/schemas.js';
import type { ShiftTotals } from '../../src-drivers/fiscal/registrar.js';

/** The figures of the till's Z that the registrar's Z must equal, by name, with both values where they differ. */
export function zDifferences(till: ShiftReport, registrar: ShiftTotals): { field: string; till: number; registrar: number }[] {
  const net = (m: 'cash' | 'card') => till.payments.find((p) => p.method === m)?.net ?? 0;
  const pairs: [string, number, number][] = [
    ['sales.count', till.sales.count, registrar.sales.count],
    ['sales.total', till.sales.amount, registrar.sales.total],
    ['returns.count', till.returns.count, registrar.returns.count],
    ['returns.total', till.returns.amount, registrar.returns.total],
    ['cash', net('cash'), registrar.cash],
    ['card', net('card'), registrar.card],
    ['cashIn', till.cash.cashIn, registrar.cashIn],
    ['cashOut', till.cash.cashOut, registrar.cashOut],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([field, a, b]) => ({ field, till: a, registrar: b }));
}
