import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src-common/money.js';
import type { Minor } from '../../src-common/units.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, LoginPage, PaymentDialog, ReceiptPage, plain } from './pages/index.js';
import { CustomerPanel, MessagesPage, type EmulatedSms, type SmsLogRow } from './pages/loyalty.js';

const CASHIER = { name: 'Анна Смирнова', pin: '1111' };
const MANAGER = { name: 'Мария Иванова', pin: '3333' };

/**
 * Today in the store's time zone (the demo store's, Europe/Moscow), which is what the till's
 * business day and the birthday window count in. A birthday on this day is inside the programme's
 * default window (3 days before to 7 after) whatever the zone of the machine running the test.
 */
const [YEAR, MONTH, DAY] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date()).split('-') as [string, string, string];
/** 1992: a leap year, so even a 29 February is a date. */
const BIRTHDAY = `${DAY}.${MONTH}.1992`;

/** Agreed to the programme and to service messages, not to advertising. */
const MARINA = { name: 'Марина Соколова', phone: '+7 912 555-01-23', to: '79125550123', masked: '+7 912 ***-**-23', birthday: BIRTHDAY };
/** Agreed to advertising too: the birthday message is hers. */
const OLGA = { name: 'Ольга Ветрова', phone: '+7 913 555-04-56', to: '79135550456', masked: '+7 913 ***-**-56', birthday: BIRTHDAY };
/** Shelf prices of the demo catalog (README), in kopecks. */
const PRICE = { milk: 8990, coffee: 47900 } as const;

const rub = (kopecks: number): string => plain(formatMoney(kopecks as Minor, { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 }));
/** Points earned at the programme's default 3 %, whole points rounded down, on what was paid in money. */
const earnedOn = (paid: number): number => Math.floor((paid * 300) / 10000 / 100);

// The demo with its emulated devices (the harness's default; LAVKA_DEMO_DEVICES=1 says so here): the
// seed switches SMS on through the emulated provider, with the points message on.
const e2e = chromiumTill('loyalty-sms', { LAVKA_DEMO_DEVICES: '1' });
let page: Page;
const ids = { marina: '', olga: '' };
/** What each of Marina's receipts earned, and her balance after it. */
const receipts: { earned: number; balance: number }[] = [];
let birthdayCoupon = '';

beforeAll(() => {
  page = e2e.page;
});

async function logInAs(user: { name: string; pin: string }): Promise<void> {
  if ((await page.getByTestId('logout').count()) > 0) await page.getByTestId('logout').click();
  const login = new LoginPage(page);
  await login.waitForLoginScreen();
  await login.loginAs(user.name, user.pin);
}

const to = (who: { to: string }) => (m: EmulatedSms) => m.to === who.to;
const of = (id: string) => (r: SmsLogRow) => r.customerId === id;

describe('SMS to loyalty customers, from the till to the emulated provider, in Chromium', () => {
  it('the owner reads the SMS settings and the live counter, and turns quiet hours off so the demo sends advertising at any hour', async () => {
    await logInAs(MANAGER);
    const sms = new MessagesPage(page);
    await sms.open();
    expect(await page.getByTestId('loyalty-messages').getAttribute('data-provider')).toBe('emulator');
    expect(await page.getByTestId('loyalty-messages').getAttribute('data-enabled')).toBe('true');
    // The emulated provider's account: 100 ₽ at the start, as the sender last read it.
    await expect
      .poll(async () => {
        await page.getByTestId('sms-balance-refresh').click();
        return page.getByTestId('sms-balance-value').count();
      }, { timeout: 10_000, interval: 250 })
      .toBe(1);
    expect(await sms.text('sms-balance-value')).toBe(rub(500_000));

    expect(await page.getByTestId('sms-enabled').isChecked()).toBe(true);
    expect(await page.getByTestId('sms-provider').inputValue()).toBe('emulator');
    // The key is write-only: the screen knows only that none is stored.
    expect(await page.getByTestId('sms-api-key-state').getAttribute('data-state')).toBe('unset');
    expect(await sms.text('sms-api-key-state')).toBe('Ключ не задан');
    expect(await page.getByTestId('sms-api-key').inputValue()).toBe('');
    expect(await page.getByTestId('sms-sender').inputValue()).toBe('Lavka');
    // Operators take Latin sender names only: refused in the form, in Russian, nothing sent.
    await page.getByTestId('sms-sender').fill('Лавка');
    await sms.save();
    await page.getByTestId('sms-sender-error').waitFor();
    expect(await sms.text('sms-sender-error')).toBe('От 1 до 11 латинских букв, цифр, пробелов и . - _; не только цифры');
    await page.getByTestId('sms-sender').fill('Lavka');
    // Advertising waits out quiet hours (21:00–09:00 by default); the demo's birthday message must go whenever this runs.
    expect(await sms.text('sms-quiet-summary')).toBe('Реклама с 21:00 до 09:00 ждёт; сервисные сообщения уходят в любое время');
    await page.getByTestId('sms-quiet-from').selectOption('0');
    await page.getByTestId('sms-quiet-to').selectOption('0');
    expect(await sms.text('sms-quiet-summary')).toBe('Тихих часов нет: реклама уходит в любое время');

    // The templates: the points message is on and is a service message; the birthday one advertises.
    await sms.section('templates');
    expect(await page.getByTestId('sms-template-points-enabled').isChecked()).toBe(true);
    expect(await page.getByTestId('sms-template-points-purpose').getAttribute('data-purpose')).toBe('service');
    expect(await page.getByTestId('sms-template-birthday-purpose').getAttribute('data-purpose')).toBe('advertising');
    expect(await sms.text('sms-template-birthday-purpose')).toBe('Рекламное: только тем, кто согласился на рекламу; не в тихие часы');
    // Russian text travels as UCS-2: 70 characters a message, 67 a part of a longer one.
    const points = await sms.counter('sms-template-points');
    expect(points.encoding).toBe('ucs2');
    expect([70, 67]).toContain(points.perSegment);
    expect(points.chars).toBe(`${points.units} / ${points.perSegment} симв.`);
    await page.waitForFunction(() => /вам начислено 125 б\. Баланс: 1480 б\./.test(document.querySelector('[data-testid="sms-template-points-preview"]')?.textContent ?? ''));
    expect(await page.getByTestId('sms-template-birthday-chip-coupon').count()).toBe(1);
    expect(await page.getByTestId('sms-template-points-chip-coupon').count()).toBe(0);

    // The live counter, on a campaign text (nothing is saved or sent from here).
    await sms.section('campaign');
    await page.getByTestId('sms-campaign-text').fill('Sale today -10% for you, ');
    expect(await sms.counter('sms-campaign')).toMatchObject({ encoding: 'gsm7', units: 24, perSegment: 160, segments: 1, tooLong: false, chars: '24 / 160 симв.', parts: '1 SMS' });
    // A placeholder chip goes in at the caret; the sample name is Cyrillic, so the text becomes UCS-2.
    await page.getByTestId('sms-campaign-chip-name').click();
    expect(await page.getByTestId('sms-campaign-text').inputValue()).toBe('Sale today -10% for you, {name}');
    expect(await sms.counter('sms-campaign')).toMatchObject({ encoding: 'ucs2', units: 34, perSegment: 70, segments: 1, chars: '34 / 70 симв.' });
    await page.getByTestId('sms-campaign-text').fill('x'.repeat(470));
    expect(await sms.counter('sms-campaign')).toMatchObject({ encoding: 'gsm7', units: 470, perSegment: 153, segments: 4, tooLong: true, parts: '4 SMS' });
    expect(await sms.text('sms-campaign-counter-too-long')).toBe('Длиннее 3 SMS — такое сообщение не будет отправлено');
    await page.getByTestId('sms-campaign-text').fill('');

    await sms.section('settings');
    expect(await sms.text('sms-quiet-summary')).toBe('Тихих часов нет: реклама уходит в любое время');
    await sms.save();
    await new CheckoutPage(page).waitForToast('Настройки SMS сохранены');
    expect(e2e.pageErrors).toEqual([]);
  });

  it('a cashier signs a customer up at the till — service messages yes, advertising no — and her first receipt shows the points earned', async () => {
    await logInAs(CASHIER);
    const checkout = new CheckoutPage(page);
    const customer = new CustomerPanel(page);
    await customer.signUp({ ...MARINA, consents: { service: true } });
    await checkout.waitForToast(`${MARINA.name} — в программе лояльности`);
    ids.marina = await customer.customerId();
    expect(ids.marina).not.toBe('');
    await customer.waitForText('customer-balance', '100 баллов');
    // Her birthday is in the coupon's window: it is offered, not taken.
    await page.getByTestId('customer-coupon-birthday').waitFor();

    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.waitForTotal(rub(PRICE.milk));
    const earned = earnedOn(PRICE.milk);
    expect(earned).toBe(2);
    await customer.waitForText('points-earned', '+2 балла за этот чек');
    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.tenderCash('100');
    await pay.complete();

    const receipt = new ReceiptPage(page);
    expect(await page.getByTestId('receipt-loyalty').getAttribute('data-customer-id')).toBe(ids.marina);
    expect(await receipt.text('receipt-loyalty-earned')).toBe('+2 балла');
    expect(await receipt.text('receipt-loyalty-balance')).toBe('102 балла');
    expect(await page.getByTestId('receipt-loyalty-spent').count()).toBe(0);
    expect(await page.getByTestId('receipt-loyalty-coupon').count()).toBe(0);
    const printed = await receipt.printed();
    expect(printed).toMatch(/Программа лояльности/);
    expect(printed).toMatch(/^Начислено баллов\s+2\s*$/m);
    expect(printed).toMatch(/^Баланс баллов\s+102\s*$/m);
    receipts.push({ earned, balance: 102 });
    await receipt.newSale();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('the next sale: found by her phone (F1), the birthday coupon in one click, the most points; the receipt shows points spent, the coupon and the balance', async () => {
    const checkout = new CheckoutPage(page);
    const customer = new CustomerPanel(page);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.coffee, 2);
    await customer.find(MARINA.phone);
    expect(await customer.customerId()).toBe(ids.marina);
    await customer.waitForText('customer-balance', '102 балла');
    birthdayCoupon = await customer.applyBirthdayCoupon();
    expect(birthdayCoupon).toMatch(/^BDAY-\d{4}-[A-Z0-9]{10}$/);
    const subtotal = PRICE.milk + PRICE.coffee;
    const coupon = Math.round(subtotal / 10);
    expect(await customer.text('coupon-amount')).toBe(`−${rub(coupon)}`);
    // All 102 points fit in half of what is left to pay: her whole balance.
    await customer.waitForText('points-max', 'Максимум 102 Alt+M');
    await page.keyboard.press('Alt+KeyM');
    await customer.waitForText('points-spent', `−102 балла = −${rub(10200)}`);
    const total = subtotal - coupon - 10200;
    await checkout.waitForTotal(rub(total));
    const earned = earnedOn(total);
    expect(earned).toBe(12);
    expect(await customer.text('points-earned')).toBe('+12 баллов за этот чек');

    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.tenderCash('500');
    await pay.complete();
    const receipt = new ReceiptPage(page);
    expect(await receipt.text('receipt-total')).toBe(rub(total));
    expect(await page.getByTestId('receipt-loyalty-coupon').getAttribute('data-code')).toBe(birthdayCoupon);
    expect(await receipt.text('receipt-loyalty-coupon')).toBe(`−${rub(coupon)}`);
    expect(await receipt.text('receipt-loyalty-spent')).toBe(`102 балла = −${rub(10200)}`);
    expect(await receipt.text('receipt-loyalty-earned')).toBe('+12 баллов');
    expect(await receipt.text('receipt-loyalty-balance')).toBe('12 баллов');
    const printed = await receipt.printed();
    expect(printed).toContain(`Купон ${birthdayCoupon}`);
    expect(printed).toMatch(/Списано баллов\s+102 \(-102,00\)/);
    expect(printed).toMatch(/^Начислено баллов\s+12\s*$/m);
    expect(printed).toMatch(/^Баланс баллов\s+12\s*$/m);
    receipts.push({ earned, balance: 12 });
    await receipt.newSale();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('the emulated provider got exactly her two points messages (service, one per sale) and the send log lists them as sent', async () => {
    await logInAs(MANAGER);
    const sms = new MessagesPage(page);
    await sms.open();
    await sms.section('emulator');
    const sent = await sms.waitForEmulated((all) => all.filter(to(MARINA)).length >= 2);
    // Newest first: the second sale's message, then the first's; no birthday message (no advertising consent).
    expect(sent.filter(to(MARINA)).map((m) => m.text)).toEqual(
      [...receipts].reverse().map((r) => expect.stringMatching(new RegExp(`^${MARINA.name}, вам начислено ${r.earned} б\\. Баланс: ${r.balance} б\\.`))),
    );
    expect(sent.filter(to(MARINA)).some((m) => /рожд|BDAY/i.test(m.text))).toBe(false);

    await sms.section('log');
    const rows = await sms.waitForLog((all) => {
      const hers = all.filter(of(ids.marina));
      return hers.length === 2 && hers.every((r) => r.state === 'sent' || r.state === 'delivered');
    });
    for (const r of rows.filter(of(ids.marina))) {
      expect(r).toMatchObject({ kind: 'points', purpose: 'service', phone: MARINA.masked, kindText: 'Начисление баллов', purposeText: 'Сервисное' });
      expect(['Отправлено', 'Доставлено']).toContain(r.stateText);
    }
    expect(e2e.pageErrors).toEqual([]);
  });

  it('a second customer agrees to advertising; the daily messages run when the till starts again and only she gets the birthday message', async () => {
    await logInAs(CASHIER);
    const checkout = new CheckoutPage(page);
    const customer = new CustomerPanel(page);
    await customer.signUp({ ...OLGA, consents: { service: true, advertising: true } });
    await checkout.waitForToast(`${OLGA.name} — в программе лояльности`);
    ids.olga = await customer.customerId();
    await page.getByTestId('customer-remove').click();
    await page.getByTestId('customer-button').waitFor();

    // Birthday and win-back messages are decided once a business day, and when the till starts: the
    // till is switched off and on (the next morning, say). Both customers are in the window now.
    await e2e.backend.restart();
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(MANAGER.name, MANAGER.pin);
    const sms = new MessagesPage(page);
    await sms.open();
    await sms.section('emulator');
    // The emulator started empty with the till: what it has now is what the new day sent.
    const sent = await sms.waitForEmulated((all) => all.some(to(OLGA)));
    const hers = sent.filter(to(OLGA));
    expect(hers).toHaveLength(1);
    // Her birthday coupon's code (BDAY-<year>-<her id's tail>), the one the till applies for her.
    const couponTail = ids.olga.replace(/-/g, '').slice(-10).toUpperCase();
    expect(hers[0]!.text).toMatch(new RegExp(`^${OLGA.name}, с днём рождения! Ваш подарок — скидка по купону BDAY-${YEAR}-${couponTail}\\.`));
    expect(sent.filter(to(MARINA))).toEqual([]);

    // The log keeps everything: one birthday message, hers, advertising; Marina has only her two service messages.
    await sms.section('log');
    await sms.filterLog({ kind: 'birthday' });
    const birthdays = await sms.waitForLog((rows) => rows.some(of(ids.olga)) && rows.every((r) => r.kind === 'birthday'));
    expect(birthdays.filter(of(ids.marina))).toEqual([]);
    expect(birthdays.filter(of(ids.olga))).toEqual([expect.objectContaining({ purpose: 'advertising', purposeText: 'Рекламное', phone: OLGA.masked })]);
    await sms.filterLog({ kind: '', purpose: 'advertising' });
    const ads = await sms.waitForLog((rows) => rows.every((r) => r.purpose === 'advertising') && rows.some(of(ids.olga)));
    expect(ads.filter(of(ids.marina))).toEqual([]);
    await sms.filterLog({ purpose: '' });
    const all = await sms.waitForLog((rows) => rows.some(of(ids.olga)) && rows.some(of(ids.marina)) && rows.some((r) => r.purpose === 'service'));
    expect(all.filter(of(ids.marina)).map((r) => [r.kind, r.purpose, r.state])).toEqual([
      ['points', 'service', expect.stringMatching(/^(sent|delivered)$/)],
      ['points', 'service', expect.stringMatching(/^(sent|delivered)$/)],
    ]);
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it('a campaign is previewed (who would get it, phones masked, nothing sent), then sent behind a dialog that repeats the count', async () => {
    const sms = new MessagesPage(page);
    await sms.section('campaign');
    await page.getByTestId('sms-campaign-name').fill('Кофе по четвергам');
    await page.getByTestId('sms-campaign-text').fill('{name|Здравствуйте}, кофе −10% по четвергам. {store}');
    // Everyone who agreed to advertising: Olga and the demo's Иван Демин, never Marina.
    await page.getByTestId('sms-campaign-preview-button').click();
    await page.locator('[data-testid="sms-campaign-result"][data-count="2"]').waitFor();
    expect(await sms.text('sms-campaign-count')).toBe('2 получателя');
    const recipients = page.getByTestId('sms-campaign-recipient');
    expect(await recipients.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer-id')))).toContain(ids.olga);
    expect(await recipients.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer-id')))).not.toContain(ids.marina);
    // Narrowed to birthdays this month: Olga alone (the demo customers have no birthday on file).
    await page.getByTestId('sms-campaign-birthday').check();
    await page.getByTestId('sms-campaign-stale').waitFor();
    expect(await page.getByTestId('sms-campaign-send').isDisabled()).toBe(true);
    await page.getByTestId('sms-campaign-preview-button').click();
    await page.locator('[data-testid="sms-campaign-result"][data-count="1"]').waitFor();
    expect(await sms.text('sms-campaign-count')).toBe('1 получатель');
    expect(await sms.text('sms-campaign-recipient-phone')).toBe(OLGA.masked);
    expect(await sms.text('sms-campaign-rendered')).toMatch(new RegExp(`^${OLGA.name}, кофе −10% по четвергам\\.`));
    // A preview sends nothing.
    await sms.section('log');
    await sms.filterLog({ kind: 'campaign' });
    await page.getByTestId('sms-log-empty').waitFor();
    // The campaign waited where it was, previewed.
    await sms.section('campaign');
    await page.locator('[data-testid="sms-campaign-result"][data-count="1"]').waitFor();

    await page.getByTestId('sms-campaign-send').click();
    await page.getByTestId('sms-campaign-confirm-dialog').waitFor();
    expect(await sms.text('sms-campaign-confirm-count')).toBe('Рассылка «Кофе по четвергам» уйдёт 1 покупателю.');
    await page.getByTestId('sms-campaign-confirm').click();
    await new CheckoutPage(page).waitForToast('Рассылка «Кофе по четвергам»: в очереди 1 сообщение.');
    await page.getByTestId('sms-log').waitFor();
    const rows = await sms.waitForLog((all) => all.some((r) => r.kind === 'campaign' && r.customerId === ids.olga && (r.state === 'sent' || r.state === 'delivered')));
    expect(rows.filter((r) => r.kind === 'campaign').map((r) => r.customerId)).toEqual([ids.olga]);
    await sms.section('emulator');
    await sms.waitForEmulated((all) => all.some((m) => m.to === OLGA.to && m.text.includes('кофе −10% по четвергам')));
    expect(e2e.pageErrors).toEqual([]);
  });

  it('the emulated account is below a raised alert threshold: when the sender next reads the balance, the owner sees the banner', async () => {
    const sms = new MessagesPage(page);
    await sms.section('settings');
    // The demo account holds 5 000 ₽ less what was sent; an alert from 10 000 ₽.
    await page.getByTestId('sms-low-balance').fill('10000');
    // Saving wakes the sender, which reads the balance (otherwise hourly).
    await sms.save();
    await new CheckoutPage(page).waitForToast('Настройки SMS сохранены');
    await page.locator('[data-testid="sms-alert"][data-kind="low_balance"]').waitFor({ timeout: 15_000 });
    expect(await sms.text('sms-alert')).toMatch(/^На счёте SMS мало денег: [\d\s]+,\d\d ₽ \(порог — 10[\s]000,00 ₽\)\. Пополните счёт/);
    expect(await page.getByTestId('sms-balance').getAttribute('data-low')).toBe('true');
    expect(e2e.pageErrors).toEqual([]);
  });
});
