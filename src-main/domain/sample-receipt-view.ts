import type { ReceiptView } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';

const NAMES = {
  ru: ['Молоко 3,2% 1 л', 'Яблоки Гала', 'Хлеб Бородинский'],
  en: ['Milk 3.2% 1 l', 'Gala apples', 'Rye bread'],
} as const;

/** A small completed sale to preview the receipt layout with: a piece item, a weighed item with a discount, cash with change. */
export function sampleReceiptView(at: number, language: 'ru' | 'en'): ReceiptView {
  const [milk, apples, bread] = NAMES[language];
  const m = (n: number) => n as Minor;
  const vat10 = { code: 'vat10', bp: 1_000 };
  const vat20 = { code: 'vat20', bp: 2_000 };
  const line = (id: string, name: string, unit: 'pcs' | 'kg', qty: number, price: number, gross: number, discountTotal: number, vat: { code: string; bp: number }, vatAmount: number) => ({
    id,
    productId: Number(id),
    name,
    unit,
    qty,
    price: m(price),
    basePrice: m(price),
    priceOverridden: false,
    barcode: null,
    gross: m(gross),
    discount: discountTotal > 0 ? { kind: 'percent' as const, bp: 1_000 } : null,
    discountTotal: m(discountTotal),
    amount: m(gross - discountTotal),
    vat,
    vatAmount: m(vatAmount),
  });
  return {
    id: 'sample',
    kind: 'sale',
    state: 'completed',
    code: 'RC0123456789ABCDEF0123456789ABCDEF',
    originalId: null,
    number: 42,
    openedAt: at,
    completedAt: at,
    cashier: language === 'ru' ? 'Анна Смирнова' : 'Anna Smirnova',
    lines: [
      line('1', milk, 'pcs', 2_000, 8_990, 17_980, 0, vat10, 1_635),
      line('2', apples, 'kg', 1_234, 15_990, 19_732, 1_973, vat20, 2_960),
      line('3', bread, 'pcs', 1_000, 6_490, 6_490, 0, vat10, 590),
    ],
    discount: null,
    subtotal: m(44_202),
    discountTotal: m(1_973),
    total: m(42_229),
    vat: [
      { code: 'vat10', bp: 1_000, amount: m(2_225) },
      { code: 'vat20', bp: 2_000, amount: m(2_960) },
    ],
    payments: [{ method: 'cash', amount: m(42_229), tendered: m(50_000), change: m(7_771) }],
    change: m(7_771),
    loyalty: null,
  };
}
