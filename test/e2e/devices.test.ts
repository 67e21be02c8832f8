import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, LoginPage, PaymentDialog, ReceiptPage } from './pages/index.js';

const e2e = chromiumTill('devices');
let page: Page;
beforeAll(() => {
  page = e2e.page;
});

/** Pay the basket in cash with this banknote (and print a copy); back to a new sale. Returns the receipt's "Чек № N". */
async function payCash(note: string, copy = false): Promise<string> {
  const checkout = new CheckoutPage(page);
  await checkout.openPayment();
  const pay = new PaymentDialog(page);
  await pay.tenderCash(note);
  await pay.complete();
  const receipt = new ReceiptPage(page);
  const number = await receipt.text('receipt-number');
  if (copy) {
    await page.getByTestId('receipt-reprint').click();
    await checkout.waitForToast('Копия чека отправлена на принтер');
  }
  await receipt.newSale();
  return number;
}

/** F10 → Devices. */
async function openDevices(): Promise<void> {
  await page.keyboard.press('F10');
  await page.getByTestId('till-menu').waitFor();
  await page.getByTestId('till-devices').click();
  await page.getByTestId('devices-screen').waitFor();
}

describe('the demo till prints on its virtual printer, in Chromium', () => {
  it('a cash sale opens the drawer and the receipt appears on the virtual paper with its total', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs('Анна Смирнова', '1111');
    const checkout = new CheckoutPage(page);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.apples1234g, 2);
    const number = await payCash('500', true);
    await openDevices();
    await page.locator('[data-testid="device-row"][data-status="connected"]').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="virtual-receipt"]').length === 2);
    const paper = (await page.getByTestId('virtual-receipt').first().textContent()) ?? '';
    const copy = (await page.getByTestId('virtual-receipt').nth(1).textContent()) ?? '';
    expect(copy.trimStart().startsWith('*** КОПИЯ ***')).toBe(true);
    // The customer saw the thanks and the change on the pole display (500 − 287,22).
    expect(await page.getByTestId('virtual-display').textContent()).toBe(`Спасибо за покупку! \nСдача${' '.repeat(20 - 'Сдача'.length - '212,78'.length)}212,78`);
    expect(copy).toContain(number);
    expect(paper).toContain(number); // "Чек № 1"
    expect(paper).toMatch(/ИТОГО\s+287,22/);
    expect(await page.getByTestId('virtual-printer').locator('h3').textContent()).toContain('ящик открывался 1 раз');
    await page.keyboard.press('Escape');
    await page.getByTestId('scan-input').waitFor();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('sells a weighed item at the weight on the emulated scale, kicks the drawer and prints the right total', async () => {
    // Put 1.234 kg of apples on the emulated scale (the devices screen's demo control).
    await openDevices();
    await page.getByTestId('scale-load-input').fill('1,234');
    await page.getByTestId('scale-load-place').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('scan-input').waitFor();

    // PLU 1 (apples, by weight): the weight dialog shows the scale; Enter sells at the stable weight.
    const checkout = new CheckoutPage(page);
    await page.getByTestId('scan-input').fill('1');
    await page.keyboard.press('Enter');
    await page.getByTestId('amount-dialog').waitFor();
    await page.locator('[data-testid="scale-panel"][data-state="stable"]').waitFor();
    expect(await page.getByTestId('scale-weight').textContent()).toBe('1,234 кг');
    await page.keyboard.press('Enter');
    await checkout.waitForLineCount(1);
    expect((await checkout.lines())[0]).toMatchObject({ name: 'Яблоки Гала', qty: '1,234 кг', amount: '197,32' });

    const number = await payCash('200');
    await openDevices();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="virtual-receipt"]').length === 3);
    const paper = (await page.getByTestId('virtual-receipt').nth(2).textContent()) ?? '';
    expect(paper).toContain(number);
    expect(paper).toMatch(/ИТОГО\s+197,32/);
    expect(await page.getByTestId('virtual-printer').locator('h3').textContent()).toContain('ящик открывался 2 раз');
    await page.keyboard.press('Escape');
    expect(e2e.pageErrors).toEqual([]);
  });
});
