import { describe, expect, it } from 'vitest';
import { DEMO_BARCODES, demoMarkingCode } from '../../src-main/demo/catalog-generator.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { countFor } from '../support/drawer.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, LoginPage, PaymentDialog, plain } from './pages/index.js';
import { ReportPage } from './pages/report.js';
import { TillPage } from './pages/till.js';

/** The demo till in fiscal mode: an emulated Shtrih-M registrar, no shift open yet. */
const e2e = chromiumTill('fiscal', { LAVKA_DEMO_SHIFT: '0', LAVKA_DEMO_FISCAL: '1' });
const CASHIER = DEMO_USERS.find((u) => u.role === 'cashier')!;
const FLOAT = [{ value: 100_000, count: 2 }];

describe('fiscal mode in Chromium: open shift, sell a marked and a weighed item, close shift', () => {
  let expectedCash = 200_000;

  it('opens the shift (the registrar opens its own with the first receipt)', async () => {
    const { page } = e2e;
    // No shift yet: the till shows the shift-closed panel after login, not the scan box.
    const login = new LoginPage(page);
    await login.chooseUser(CASHIER.name);
    await login.tapPin(CASHIER.pin);
    const till = new TillPage(page);
    await till.shiftClosedTitle();
    await till.startOpeningShift();
    await till.fillCount(FLOAT);
    await till.submitCount('open-shift-dialog');
    await page.getByTestId('scan-input').waitFor();
    await page.locator('[data-testid="fiscal-badge"]').waitFor();
  });

  it('a marked bottle by its label barcode is refused; by its DataMatrix it is checked by the registrar and added', async () => {
    const { page } = e2e;
    const checkout = new CheckoutPage(page);
    await checkout.scan(DEMO_BARCODES.markedWater);
    await checkout.waitForToast('Вода «Лавка» питьевая 1,5 л (маркированная) — маркированный товар: отсканируйте код DataMatrix на упаковке');
    await checkout.dismissToast();
    // A keyboard wedge drops the GS separators; the code is still whole (a 13-character serial).
    await checkout.scan(demoMarkingCode(1).replace('\u001d', ''));
    await checkout.waitForLineCount(1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.apples1234g, 2);
    const lines = await checkout.lines();
    expect(lines.map((l) => l.name)).toEqual(['Вода «Лавка» питьевая 1,5 л (маркированная)', 'Яблоки Гала']);
  });

  it('pays cash; the receipt view shows the fiscal document number and fiscal sign', async () => {
    const { page } = e2e;
    const checkout = new CheckoutPage(page);
    const total = 6_990 + 19_732;
    expectedCash += total;
    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.tenderCash('300');
    await pay.complete();
    const fiscal = page.locator('[data-testid="receipt-fiscal"][data-state="done"]');
    await fiscal.waitFor({ timeout: 20_000 });
    const text = plain(await fiscal.textContent());
    // The emulated ФН: its registration report is document 1, the shift opening 2, this receipt 3.
    expect(text).toMatch(/^ФД № 3, ФП \d{6,10}$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-input').waitFor();
  });

  it('closes the shift: the registrar prints its Z, the compliance badge stays clear', async () => {
    const { page } = e2e;
    const till = new TillPage(page);
    await till.menu('till-close-shift');
    await page.getByTestId('close-shift-dialog').waitFor();
    await till.fillCount(countFor(expectedCash, await till.denominations()));
    await page.getByTestId('count-submit').click();
    const z = new ReportPage(page);
    await z.waitFor('Z');
    expect(await z.text('report-title')).toBe('Z-отчёт — смена № 1 закрыта');
    await page.locator('[data-testid="fiscal-badge"][data-state="ok"]').waitFor({ timeout: 20_000 });
  });

  it('left no uncaught errors in the page', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
