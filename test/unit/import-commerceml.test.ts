import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPriceTypes, readCommerceML, type CmlOptions } from '../../src-main/import/commerceml.js';
import { ImportFileError } from '../../src-main/import/errors.js';
import type { VatTable } from '../../src-main/import/fields.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'commerceml');
const importXml = readFileSync(join(FIXTURES, 'import.xml'));
const offersXml = readFileSync(join(FIXTURES, 'offers.xml'));

const VAT: VatTable = {
  rates: [
    { code: 'vat22', bp: 2200 },
    { code: 'vat10', bp: 1000 },
    { code: 'vat0', bp: 0 },
    { code: 'none', bp: 0 },
  ],
  exemptCode: 'none',
};

function cp1251(text: string): Uint8Array {
  const table = new Map<string, number>();
  const decoded = new TextDecoder('windows-1251').decode(Uint8Array.from({ length: 256 }, (_, i) => i));
  [...decoded].forEach((ch, i) => table.set(ch, i));
  return Uint8Array.from([...text].map((ch) => table.get(ch) ?? 0x3f));
}

async function fileError(files: { importXml?: Uint8Array; offersXml?: Uint8Array }, opts: Partial<CmlOptions> = {}): Promise<ImportFileError> {
  try {
    await readCommerceML(files, { vat: VAT, ...opts });
  } catch (e) {
    if (e instanceof ImportFileError) return e;
    throw e;
  }
  throw new Error('read without an error');
}

const xml = (body: string): Uint8Array => new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);

describe('CommerceML 2', () => {
  it('lists the price types of offers.xml', async () => {
    expect(await listPriceTypes(offersXml)).toEqual([
      { id: 'pt-opt', name: 'Оптовая', currency: 'RUB' },
      { id: 'pt-ret', name: 'Розничная', currency: 'RUB' },
    ]);
  });

  it('joins products and offers at the chosen price type', async () => {
    const r = await readCommerceML({ importXml, offersXml }, { vat: VAT, priceType: { name: 'розничная' } });
    expect(r.priceType).toEqual({ id: 'pt-ret', name: 'Розничная', currency: 'RUB' });
    expect(r.products).toEqual([
      {
        id: 'p1',
        source: 'offers.xml',
        line: expect.any(Number),
        name: 'Молоко «Домик в деревне» 3,2% 1 л',
        sku: 'МЛК-001',
        // One barcode in <Штрихкод>, one in ЗначенияРеквизитов; the offer repeats the first.
        barcodes: ['4607001234562', '4607001234579'],
        unit: 'pcs',
        vatCode: 'vat10',
        group: 'Молоко',
        groupPath: ['Молочная продукция', 'Молоко'],
        price: 6990,
        qty: 24_000,
      },
      {
        id: 'p2',
        source: 'offers.xml',
        line: expect.any(Number),
        name: 'Крупа гречневая ядрица 900 г',
        sku: 'БАК-017',
        barcodes: ['4607001234586', '4607001234593'],
        unit: 'pcs',
        vatCode: 'vat22',
        group: 'Бакалея',
        groupPath: ['Бакалея'],
        price: 12_950,
        qty: 42_000,
      },
      {
        id: 'p3',
        source: 'offers.xml',
        line: expect.any(Number),
        name: 'Сыр «Российский» весовой',
        sku: 'СЫР-005',
        barcodes: [],
        unit: 'kg',
        vatCode: 'vat10',
        group: 'Сыры',
        groupPath: ['Молочная продукция', 'Сыры'],
        price: 79_900,
        qty: 12_500,
      },
    ]);
    expect(r.deleted).toBe(1);
    expect(r.total).toBe(5);
    expect(r.rejected).toBe(2);
    const offersText = offersXml.toString('utf8').split('\n');
    expect(r.issues).toEqual([
      { code: 'barcode_check_digit', row: expect.any(Number), column: null, field: 'barcode', details: { file: 'offers.xml', id: 'p5', value: '4607001234563' } },
      { code: 'product_unknown', row: expect.any(Number), column: null, field: null, details: { file: 'offers.xml', id: 'p9-unknown' } },
    ]);
    // Lines point at the offer elements.
    expect(offersText[(r.issues[1]?.row ?? 0) - 1]).toContain('<Предложение>');
    expect(offersText[(r.products[0]?.line ?? 0) - 1]).toContain('<Предложение>');
  });

  it('takes the price type by Ид too', async () => {
    const r = await readCommerceML({ importXml, offersXml }, { vat: VAT, priceType: { id: 'pt-opt' } });
    expect(r.products.map((p) => [p.id, p.price])).toEqual([
      ['p1', 5500],
      ['p2', 10_100],
      ['p3', null],
    ]);
  });

  it('reads windows-1251 files as their declaration says', async () => {
    const text = offersXml.toString('utf8').replace('encoding="UTF-8"', 'encoding="windows-1251"');
    const r = await readCommerceML({ importXml, offersXml: cp1251(text) }, { vat: VAT, priceType: { name: 'Розничная' } });
    expect(r.products.map((p) => [p.name, p.price])).toEqual([
      ['Молоко «Домик в деревне» 3,2% 1 л', 6990],
      ['Крупа гречневая ядрица 900 г', 12_950],
      ['Сыр «Российский» весовой', 79_900],
    ]);
  });

  it('reads import.xml alone, without prices', async () => {
    const r = await readCommerceML({ importXml }, { vat: VAT });
    expect(r.products.map((p) => [p.id, p.price, p.source])).toEqual([
      ['p1', null, 'import.xml'],
      ['p2', null, 'import.xml'],
      ['p3', null, 'import.xml'],
    ]);
    expect(r.issues.map((i) => [i.code, i.details.id])).toEqual([['barcode_check_digit', 'p5']]);
  });

  it('asks for a price type when there are several, and names them when the choice is wrong', async () => {
    const none = await fileError({ offersXml });
    expect(none.code).toBe('price_type_unknown');
    const wrong = await fileError({ offersXml }, { priceType: { name: 'Закупочная' } });
    expect(wrong.code).toBe('price_type_unknown');
    expect(wrong.details).toEqual({ requested: 'Закупочная', available: 'Оптовая, Розничная' });
  });

  it('refuses a price per pack rather than divide it', async () => {
    const offers = xml(`<КоммерческаяИнформация><ПакетПредложений><ТипыЦен><ТипЦены><Ид>r</Ид><Наименование>Розничная</Наименование></ТипЦены></ТипыЦен>
<Предложения><Предложение><Ид>x1</Ид><Наименование>Вода 0,5 л</Наименование><Цены><Цена><ИдТипаЦены>r</ИдТипаЦены><ЦенаЗаЕдиницу>300</ЦенаЗаЕдиницу><Единица>упак</Единица><Коэффициент>12</Коэффициент></Цена></Цены></Предложение></Предложения></ПакетПредложений></КоммерческаяИнформация>`);
    const r = await readCommerceML({ offersXml: offers }, { vat: VAT });
    expect(r.products).toEqual([]);
    expect(r.issues[0]).toMatchObject({ code: 'price_invalid', field: 'price', details: { reason: 'factor', factor: '12' } });
  });
});

describe('CommerceML: files that are not what they claim', () => {
  it('refuses UTF-16', async () => {
    const text = importXml.toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const e = await fileError({ importXml: new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])) });
    expect(e.code).toBe('file_encoding');
    const declared = await fileError({ importXml: new TextEncoder().encode('<?xml version="1.0" encoding="KOI8-R"?><a/>') });
    expect(declared.code).toBe('file_encoding');
    expect(declared.details.encoding).toBe('koi8-r');
  });

  it('refuses a file that is not XML, or XML that is not CommerceML', async () => {
    const csv = await fileError({ importXml: new TextEncoder().encode('Наименование;Цена\nМолоко;69,90\n') });
    expect(csv.code).toBe('file_format');
    const other = await fileError({ importXml: xml('<html><body>hi</body></html>') });
    expect(other.code).toBe('file_format');
    expect(other.details.root).toBe('html');
  });

  it('refuses a DOCTYPE, so entities are never expanded', async () => {
    const bomb = xml(`<!DOCTYPE КоммерческаяИнформация [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>1</Ид><Наименование>&d;&d;&d;&d;</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>`);
    const e = await fileError({ importXml: bomb });
    expect(e.code).toBe('file_format');
    expect(e.details.reason).toBe('doctype');
  });

  it('refuses nesting far deeper than CommerceML has', async () => {
    const depth = 100_000;
    const deep = xml(`<КоммерческаяИнформация>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</КоммерческаяИнформация>`);
    const e = await fileError({ importXml: deep });
    expect(e.code).toBe('file_format');
    expect(e.details.reason).toBe('depth');
  });

  it('says a truncated file is damaged', async () => {
    const e = await fileError({ importXml: importXml.subarray(0, Math.floor(importXml.length / 2)) });
    expect(e.code).toBe('file_damaged');
    expect(e.details.file).toBe('import.xml');
  });

  it('refuses an item whose text is over the limit, not the file', async () => {
    const long = 'Я'.repeat(20_000);
    const body = xml(`<КоммерческаяИнформация><Каталог><Товары>
<Товар><Ид>1</Ид><Наименование>${long}</Наименование></Товар>
<Товар><Ид>2</Ид><Наименование>Кефир</Наименование></Товар>
</Товары></Каталог></КоммерческаяИнформация>`);
    const r = await readCommerceML({ importXml: body }, { vat: VAT });
    expect(r.products.map((p) => p.name)).toEqual(['Кефир']);
    expect(r.issues.map((i) => [i.code, i.field, i.details.id])).toEqual([
      ['cell_too_long', 'name', '1'],
      ['name_too_long', 'name', '1'],
    ]);
  });
});
