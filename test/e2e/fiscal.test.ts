import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_BARCODES, demoMarkingCode } from '../../src-main/demo/catalog-generator.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { countFor } from '../support/drawer.js';
import { chromiumTill } from '../support/e2e.js';
import { AdminPage, CheckoutPage, LoginPage, PaymentDialog, plain } from './pages/index.js';
import { ReportPage } from './pages/report.js';
import { TillPage } from './pages/till.js';

/** The demo till in fiscal mode: an emulated Shtrih-M registrar, no shift open yet. */
const e2e = chromiumTill('fiscal', { LAVKA_DEMO_SHIFT: '0', LAVKA_DEMO_FISCAL: '1' });
const CASHIER = DEMO_USERS.find((u) => u.role === 'cashier')!;
const OWNER = DEMO_USERS.find((u) => u.role === 'owner')!;
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

  it('the owner registers a correction receipt for a sale recovery could not settle, from Admin → Fiscal', async () => {
    const { page, backend } = e2e;
    // Recovery's verdict, set behind the till's back: the ФН moved on without this sale; a person must decide.
    const db = new Database(join(backend.dataDir, 'till.sqlite'));
    const sale = db.prepare(`SELECT id, number FROM receipts WHERE kind = 'sale' AND state = 'completed' ORDER BY number DESC LIMIT 1`).get() as { id: string; number: number };
    db.prepare(`UPDATE fiscal_journal SET state = 'attention', error_code = 'uncertain', last_error = 'no matching document' WHERE ref_id = ? AND op = 'receipt'`).run(sale.id);
    db.close();

    await page.getByTestId('logout').click();
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.chooseUser(OWNER.name);
    await login.tapPin(OWNER.pin);
    const admin = new AdminPage(page);
    await admin.open();
    await page.getByTestId('admin-tab-fiscal').click();
    const alarm = page.getByTestId('fiscal-alarm');
    await alarm.waitFor();
    expect(plain(await alarm.locator('strong').textContent())).toBe(`Чек: Продажа № ${sale.number}, 267,22 ₽`);
    await alarm.getByTestId('fiscal-alarm-correct').click();
    await page.getByTestId('fiscal-correction-type').selectOption('instruction');
    await page.getByTestId('fiscal-alarm-submit').click();
    expect(plain(await page.getByTestId('fiscal-correction-number-error').textContent())).toBe('Введите номер предписания');
    await page.getByTestId('fiscal-correction-number').fill('01-12/345');
    await page.getByTestId('fiscal-alarm-note').fill('в архиве ФН чека нет');
    await page.getByTestId('fiscal-alarm-submit').click();
    await page.getByText('Ничего не ждёт: все операции дошли до регистратора').waitFor();

    const check = new Database(join(backend.dataDir, 'till.sqlite'), { readonly: true });
    const rows = () => check.prepare(`SELECT op, state FROM fiscal_journal WHERE ref_id = ? ORDER BY seq`).all(sale.id);
    await expect.poll(rows, { timeout: 20_000 }).toEqual([
      { op: 'receipt', state: 'resolved' },
      { op: 'correction', state: 'done' },
    ]);
    check.close();
    await admin.close();
  });

  it('left no uncaught errors in the page', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
