import { afterEach } from 'vitest';
import type { LabelLayout, PriceTag, TextElement } from '../../src-common/price-tag.js';

/** A price tag with every field filled and a long Cyrillic name with «quotes», 3 copies. */
export const MILK: PriceTag = {
  name: 'Молоко 3,2% «Домик в деревне» 930 мл',
  price: '89,90 ₽',
  unitPrice: '96,67 ₽/л',
  barcode: { symbology: 'ean13', data: '4601234567893' },
  date: '02.12.2026',
  sku: 'АРТ-000123',
  copies: 3,
};

/** `MILK` with some fields changed. */
export const milkTag = (over: Partial<PriceTag> = {}): PriceTag => ({ ...MILK, ...over });

export const layoutTexts = (l: LabelLayout): TextElement[] => l.elements.filter((e): e is TextElement => e.kind === 'text');

/** Clean-ups a test adds as it opens things; run after each test, last opened first. */
export function cleanupAfterEach(): (() => Promise<unknown> | unknown)[] {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}
