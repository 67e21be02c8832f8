import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, LoginPage, StockPage } from './pages/index.js';

const CLERK = { name: 'Пётр Кузнецов', pin: '5555' };

const e2e = chromiumTill('stock');
let page: Page;
beforeAll(() => {
  page = e2e.page;
});

describe('the stock clerk receives a delivery, in Chromium', () => {
  it('lands on the stock screen, counts a delivery by scanning against the invoice, posts it, and the stock levels show it', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.chooseUser(CLERK.name);
    await login.tapPin(CLERK.pin);
    const stock = new StockPage(page);
    // A clerk cannot sell: the stock screen is where they start.
    await stock.waitForScreen();
    await stock.newDelivery();

    // A supplier with a mistyped INN is refused in Russian; with the right one it is chosen.
    const toasts = new CheckoutPage(page);
    await stock.addSupplier('ООО «Молочный двор»', '7707083894');
    await toasts.waitForToast('ИНН поставщика неверен: не сходятся контрольные цифры');
    await page.getByTestId('supplier-inn').fill('7707083893');
    await page.getByTestId('supplier-save').click();
    await page.getByTestId('supplier-dialog').waitFor({ state: 'detached' });
    expect(await stock.supplier()).toBe('ООО «Молочный двор»');
    await stock.invoice('МД-1187');

    // Three milk and one coffee scanned; an unknown code is named.
    for (let i = 0; i < 3; i++) await stock.scan(DEMO_BARCODES.milk);
    await stock.scan(DEMO_BARCODES.coffee);
    await page.getByTestId('stock-scan').fill('ABC-123');
    await page.getByTestId('stock-scan').press('Enter');
    await toasts.waitForToast('Товар со штрихкодом ABC-123 не найден');
    // A barcode the catalog does not know becomes a product on the spot, and is counted.
    await page.getByTestId('stock-scan').fill('4607001234562');
    await page.getByTestId('stock-scan').press('Enter');
    await page.getByTestId('new-product-dialog').waitFor();
    await page.getByTestId('new-product-name').fill('Сыр «Российский» 200 г');
    await page.getByTestId('new-product-category').fill('Сыры');
    // A clerk does not price it.
    expect(await page.getByTestId('new-product-price').count()).toBe(0);
    await page.getByTestId('new-product-save').click();
    await page.getByTestId('new-product-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="stock-lines"]', { hasText: 'Сыр «Российский» 200 г' }).waitFor();

    const ids = await page.evaluate(() => [...document.querySelectorAll('[data-testid^="stock-line-"]')].map((r) => Number(r.getAttribute('data-product'))));
    const [milk, coffee, cheese] = ids as [number, number, number];
    expect(await stock.lineStatus(cheese)).toBe('unexpected');
    expect(await stock.lineStatus(milk)).toBe('unexpected');
    await stock.setCell(milk, 'cost', '56,40');
    await page.waitForFunction(() => (document.querySelector('[data-testid="stock-received-cost"]')?.textContent ?? '').replace(/\s/g, '') === '169,20');
    await stock.setCell(coffee, 'qty', '2');
    await page.waitForFunction((n) => (document.querySelector(`[data-testid="stock-qty-${n}"]`) as HTMLInputElement | null)?.value === '2', await stock.lineNo(coffee));
    // A clerk does not set retail prices: the field is off.
    expect(await page.getByTestId(`stock-newPrice-${await stock.lineNo(milk)}`).isDisabled()).toBe(true);

    await stock.post();
    expect(await page.getByTestId('stock-doc-state').textContent()).toBe('проведён');
    // Posted is final: no scan box, no edits.
    expect(await page.getByTestId('stock-scan').count()).toBe(0);

    await stock.levels('молоко');
    expect(await stock.level(milk)).toEqual({ qty: '3', cost: '56,40' });
    // The levels as a CSV download for Russian Excel.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stock-levels-csv').click()]);
    expect(download.suggestedFilename()).toBe('остатки.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.slice(1).split(/\r?\n/)[0]).toBe('Штрихкод;Наименование;Категория;Ед.;Остаток;Средняя закупка;Цена;Минимум');
    expect(e2e.pageErrors).toEqual([]);
  });

  it('writes off a damaged unit with its reason: it leaves stock at its average cost', async () => {
    const stock = new StockPage(page);
    await page.getByTestId('stock-tab-documents').click();
    await page.getByTestId('stock-new-writeoff').click();
    await page.getByTestId('writeoff-reason-damage').click();
    await page.getByTestId('writeoff-note').fill('упала коробка');
    await page.getByTestId('writeoff-create').click();
    await page.waitForSelector('[data-testid="stock-doc"][data-kind="writeoff"]');
    expect(await page.getByTestId('stock-writeoff-reason').textContent()).toBe('Порча · упала коробка');
    await stock.scan(DEMO_BARCODES.milk);
    await stock.post();
    expect((await page.getByTestId('stock-received-cost').textContent())?.replace(/\s/g, '')).toBe('56,40');
    const milk = Number(await page.locator('[data-testid^="stock-line-"]').first().getAttribute('data-product'));
    await stock.levels('молоко');
    expect(await stock.level(milk)).toEqual({ qty: '2', cost: '56,40' });
    expect(e2e.pageErrors).toEqual([]);
  });

  it('orders from the supplier, places the order, and starts the delivery from it', async () => {
    const stock = new StockPage(page);
    await page.getByTestId('stock-tab-documents').click();
    await page.getByTestId('stock-new-order').click();
    await page.getByTestId('order-dialog').waitFor();
    expect(await page.getByTestId('order-supplier').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('ООО «Молочный двор»');
    await page.getByTestId('order-create').click();
    await page.waitForSelector('[data-testid="stock-doc"][data-kind="order"]');
    await stock.scan(DEMO_BARCODES.bread);
    const bread = Number(await page.locator('[data-testid^="stock-line-"]').first().getAttribute('data-product'));
    await stock.setCell(bread, 'expectedQty', '12');
    await page.waitForFunction(() => (document.querySelector('[data-testid="stock-ordered-cost"]') ?? null) !== null);
    await stock.post();
    await page.getByTestId('stock-receive-order').click();
    await page.waitForSelector('[data-testid="stock-doc"][data-kind="receiving"][data-state="draft"]');
    expect(await stock.lineStatus(bread)).toBe('missing');
    expect(await page.getByTestId('stock-supplier').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('ООО «Молочный двор»');
    expect(e2e.pageErrors).toEqual([]);
  });
});
