import type { CodePageId } from '../../src-drivers/escpos/codepage.js';
import { columns, EscPosEncoder } from '../../src-drivers/escpos/encoder.js';
import type { PrinterProfile } from '../../src-drivers/escpos/profiles.js';

/** A 54-ФЗ-style sales receipt as a driver would lay it out: the lines it means to print, and its symbols. */
export const QR_PAYLOAD = 't=20261202T1530&s=1234.50&fn=7380440800000123&i=4567&fp=1234567890&n=1';
export const EAN = '4600000000015';
export const DRAWER = { pin: 2, onMs: 50, offMs: 500 } as const;

export interface BuiltReceipt {
  bytes: Uint8Array;
  /** What the driver asked to print, before code-page fallbacks. */
  source: string[];
}

export function buildReceipt(profile: PrinterProfile, codePage: CodePageId): BuiltReceipt {
  const w = profile.charsPerLine;
  const pair = (l: string, r: string): string[] => columns(l, r, w, codePage);
  const source: string[] = [];
  const enc = new EscPosEncoder(profile, { codePage }).init();
  const line = (s: string, style?: Parameters<EscPosEncoder['line']>[1]): void => {
    source.push(s);
    enc.line(s, style);
  };
  const lines = (ss: string[]): void => ss.forEach((s) => line(s));

  line('ЛАВКА', { align: 'center', width: 2, height: 2, bold: true });
  line('ООО «Лавка», ИНН 7701234567', { align: 'center' });
  line('г. Москва, ул. Тверская, д. 1', { align: 'center' });
  line('Кассовый чек № 1234', { align: 'center', bold: true });
  line('Приход');
  lines(pair('Смена № 17', '02.12.2026 15:30'));
  line('Кассир: Смирнова А.');
  line('-'.repeat(w));
  lines(pair('Молоко 3,2% 1 л', ''));
  lines(pair('  2 × 89,90', '179,80 ₽'));
  lines(pair('Хлеб «Бородинский»', ''));
  lines(pair('  1 × 54,90', '54,90 ₽'));
  lines(pair('Шоколад «Алёнка»', ''));
  lines(pair('  3 × 109,90', '329,70 ₽'));
  lines(pair('Кофе молотый 250 г', ''));
  lines(pair('  1 × 479,00', '479,00 ₽'));
  lines(pair('Яблоки Гала 1,234 кг × 159,90', '197,32 ₽'));
  line('-'.repeat(w));
  enc.bold(true);
  lines(pair('Итого', '1 240,72 ₽'));
  enc.bold(false);
  lines(pair('Скидка', '−6,22 ₽'));
  lines(pair('ИТОГО К ОПЛАТЕ', '1 234,50 ₽'));
  lines(pair('Наличными', '1 500,00 ₽'));
  lines(pair('Сдача', '265,50 ₽'));
  lines(pair('НДС 20%', '205,75 ₽'));
  line('СНО: ОСН   ФН № 7380440800000123');
  line('ФД № 4567   ФП 1234567890');
  line('Место расчётов: магазин «Лавка»');
  line('Сайт ФНС: www.nalog.gov.ru');
  line('Спасибо за покупку!', { align: 'center' });
  enc.qr(QR_PAYLOAD, { size: 5, ecc: 'M' });
  enc.ean13(EAN, { height: 60 });
  line('— ждём вас снова —', { align: 'center' });
  enc.drawer(DRAWER);
  enc.cut({ feed: 16 });
  return { bytes: enc.encode(), source };
}

/** Deterministic split of `bytes` into chunks of 1..maxChunk bytes. */
export function randomChunks(bytes: Uint8Array, seed: number, maxChunk = 64): Uint8Array[] {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + (next() % maxChunk);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}
