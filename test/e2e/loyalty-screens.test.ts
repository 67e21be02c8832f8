import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src-common/money.js';
import type { Minor } from '../../src-common/units.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, LoginPage, PaymentDialog, ReceiptPage, plain } from './pages/index.js';
import { CustomerPanel, LoyaltyAdmin } from './pages/loyalty.js';

const CASHIER = { name: 'Анна Смирнова', pin: '1111' };
const MANAGER = { name: 'Мария Иванова', pin: '3333' };
/** Her birthday is today (no year given): the programme's birthday coupon is hers this week. */
const today = new Date();
const CUSTOMER = {
  name: 'Ирина Петрова',
  phone: '+7 912 345-67-89',
  sameDialled: '8 (912) 345 67 89',
  birthday: `${String(today.getDate()).padStart(2, '0')}.${String(today.getMonth() + 1).padStart(2, '0')}`,
};
/** Shelf prices of the demo catalog, in kopecks. */
const PRICE = { milk: 8990, water6: 6 * 4500 } as const;

const rub = (kopecks: number): string => plain(formatMoney(kopecks as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }));
const rubBare = (kopecks: number): string => plain(formatMoney(kopecks as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }, false));

const e2e = chromiumTill('loyalty-screens');
let page: Page;
beforeAll(() => {
  page = e2e.page;
});

describe('loyalty at the till and in the back office, in Chromium', () => {
  it('a cashier signs up a customer from the basket, spends their welcome points with "max", and the receipt shows the points', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(CASHIER.name, CASHIER.pin);
    const checkout = new CheckoutPage(page);
    const customer = new CustomerPanel(page);

    // The programme's consent is asked ticked and explained; messages and advertising are separate and unticked.
    await page.keyboard.press('F1');
    await page.keyboard.press('F2');
    expect(await page.getByTestId('signup-consent-loyalty').isChecked()).toBe(true);
    expect(await page.getByTestId('signup-consent-service').isChecked()).toBe(false);
    expect(await page.getByTestId('signup-consent-advertising').isChecked()).toBe(false);
    // Without a phone or a card there is nobody to sign up: said in Russian, nothing sent.
    await page.getByTestId('signup-name').fill(CUSTOMER.name);
    await page.getByTestId('signup-name').press('Enter');
    await page.getByTestId('signup-phone-error').waitFor();
    expect(plain(await page.getByTestId('signup-phone-error').textContent())).toBe('Введите телефон или номер карты');
    await page.keyboard.press('Escape');
    await page.getByTestId('customer-dialog').waitFor({ state: 'detached' });

    await customer.signUp(CUSTOMER);
    await checkout.waitForToast(`${CUSTOMER.name} — в программе лояльности`);
    await customer.waitForText('customer-name', CUSTOMER.name);
    // The welcome points, and their worth (a point is a rouble by default).
    await customer.waitForText('customer-balance', '100 баллов');
    await customer.waitForText('customer-balance-value', `= ${rub(10000)}`);
    // No head office in this test: the balance is not confirmed, and spending is capped for the day.
    expect(await page.getByTestId('customer-online').getAttribute('data-state')).toBe('offline');
    await customer.waitForText('customer-online', 'Без связи: до 500 баллов в день');
    // The keyboard is back in the scan box.
    expect(await checkout.focusedTestId()).toBe('scan-input');
    // Her birthday coupon is offered, one click away (not taken now).
    await customer.waitForText('customer-coupon-birthday', '🎁 Купон ко дню рождения −10 % · Применить');

    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.water6, 2);
    const subtotal = PRICE.milk + PRICE.water6;
    await checkout.waitForTotal(rub(subtotal));
    // All 100 points fit (half of the receipt may be paid with points): the whole balance.
    await customer.waitForText('points-max', 'Максимум 100 Alt+M');
    // Alt+M is the "max" button from the keyboard; the scan box keeps the keyboard.
    await page.keyboard.press('Alt+KeyM');
    await customer.waitForText('points-spent', `−100 баллов = −${rub(10000)}`);
    const total = subtotal - 10000;
    await checkout.waitForTotal(rub(total));
    expect(await customer.text('total-points')).toBe(`−${rubBare(10000)}`);
    // 3 % of what is paid in money, in whole points, rounded down.
    const earned = Math.floor((total * 300) / 10000 / 100);
    expect(earned).toBe(7);
    expect(await customer.text('points-earned')).toBe('+7 баллов за этот чек');
    expect(await checkout.focusedTestId()).toBe('scan-input');

    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    expect(await pay.text('pay-due')).toBe(rub(total));
    await pay.tenderCash('300');
    await pay.complete();
    const receipt = new ReceiptPage(page);
    expect(await receipt.text('receipt-total')).toBe(rub(total));
    const printed = await receipt.printed();
    expect(printed).toMatch(/Программа лояльности/);
    expect(printed).toMatch(/Списано баллов\s+100 \(-100,00\)/);
    expect(printed).toMatch(/Начислено баллов\s+7/);
    expect(printed).toMatch(/Баланс баллов\s+7/);
    // The screen says the same for the cashier to read out.
    expect(await receipt.text('receipt-loyalty-spent')).toBe(`100 баллов = −${rub(10000)}`);
    expect(await receipt.text('receipt-loyalty-earned')).toBe('+7 баллов');
    expect(await receipt.text('receipt-loyalty-balance')).toBe('7 баллов');
    await receipt.newSale();

    // Next time the customer is found by the phone however it is dialled; taken off again with one click.
    await customer.find(CUSTOMER.sameDialled);
    await customer.waitForText('customer-balance', '7 баллов');
    await page.getByTestId('customer-remove').click();
    await page.getByTestId('customer-button').waitFor();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('a manager raises the earn rate (checked in the form first) and makes a coupon, which then applies at the till', async () => {
    await page.getByTestId('logout').click();
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(MANAGER.name, MANAGER.pin);
    const checkout = new CheckoutPage(page);
    const admin = new LoyaltyAdmin(page);
    await admin.open();

    await admin.section('programme');
    expect(await page.getByTestId('loyalty-programme').getAttribute('data-managed')).toBe('false');
    expect(await page.getByTestId('programme-earn').inputValue()).toBe('3');
    // Out of range: refused in the form, in Russian, with the bound as the manager types it.
    await page.getByTestId('programme-earn').fill('150');
    await admin.saveProgramme();
    await page.getByTestId('programme-earn-error').waitFor();
    expect(plain(await page.getByTestId('programme-earn-error').textContent())).toBe('Введите процент от 0 до 100 (не больше двух знаков после запятой)');
    await page.getByTestId('programme-earn').fill('5');
    // And a tighter bound on what this till may give away a day while the head office cannot confirm a balance.
    await page.getByTestId('programme-offline-cap').fill('103');
    // Tiers must go up in spend: the schema's own rule, translated.
    await page.getByTestId('programme-tier-add').click();
    await page.getByTestId('programme-tier-0-name').fill('Золото');
    await page.getByTestId('programme-tier-0-minSpend').fill('50000');
    await page.getByTestId('programme-tier-0-earn').fill('7');
    await page.getByTestId('programme-tier-add').click();
    await page.getByTestId('programme-tier-1-name').fill('Серебро');
    await page.getByTestId('programme-tier-1-minSpend').fill('10000');
    await page.getByTestId('programme-tier-1-earn').fill('5');
    await admin.saveProgramme();
    await page.getByTestId('programme-tiers-error').waitFor();
    expect(plain(await page.getByTestId('programme-tiers-error').textContent())).toBe('Каждый следующий уровень — от большей суммы, чем предыдущий');
    await page.getByTestId('programme-tier-1-remove').click();
    await page.getByTestId('programme-tier-0-remove').click();
    await admin.saveProgramme();
    await checkout.waitForToast('Программа лояльности сохранена');
    expect(await page.getByTestId('programme-earn').inputValue()).toBe('5');

    await admin.section('coupons');
    await page.getByTestId('coupon-new').click();
    await page.getByTestId('coupon-code').fill('a');
    await page.getByTestId('coupon-save').click();
    await page.getByTestId('coupon-code-error').waitFor();
    expect(plain(await page.getByTestId('coupon-code-error').textContent())).toBe('От 3 до 40 букв, цифр, - или _');
    await page.getByTestId('coupon-cancel').click();
    await admin.createCoupon({ code: 'spring10', percent: '10' });
    await checkout.waitForToast('Купон SPRING10 сохранён');
    const row = page.locator('[data-testid="coupon-row"][data-code="SPRING10"]');
    expect(plain(await row.getByTestId('coupon-row-value').textContent())).toBe('−10 %');

    // The customer's card: points and their history, and their data as a file.
    await admin.section('customers');
    await admin.openCustomer('Ирина');
    expect(plain(await page.getByTestId('loyalty-card-points').textContent())).toBe('7 баллов');
    expect(plain(await page.getByTestId('loyalty-card-phone').textContent())).toBe('+7 912 345-67-89');
    expect(await page.locator('[data-testid="loyalty-history-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(['earn', 'burn', 'earn']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('loyalty-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^customer-\d+\.json$/);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { customer: { name: string } };
    expect(exported.customer.name).toBe(CUSTOMER.name);

    await page.getByTestId('admin-close').click();
    await page.getByTestId('scan-input').waitFor();
    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    const customer = new CustomerPanel(page);
    await customer.find(CUSTOMER.phone);
    await customer.applyCoupon('spring10');
    const coupon = Math.round(PRICE.milk / 10);
    expect(await customer.text('coupon-amount')).toBe(`−${rub(coupon)}`);
    expect(await customer.text('total-coupon')).toBe(`−${rubBare(coupon)}`);
    const total = PRICE.milk - coupon;
    await checkout.waitForTotal(rub(total));
    // The new rate: 5 % of 80,91 ₽ is 4 whole points.
    expect(await customer.text('points-earned')).toBe('+4 балла за этот чек');
    // 100 of today's 103 went on her first receipt: of her 7 points only 3 may go now, and the panel says why.
    await customer.waitForText('points-max', 'Максимум 3 Alt+M');
    expect(await page.getByTestId('points-limit').getAttribute('data-limit')).toBe('offline_cap');
    expect(await customer.text('points-limit')).toBe('больше нельзя: дневной лимит, пока головной офис не подтвердил баланс');
    expect(await customer.text('customer-online')).toBe('Без связи: сегодня ещё до 3 баллов');

    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.tenderCash('100');
    await pay.complete();
    const printed = await new ReceiptPage(page).printed();
    expect(printed).toMatch(/Купон SPRING10\s+-8,99/);
    expect(printed).toMatch(/Начислено баллов\s+4/);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('applies the birthday coupon in one click; a manager erases the customer after a dialog that says what happens', async () => {
    await new ReceiptPage(page).newSale();
    const checkout = new CheckoutPage(page);
    const customer = new CustomerPanel(page);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await customer.find(CUSTOMER.phone);
    await page.getByTestId('customer-coupon-birthday').click();
    await page.getByTestId('coupon-applied').waitFor();
    expect(await page.getByTestId('coupon-applied').getAttribute('data-code')).toMatch(/^BDAY-\d{4}-/);
    expect(await customer.text('coupon-amount')).toBe(`−${rub(Math.round(PRICE.milk / 10))}`);
    expect(await page.getByTestId('customer-coupon-birthday').count()).toBe(0);

    const admin = new LoyaltyAdmin(page);
    await admin.open();
    await admin.openCustomer('Ирина');
    await page.getByTestId('loyalty-erase').click();
    const dialog = page.getByTestId('loyalty-erase-dialog');
    expect(plain(await dialog.textContent())).toContain('затем головной офис удаляет их на всех кассах сети');
    // Esc closes the dialog only, not the back office.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('admin-loyalty').waitFor();
    await page.getByTestId('loyalty-erase').click();
    await page.getByTestId('loyalty-erase-confirm').click();
    await page.locator('[data-testid="loyalty-customer-card"][data-erased="true"]').waitFor();
    expect(plain(await page.getByTestId('loyalty-card-name').textContent())).toBe('Данные удалены');
    await page.getByTestId('loyalty-customer-back').click();
    await page.getByTestId('loyalty-customer-search').fill(CUSTOMER.phone);
    await page.getByTestId('loyalty-customers-empty').waitFor();
    // The basket she was on says so too.
    await page.getByTestId('admin-close').click();
    await customer.waitForText('customer-name', 'Данные удалены');
    expect(e2e.pageErrors).toEqual([]);
  });
});
