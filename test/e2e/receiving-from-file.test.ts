import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { supplierXlsx } from '../support/xlsx.js';
import { zbarimg } from '../support/zbar.js';
import { CheckoutPage, DevicesPage, LoginPage, StockPage, VirtualLabelPanel, plain } from './pages/index.js';

const MANAGER = { name: 'Мария Иванова', pin: '3333' };
const HEADER = ['Штрихкод', 'Наименование', 'Ед.', 'Кол-во', 'Цена закупки', 'Цена розничная', 'НДС'];

const e2e = chromiumTill('receiving-file');
let page: Page;
beforeAll(() => {
  page = e2e.page;
});

describe('a delivery from a supplier file, in Chromium', () => {
  it('an XLSX with two bad rows: the preview names them, the rest fills the invoice; scanned with one short and one unexpected; posted; levels and average cost right; the tag for the new price on the label printer, its barcode read by zbar', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(MANAGER.name, MANAGER.pin);
    await page.getByTestId('till-button').click();
    await page.getByTestId('till-stock').click();
    const stock = new StockPage(page);
    await stock.waitForScreen();
    await stock.newDelivery();

    const file = await supplierXlsx(HEADER, [
      [DEMO_BARCODES.milk, 'Молоко «Лавка» 3,2% 1 л', 'шт', 4, '56,40', '94,90', '10%'],
      ['4607001234563', 'Сыр с неверным штрихкодом', 'шт', 3, '300,00', '', '10%'],
      [DEMO_BARCODES.bread, 'Хлеб', 'шт', 2, '31,00', '', '10%'],
      [DEMO_BARCODES.chocolate, 'Шоколад', 'шт', 5, '80,00', '', '18%'],
    ]);
    await page.getByTestId('stock-import-file').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'прайс.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('import-preview').waitFor();
    expect(plain(await page.getByTestId('import-summary').textContent())).toBe('Можно взять строк: 2, отклонено: 2, всего: 4');
    const issues = await page.getByTestId('import-issue').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-row'), r.textContent ?? '']));
    expect(issues).toEqual([
      ['4', expect.stringContaining('неверная контрольная цифра штрихкода')],
      ['6', expect.stringContaining('такой ставки НДС в магазине нет')],
    ]);
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    await new CheckoutPage(page).waitForToast('Из файла строк: 2 (новых товаров: 0); отклонено строк: 2');

    // Counted: 3 milk of 4 (short), 2 bread, and a coffee nobody invoiced.
    for (let i = 0; i < 3; i++) await stock.scan(DEMO_BARCODES.milk);
    for (let i = 0; i < 2; i++) await stock.scan(DEMO_BARCODES.bread);
    await stock.scan(DEMO_BARCODES.coffee);
    const statuses = await page.locator('[data-testid^="stock-line-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses).toEqual(['short', 'ok', 'unexpected']);
    const milk = Number(await page.locator('[data-testid^="stock-line-"]').first().getAttribute('data-product'));
    await stock.post();

    await stock.levels('молоко');
    expect(await stock.level(milk)).toEqual({ qty: '3', cost: '56,40' });

    // The file's new retail price for the milk waits for its price tag: printed on the demo label printer.
    await page.getByTestId('stock-tab-tags').click();
    await page.locator('[data-testid^="price-tag-row-"]').first().waitFor();
    await page.getByTestId('price-tags-select-all').check();
    await page.getByTestId('price-tags-print').click();
    await page.getByTestId('price-tag-job-state').first().waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('scan-input').waitFor();
    const devices = new DevicesPage(page);
    await devices.open();
    const labels = new VirtualLabelPanel(page);
    await labels.waitForPrinted(1);
    const tag = labels.label('Молоко «Лавка» 3,2% 1 л');
    expect((await labels.lines(tag)).slice(0, 2)).toEqual(['Молоко «Лавка» 3,2% 1 л', '94,90 р.']);
    expect(zbarimg(await labels.png(tag))).toEqual([DEMO_BARCODES.milk]);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('a 1C CommerceML exchange into the catalog: the retail price type taken, the goods found by any of their barcodes', async () => {
    const stock = new StockPage(page);
    await page.keyboard.press('Escape');
    await page.getByTestId('till-button').click();
    await page.getByTestId('till-stock').click();
    await stock.waitForScreen();
    await page.getByTestId('stock-tab-catalog').click();
    await page.getByTestId('catalog-import').click();
    const dir = join(import.meta.dirname, '..', 'fixtures', 'commerceml');
    await page.getByTestId('import-file').setInputFiles([join(dir, 'import.xml'), join(dir, 'offers.xml')]);
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-price-type').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('Розничная');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    await stock.levels('Домик в деревне 3,2');
    const row = page.locator('[data-testid^="stock-level-"]', { hasText: 'Молоко «Домик в деревне» 3,2% 1 л' }).first();
    await row.waitFor();
    expect(plain(await row.textContent())).toContain('69,90');
    expect(e2e.pageErrors).toEqual([]);
  });
});
