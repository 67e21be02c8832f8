import type { FiscalVat } from '../registrar.js';
import { TAG_1199 } from '../tags.js';

/**
 * VAT on a Shtrih-M: the FF46 "tax" byte names a row of the registrar's table 6 (tax rates and
 * names); the registrar turns the row into tag 1199 itself.
 *
 * Verified (2026-02 state of the vendor's JavaPOS driver, shtrih-m/javapos_shtrih, commit
 * af0a237 "Changed VAT rates", 2026-02-18):
 * - table 6 rows on 2026 firmware (Doc/UPOS/ШТРИХ-НАНО-Ф_№048485.csv): 1 НДС 20%, 2 НДС 10%,
 *   3 НДС 0%, 4 БЕЗ НДС, 5 НДС 20/120, 6 НДС 10/110, 7 НДС 5%, 8 НДС 7%, 9 НДС 5/105,
 *   10 НДС 7/107, 11 НДС 22%, 12 НДС 22/122;
 * - row → FF46 tax byte (FiscalPrinterImpl.getVatCodeShtrih): rows 1-6 one bit each
 *   (01 02 04 08 10 20); rows 7-10 bit 7 plus one bit (81 82 84 88); rows 11+ C0 + row (CB, CC).
 *   The ШТРИХ-НАНО family differs for rows 11/12 (90, A0: getVatCodeShtrihNano): the `model`
 *   option picks it.
 * Left open: the vendor's own Doc/VatTable.txt gives row 10 → 144 (0x90), contradicting the code
 * (0x88) that the driver follows; and a registrar on older firmware may have its table 6 rows
 * programmed differently (e.g. row 1 renamed to 22%). `taxRows` overrides the row per rate.
 */
export type ShtrihModelFamily = 'shtrih' | 'nano';

export const DEFAULT_TAX_ROWS: Readonly<Record<FiscalVat, number>> = {
  vat20: 1,
  vat10: 2,
  vat0: 3,
  none: 4,
  vat20_120: 5,
  vat10_110: 6,
  vat5: 7,
  vat7: 8,
  vat5_105: 9,
  vat7_107: 10,
  vat22: 11,
  vat22_122: 12,
};

export function taxByteForRow(row: number, family: ShtrihModelFamily = 'shtrih'): number {
  if (!Number.isInteger(row) || row < 1 || row > 63) throw new RangeError(`tax row ${row} is outside table 6 (1-63)`);
  if (row <= 6) return 1 << (row - 1);
  if (row <= 10) return 0x80 | (1 << (row - 7));
  if (family === 'nano' && row === 11) return 0x90;
  if (family === 'nano' && row === 12) return 0xa0;
  return 0xc0 + row;
}

/** The row back from the byte (the emulator reads requests with it); null for a byte no row gives. */
export function rowForTaxByte(byte: number, family: ShtrihModelFamily = 'shtrih'): number | null {
  for (let row = 1; row <= 63; row++) if (taxByteForRow(row, family) === byte) return row;
  return null;
}

export function taxByte(vat: FiscalVat, opts: { family?: ShtrihModelFamily; taxRows?: Partial<Record<FiscalVat, number>> } = {}): number {
  return taxByteForRow(opts.taxRows?.[vat] ?? DEFAULT_TAX_ROWS[vat], opts.family);
}

/** What the registrar will write as tag 1199 for a rate (rows as DEFAULT_TAX_ROWS). */
export const tag1199 = (vat: FiscalVat): number => TAG_1199[vat];
