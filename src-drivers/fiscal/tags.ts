import type { FiscalVat, MeasureUnit, PaymentMethodTag, SubjectTag, TaxSystem } from './registrar.js';

/**
 * ФФД tag values shared by every registrar driver (what the ФН stores, whatever the vendor's
 * command set). Vendor-specific encodings (a Shtrih tax-group bit, an ATOL JSON name) live with
 * their driver.
 *
 * Tag 1199 (VAT rate), checked 2026 against:
 * - values 1-6: the Shtrih-M JavaPOS driver's TLV table (shtrih-m/javapos_shtrih,
 *   Source/Core/src/com/shtrih/fiscalprinter/TLVTags.java, addList1199) and DEVICES.md §5;
 * - values 11 (22%) and 12 (22/122): ФНС order of 08.12.2025 № ЕД-7-20/1050@ amending the ФФД
 *   (order ЕД-7-20/662@), table 8, in force from 5 Jan 2026, as reported by klerk.ru
 *   (https://www.klerk.ru/buh/news/674683/, 2026-01-06). Not read in the order's own text.
 * - values 7-10 (5%, 7%, 5/105, 7/107, the USN rates from 2025): two independent secondary
 *   tables (IntellectMoney receipt API docs and an open-source client enum), consistent with 11/12
 *   following them. UNVERIFIED against the ФНС order text.
 */
export const TAG_1199: Readonly<Record<FiscalVat, number>> = {
  vat20: 1,
  vat10: 2,
  vat20_120: 3,
  vat10_110: 4,
  vat0: 5,
  none: 6,
  vat5: 7,
  vat7: 8,
  vat5_105: 9,
  vat7_107: 10,
  vat22: 11,
  vat22_122: 12,
};

/** Tag 1054, receipt kind (DEVICES.md §5). */
export const TAG_1054 = { sale: 1, return: 2 } as const;

/** Tag 1214, payment method (DEVICES.md §5; Shtrih TLV table addList1214). */
export const TAG_1214: Readonly<Record<PaymentMethodTag, number>> = {
  full_prepayment: 1,
  prepayment: 2,
  advance: 3,
  full_payment: 4,
  partial_payment: 5,
  credit: 6,
  credit_payment: 7,
};

/**
 * Tag 1212, subject of the calculation. 1-4 from DEVICES.md; `marked_commodity` is 33 ("товар,
 * подлежащий маркировке средством идентификации, имеющим код маркировки"), in the 30-33 range
 * DEVICES.md gives for ФФД 1.2 marked goods. The exact member of that range is UNVERIFIED.
 */
export const TAG_1212: Readonly<Record<SubjectTag, number>> = {
  commodity: 1,
  excise: 2,
  job: 3,
  service: 4,
  marked_commodity: 33,
};

/** Tag 2108, measure of quantity: 0 pieces, 11 kg, 41 l (from memory of the ФФД 1.2 table: UNVERIFIED). */
export const TAG_2108: Readonly<Record<MeasureUnit, number>> = { pcs: 0, kg: 11, l: 41 };

/**
 * Tag 2003, planned status of a marked item: 1 piece sold, 2 measured sold, 3 piece returned,
 * 4 measured returned (DEVICES.md §4; Shtrih FSCheckMC constants).
 */
export function plannedStatus(kind: 'sale' | 'return', unit: MeasureUnit): number {
  const measured = unit !== 'pcs';
  if (kind === 'sale') return measured ? 2 : 1;
  return measured ? 4 : 3;
}

/** Tag 1055 as a bit set (the form registrars take it in): one bit per tax system. */
export const TAX_SYSTEM_BIT: Readonly<Record<TaxSystem, number>> = {
  osn: 0x01,
  usn_income: 0x02,
  usn_income_outcome: 0x04,
  // 0x08 was ЕНВД, abolished in 2021: no member of TaxSystem maps to it.
  esn: 0x10,
  patent: 0x20,
};
