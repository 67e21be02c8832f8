import { describe, expect, it } from 'vitest';
import { presetStock } from '../../src-common/price-tag.js';
import type { Minor } from '../../src-common/units.js';
import { netContent, priceTagFor, tagBarcodes, tagDate, tagDocument, unitPriceText, type TagProduct, type TagSettings } from '../../src-main/domain/price-tags.js';

const RU: TagSettings = { currency: { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }, timeZone: 'Europe/Moscow', language: 'ru' };
const NBSP = '\u00a0';
const milk: TagProduct = { id: 1, name: 'Молоко «Лавка» 3,2% 930 мл', unit: 'pcs', price: 8_990 as Minor, sku: 'АРТ-1', barcodes: [{ code: '4600000000015', packQty: 1000 }] };

describe('price tags from the catalog', () => {
  it('reads the net content a name states, and refuses to guess a pack', () => {
    expect(netContent('Молоко 3,2% 930 мл')).toEqual({ amount: 930, per: 'l' });
    expect(netContent('Вода 1,5 л')).toEqual({ amount: 1_500, per: 'l' });
    expect(netContent('Хлеб Бородинский 400 г')).toEqual({ amount: 400, per: 'kg' });
    expect(netContent('Coffee 1 kg')).toEqual({ amount: 1_000, per: 'kg' });
    expect(netContent('Сосиски 2 кг 500 г')).toEqual({ amount: 500, per: 'kg' });
    expect(netContent('Вода 6 x 0,5 л')).toBeNull();
    expect(netContent('Вода 6x0,5 л')).toBeNull();
    expect(netContent('Йогурт 3,2%')).toBeNull();
    expect(netContent('Литрбол 1 литр')).toBeNull();
  });

  it('gives the price per kg or l: worked out for a piece, "за 1 кг" for weighed goods', () => {
    expect(unitPriceText(milk, RU)).toBe(`96,67${NBSP}₽/л`); // 89,90 / 0,93 = 96,666…
    expect(unitPriceText({ name: 'Яблоки Гала', unit: 'kg', price: 15_990 as Minor }, RU)).toBe('за 1 кг');
    expect(unitPriceText({ name: 'Квас разливной', unit: 'l', price: 9_000 as Minor }, { ...RU, language: 'en' })).toBe('per 1 l');
    expect(unitPriceText({ name: 'Пакет-майка', unit: 'pcs', price: 990 as Minor }, RU)).toBeUndefined();
  });

  it('dates the tag in the store’s time zone', () => {
    const lateUtc = Date.UTC(2026, 10, 22, 22, 30); // 01:30 on the 23rd in Moscow
    expect(tagDate(lateUtc, RU)).toBe('23.11.2026');
    expect(tagDate(lateUtc, { ...RU, timeZone: 'America/New_York' })).toBe('22.11.2026');
    expect(tagDate(lateUtc, { ...RU, timeZone: 'Nowhere/Unknown' })).toBe('22.11.2026');
  });

  it('takes the unit EAN-13 over a pack barcode, then EAN-8, then CODE128 of the SKU or the id', () => {
    expect(tagBarcodes({ id: 3, sku: null, barcodes: [{ code: '4600000000039', packQty: 6000 }, { code: '46000002', packQty: 1000 }, { code: '4600000000022', packQty: 1000 }] })).toEqual([
      { symbology: 'ean13', data: '4600000000022' },
      { symbology: 'ean8', data: '46000002' },
      { symbology: 'code128', data: '3' },
    ]);
    // A bad check digit is not printed as if it were a product code; a Cyrillic SKU cannot be CODE128.
    expect(tagBarcodes({ id: 7, sku: 'LAV-7', barcodes: [{ code: '4600000000016', packQty: 1000 }] })).toEqual([
      { symbology: 'code128', data: 'LAV-7' },
      { symbology: 'code128', data: '7' },
    ]);
    expect(tagBarcodes({ id: 8, sku: 'АРТ-8', barcodes: [] })).toEqual([{ symbology: 'code128', data: '8' }]);
  });

  it('builds the whole tag, falling back to a barcode that fits the label', () => {
    const at = Date.UTC(2026, 10, 22, 9);
    expect(priceTagFor(milk, RU, at, 2, presetStock('58x40', 203))).toEqual({
      name: 'Молоко «Лавка» 3,2% 930 мл',
      price: `89,90${NBSP}₽`,
      unitPrice: `96,67${NBSP}₽/л`,
      date: '22.11.2026',
      sku: 'АРТ-1',
      barcode: { symbology: 'ean13', data: '4600000000015' },
      copies: 2,
    });
    const longSku = { ...milk, barcodes: [], sku: 'SUPPLIER-ARTICLE-0000000000123456' };
    expect(priceTagFor(longSku, RU, at, 1, presetStock('58x40', 203)).barcode).toEqual({ symbology: 'code128', data: 'SUPPLIER-ARTICLE-0000000000123456' });
    expect(priceTagFor(longSku, RU, at, 1, presetStock('43x25', 203)).barcode).toEqual({ symbology: 'code128', data: '1' });
  });

  it('on a receipt printer: name, the price large, barcode, date, a cut after each copy', () => {
    const tag = priceTagFor(milk, RU, Date.UTC(2026, 10, 22, 9), 2, null);
    const doc = tagDocument(tag, 2);
    expect(doc.blocks.filter((b) => b.t === 'cut')).toHaveLength(2);
    expect(doc.blocks.slice(0, 6)).toEqual([
      { t: 'text', text: 'Молоко «Лавка» 3,2% 930 мл', bold: true },
      { t: 'text', text: `89,90${NBSP}₽`, size: 2, bold: true },
      { t: 'text', text: `96,67${NBSP}₽/л` },
      { t: 'barcode', symbology: 'ean13', data: '4600000000015', hri: true },
      { t: 'text', text: '22.11.2026  АРТ-1' },
      { t: 'feed', lines: 1 },
    ]);
    expect(tagDocument({ ...tag, barcode: { symbology: 'ean8', data: '4600000' } }, 1).blocks[3]).toEqual({ t: 'barcode', symbology: 'code128', data: '46000002', hri: true });
  });
});
