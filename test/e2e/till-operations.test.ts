import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src-common/money.js';
import type { Minor } from '../../src-common/units.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { countFor } from '../support/drawer.js';
import {
  ApprovalDialog,
  CheckoutPage,
  LoginPage,
  PaymentDialog,
  ReceiptPage,
  ReportPage,
  ReturnsPage,
  TillPage,
  plain,
  type DrawerCount,
} from './pages/index.js';

const CASHIER = { name: 'Анна Смирнова', pin: '1111' };
const MANAGER = { name: 'Мария Иванова', pin: '3333' };
/** Shelf prices of the demo catalog, in kopecks. */
const PRICE = { milk: 8990, bread: 5490, water: 4500 } as const;

const rub = (kopecks: number): string => plain(formatMoney(kopecks as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }));
const rubBare = (kopecks: number): string => plain(formatMoney(Math.abs(kopecks) as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }, false));
const total = (count: DrawerCount): number => count.reduce((a, c) => a + c.value * c.count, 0);

/** The opening float: 2 × 1000 ₽, 5 × 100 ₽, 10 × 10 ₽ = 2600 ₽. */
const FLOAT: DrawerCount = [
  { value: 100_000, count: 2 },
  { value: 10_000, count: 5 },
  { value: 1_000, count: 10 },
];
const CASH_OUT = 50_000;


/** What the story moved through the drawer, as the test saw it on screen. */
const drawer = { float: 0, cashSales: 0, cashRefunds: 0, cashOut: 0 };
let saleCode = '';

const e2e = chromiumTill('till', { LAVKA_DEMO_SHIFT: '0' });
let page: Page;
const pageErrors = e2e.pageErrors;
beforeAll(() => {
  page = e2e.page;
});

describe('a cashier runs a shift, in Chromium', () => {
  it('finds the shift closed, and opens it with a counted float', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.chooseUser(CASHIER.name);
    await login.tapPin(CASHIER.pin);
    const till = new TillPage(page);
    expect(await till.shiftClosedTitle()).toBe('Смена закрыта');
    expect(await page.getByTestId('scan-input').count()).toBe(0);
    // A scan is refused while no shift is open.
    const checkout = new CheckoutPage(page);
    await checkout.scan(DEMO_BARCODES.milk);
    await checkout.waitForToast('Смена закрыта — откройте смену, чтобы продавать');
    await checkout.dismissToast();

    await till.startOpeningShift();
    await till.fillCount(FLOAT);
    drawer.float = total(FLOAT);
    expect(drawer.float).toBe(260_000);
    expect(await till.countLine(100_000)).toBe(rubBare(200_000));
    expect(await till.countLine(1_000)).toBe(rubBare(10_000));
    expect(await till.countTotal()).toBe(rub(drawer.float));
    await till.submitCount('open-shift-dialog');
    await page.getByTestId('scan-input').waitFor();
    await checkout.waitForToast(`Смена № 1 открыта, размен ${rub(drawer.float)}`);
  });

  it('sells two items for cash; the receipt shows its code', async () => {
    const checkout = new CheckoutPage(page);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.bread, 2);
    const due = PRICE.milk + PRICE.bread;
    expect(await checkout.total()).toBe(rub(due));
    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.tenderCash('200');
    expect(await pay.text('pay-change')).toBe(rub(20_000 - due));
    await pay.complete();

    const receipt = new ReceiptPage(page);
    expect(await receipt.text('receipt-number')).toBe('Чек № 1');
    expect(await receipt.text('receipt-paid-cash')).toBe(rub(20_000));
    expect(await receipt.text('receipt-change')).toBe(rub(20_000 - due));
    // Cash kept by the drawer: tendered minus change.
    drawer.cashSales += due;
    saleCode = await receipt.text('receipt-code');
    expect(saleCode).toMatch(/^RC[0-9A-F]{32}$/);
    await receipt.newSale();
  });

  it('takes 500 ₽ out of the drawer once the manager approves with a PIN', async () => {
    const till = new TillPage(page);
    await till.menu('till-cash-out');
    await till.fillCash('500', 'Инкассация');
    const approval = new ApprovalDialog(page);
    expect(await approval.action()).toBe('Изъятие наличных из кассы');
    expect(await approval.amount()).toBe(`Сумма: ${rub(CASH_OUT)}`);
    await approval.approve(MANAGER.name, MANAGER.pin);
    await page.getByTestId('cash-dialog').waitFor({ state: 'detached' });
    await new CheckoutPage(page).waitForToast(`Изъято ${rub(CASH_OUT)}`);
    drawer.cashOut += CASH_OUT;
  });

  it('returns one line of that sale by scanning the receipt code at the checkout', async () => {
    const checkout = new CheckoutPage(page);
    await page.getByTestId('scan-input').waitFor();
    await checkout.scan(saleCode);
    await page.getByTestId('returns-screen').waitFor();
    const returns = new ReturnsPage(page);
    expect(await returns.sourceTitle()).toContain('Чек № 1');
    expect(await returns.lines()).toEqual([
      { name: 'Молоко «Лавка» 3,2% 1 л', returnable: '1 шт' },
      { name: 'Хлеб Бородинский 400 г', returnable: '1 шт' },
    ]);
    await returns.setQty('Хлеб Бородинский 400 г', '1');
    expect(await returns.refundTotal()).toBe(rub(PRICE.bread));
    await returns.confirm();

    await page.locator('[data-testid="receipt-view"][data-kind="return"]').waitFor();
    const receipt = new ReceiptPage(page);
    expect(await receipt.text('receipt-number')).toBe('Возврат № 2');
    expect(await receipt.text('receipt-kind')).toBe('Возврат по чеку продажи');
    expect(await receipt.text('receipt-total')).toBe(rub(PRICE.bread));
    // Paid in cash, refunded in cash.
    expect(await receipt.text('receipt-refund-cash')).toBe(rub(PRICE.bread));
    expect(await receipt.text('receipt-give-back')).toBe(rub(PRICE.bread));
    drawer.cashRefunds += PRICE.bread;
    await receipt.newSale();
  });

  it('is refused a return without a receipt until a manager approves it', async () => {
    await page.keyboard.press('F6');
    const returns = new ReturnsPage(page);
    await returns.startWithoutReceipt();
    await returns.addProductByCode(DEMO_BARCODES.water);
    expect(await returns.freeLineNames()).toEqual(['Вода «Святой источник» 0,5 л']);
    await returns.fillFree('cash', 'Покупатель потерял чек');
    expect(await returns.refundTotal('returns-free-total')).toBe(rub(PRICE.water));

    // Refused: a cashier may not return without a receipt alone. Closing the dialog drops it.
    await returns.confirmFree();
    const approval = new ApprovalDialog(page);
    expect(await approval.action()).toBe('Возврат без чека');
    expect(await approval.amount()).toBe(`Сумма: ${rub(PRICE.water)}`);
    await approval.cancel();
    expect(await page.getByTestId('receipt-view').count()).toBe(0);
    await page.getByTestId('returns-screen').waitFor();

    // Asked again: a wrong PIN is refused in the dialog, the manager's PIN lets it through.
    await returns.confirmFree();
    await approval.chooseApprover(MANAGER.name);
    await approval.enterPin('0000');
    expect(await approval.error()).toBe('Неверный PIN. Осталось попыток: 4');
    await approval.enterPin(MANAGER.pin);
    await page.getByTestId('approval-dialog').waitFor({ state: 'detached' });

    await page.locator('[data-testid="receipt-view"][data-kind="return"]').waitFor();
    const receipt = new ReceiptPage(page);
    expect(await receipt.text('receipt-number')).toBe('Возврат № 3');
    expect(await receipt.text('receipt-kind')).toBe('Возврат без чека');
    expect(await receipt.text('receipt-refund-cash')).toBe(rub(PRICE.water));
    drawer.cashRefunds += PRICE.water;
    await receipt.newSale();
  });

  it('closes the shift with a blind count 10 ₽ short: the Z report shows the expected cash, the difference and the reason', async () => {
    const expected = drawer.float + drawer.cashSales - drawer.cashRefunds - drawer.cashOut;
    expect(expected).toBe(260_000 + 14_480 - 5_490 - 4_500 - 50_000);
    const counted = expected - 1_000;
    const till = new TillPage(page);
    await till.menu('till-close-shift');
    await page.getByTestId('close-shift-dialog').waitFor();
    // Blind: the expected cash is nowhere in the dialog before the count is in.
    const blind = await till.dialogText('close-shift-dialog');
    expect(blind).not.toContain(rubBare(expected));
    const denominations = await till.denominations();
    expect(denominations).toEqual(expect.arrayContaining([100_000, 10_000, 1_000, 50, 10]));
    await till.fillCount(countFor(counted, denominations));
    expect(await till.countTotal()).toBe(rub(counted));
    await page.getByTestId('count-submit').click();

    expect(await till.closeDifference()).toBe(`−${rub(1_000)}`);
    const reason = 'Сдача выдана неверно';
    await till.closeWithReason(reason);

    const z = new ReportPage(page);
    await z.waitFor('Z');
    expect(await z.text('report-title')).toBe('Z-отчёт — смена № 1 закрыта');
    expect(await z.text('report-float')).toBe(rub(drawer.float));
    expect(await z.text('report-cash-sales')).toBe(rub(drawer.cashSales));
    expect(await z.text('report-cash-refunds')).toBe(`−${rub(drawer.cashRefunds)}`);
    expect(await z.text('report-cash-out')).toBe(`−${rub(CASH_OUT)}`);
    expect(await z.text('report-expected')).toBe(rub(expected));
    expect(await z.text('report-counted')).toBe(rub(counted));
    expect(await z.text('report-difference')).toBe(`−${rub(1_000)}`);
    expect(await z.text('report-reason')).toBe(reason);
    expect(await z.text('report-sales')).toBe(rub(drawer.cashSales));
    expect(await z.text('report-returns')).toBe(rub(drawer.cashRefunds));
    expect(await z.text('report-net')).toBe(rub(drawer.cashSales - drawer.cashRefunds));
    expect(await z.texts('report-movement')).toEqual([`−${rub(CASH_OUT)}`]);
    // The printable layout carries the same figures.
    const printed = plain(await z.printed());
    expect(printed).toContain(`Ожидается в кассе ${rubBare(expected)}`);
    expect(printed).toContain(`Расхождение -${rubBare(1_000)}`);
    expect(printed).toContain(`Причина: ${reason}`);
    // The Z report ends on opening the next shift.
    expect(await page.getByTestId('report-open-shift').isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
