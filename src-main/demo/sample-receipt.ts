import type { PrintDocument } from '../../src-common/print-document.js';

const ITEMS: [string, string][] = [
  ['Молоко «Лавка» 3,2% 1 л', '89,90'],
  ['Хлеб Бородинский 400 г', '54,90'],
  ['Яблоки Гала 1,234 кг × 159,90', '197,32'],
  ['Шоколад «Алёнка» 90 г', '109,90'],
  ['Вода «Святой источник» 0,5 л', '45,00'],
];
export const SAMPLE_RECEIPT_QR = 't=20261202T1530&s=2970.10&fn=7380440800123456&i=1234&fp=987654321&n=1';

/**
 * A 30-line Cyrillic receipt with a fiscal QR code, as the receipt template lays one out: the
 * test print of the device panel, the driver tests' fixture and the printing benchmark's load.
 */
export function sampleReceipt(n = 1): PrintDocument {
  const blocks: PrintDocument['blocks'] = [
    { t: 'text', text: 'ООО «Лавка»', align: 'center', bold: true },
    { t: 'text', text: 'г. Москва, ул. Тверская, д. 1', align: 'center' },
    { t: 'pair', left: `Чек № ${n}`, right: '02.12.2026 15:30' },
    { t: 'text', text: 'Кассир: Анна Смирнова' },
    { t: 'rule' },
  ];
  for (let i = 0; i < 4; i++) for (const [name, price] of ITEMS) blocks.push({ t: 'pair', left: name, right: price });
  blocks.push(
    { t: 'rule' },
    { t: 'pair', left: 'ИТОГО', right: '2 970,10 ₽', bold: true },
    { t: 'pair', left: 'НДС 22%', right: '535,59' },
    { t: 'text', text: 'Спасибо за покупку!', align: 'center' },
    { t: 'qr', data: SAMPLE_RECEIPT_QR },
    { t: 'feed', lines: 2 },
    { t: 'cut' },
  );
  return { blocks };
}

/** The same receipt in receiptline's markup, for comparing bytes with that library. */
export function sampleReceiptLine(n = 1): string {
  const rows = [
    '"ООО «Лавка»',
    'г. Москва, ул. Тверская, д. 1',
    `Чек № ${n} | 02.12.2026 15:30`,
    'Кассир: Анна Смирнова',
    '-',
  ];
  for (let i = 0; i < 4; i++) for (const [name, price] of ITEMS) rows.push(`${name.replace(/\|/g, ' ')} | ${price}`);
  rows.push('-', '"ИТОГО | "2 970,10 ₽', 'НДС 22% | 535,59', 'Спасибо за покупку!', `{code:${SAMPLE_RECEIPT_QR.replace(/[;{}]/g, ' ')}; option:qrcode,6,m}`, '', '', '=');
  return rows.join('\n');
}
