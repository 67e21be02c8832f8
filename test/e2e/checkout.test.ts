import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extend, formatMoney, percentOf } from '../../src-common/money.js';
import type { BasisPoints, Minor, Qty } from '../../src-common/units.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { BackendProcess, launchChromium } from '../support/browser.js';
import { CheckoutPage, LoginPage, PaymentDialog, ReceiptPage, plain } from './pages/index.js';

const rub = (kopecks: number): string => plain(formatMoney(kopecks as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }));
const rubBare = (kopecks: number): string => plain(formatMoney(kopecks as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }, false));

let backend: BackendProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  backend = await BackendProcess.start();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(backend.url);
});
afterAll(async () => {
  await browser?.close();
  await backend?.dispose();
});

describe('a cashier at the till, in Chromium', () => {
  it('sells a basket with a weighed and a pack barcode, a receipt discount and mixed tender, to the kopeck', async () => {
    const login = new LoginPage(page);
    const checkout = new CheckoutPage(page);
    await login.loginAs('Анна Смирнова', '1111');

    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.apples1234g, 2);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.water6, 3);

    // Expected figures from the shelf prices, independently of the app.
    const milk = extend(8990 as Minor, 1000 as Qty);
    const apples = extend(15990 as Minor, 1234 as Qty);
    const water = extend(4500 as Minor, 6000 as Qty);
    const subtotal = milk + apples + water;
    expect([milk, apples, water, subtotal]).toEqual([8990, 19732, 27000, 55722]);
    const discount = percentOf(subtotal as Minor, 1000 as BasisPoints);
    const total = subtotal - discount;
    expect(total).toBe(50150);

    const lines = await checkout.lines();
    expect(lines.map((l) => l.qty)).toEqual(['1 шт', '1,234 кг', '6 шт']);
    expect(lines.map((l) => l.amount)).toEqual([rubBare(milk), rubBare(apples), rubBare(water)]);
    expect(await checkout.total()).toBe(rub(subtotal));

    await checkout.applyReceiptDiscountPercent('10');
    await page.waitForFunction((t) => document.querySelector('[data-testid="total"]')?.textContent?.replace(/\s/g, '') === t, rub(total).replace(/\s/g, ''));

    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.payByCard('100');
    await pay.tenderCash('1000');
    await pay.complete();

    const receipt = new ReceiptPage(page);
    expect(await receipt.text('receipt-number')).toMatch(/№ 1$/);
    expect(await receipt.text('receipt-subtotal')).toBe(rub(subtotal));
    expect(await receipt.text('receipt-discount')).toBe(rub(discount));
    expect(await receipt.text('receipt-total')).toBe(rub(total));
    expect(await receipt.text('receipt-paid-card')).toBe(rub(10000));
    expect(await receipt.text('receipt-paid-cash')).toBe(rub(100000));
    expect(await receipt.text('receipt-change')).toBe(rub(110000 - total));
    expect(plain(await receipt.printed())).toContain(`ИТОГО ${rubBare(total)}`);
    await receipt.newSale();
  });

  it('refuses an unknown barcode with a translated message and adds nothing', async () => {
    const checkout = new CheckoutPage(page);
    await checkout.scan('4600000000992');
    expect(await checkout.toast()).toContain('4600000000992');
    expect(await checkout.toast()).toMatch(/не найден/);
    expect(await checkout.lines()).toEqual([]);
  });

  it('keeps the open basket through a backend crash and restart', async () => {
    const checkout = new CheckoutPage(page);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.bread, 1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.chocolate, 2);
    const before = await checkout.lines();

    await backend.kill();
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') === 'offline');
    await backend.restart();

    const login = new LoginPage(page);
    // The page reconnects by itself; the session died with the process, so the cashier logs in again.
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') === 'online');
    await login.waitForLoginScreen();
    await login.loginAs('Анна Смирнова', '1111');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="line-row"]').length === 2);
    expect(await checkout.lines()).toEqual(before);
  });

  it('switches the interface to English', async () => {
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="pay-button"]')?.textContent?.includes('Pay'));
    expect(plain(await page.getByTestId('receipt-discount-button').textContent())).toContain('Receipt discount');
    expect((await new CheckoutPage(page).lines())[0]?.qty).toBe('1 pcs');
    await page.getByTestId('language-switch').click();
  });
});
