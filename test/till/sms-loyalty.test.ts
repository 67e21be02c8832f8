import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { waitFor as until } from '../support/wait.js';
import { openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

async function buy(x: Till, customerId: string): Promise<void> {
  await x.c.call('checkout.setCustomer', { customerId });
  for (let i = 0; i < 5; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
  await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 44_950 }] });
}

describe('SMS to loyalty customers, through the till’s own worker and the emulated provider', () => {
  it('service messages go to those who agreed to them; the birthday (advertising) only to those who agreed to advertising', async () => {
    // The demo with emulated devices sends SMS through the emulated provider, points messages on.
    const x = openTill({ demo: { products: 200, emulatedDevices: true } });
    tills.push(x);
    await x.as('cashier');
    // Both have a birthday on 26 November: the clock stands at 22 November, outside the coupon's window
    // (from 3 days before); tomorrow is inside it.
    const olga = await x.c.call('customers.signUp', { phone: '+79161112233', name: 'Ольга', birthday: '1990-11-26', consents: { loyalty: true, service: true } });
    const ivan = await x.c.call('customers.signUp', { phone: '+79162223344', name: 'Иван', birthday: '1991-11-26', consents: { loyalty: true, service: true, advertising: true } });
    const nobody = await x.c.call('customers.signUp', { phone: '+79163334455', name: 'Пётр', consents: { loyalty: true } });
    await buy(x, olga.id);
    await buy(x, ivan.id);
    await buy(x, nobody.id);
    const first = await until(() => x.c.call('sms.emulated'), (m) => m.length >= 2, 'the points messages');
    expect(first.map((m) => m.to).sort()).toEqual(['79161112233', '79162223344']);
    expect(first.every((m) => /начислено 13 б/.test(m.text))).toBe(true);

    // Next day (11:00 in Moscow, the shift still young enough) the daily triggers run (a sale wakes
    // the worker): the birthday coupon goes only to Ivan.
    x.t.clock.advance(23 * 3_600_000);
    await x.as('cashier');
    await buy(x, ivan.id);
    const all = await until(() => x.c.call('sms.emulated'), (m) => m.some((s) => /рождения/.test(s.text)) && m.length >= 4, 'the birthday message');
    const to = (phone: string) => all.filter((m) => m.to.endsWith(phone.slice(-10)));
    expect(to('+79161112233').map((m) => m.text)).toEqual([expect.stringMatching(/начислено/)]);
    expect(to('+79162223344').map((m) => m.text)).toEqual([expect.stringMatching(/начислено/), expect.stringMatching(/начислено|рождения/), expect.stringMatching(/начислено|рождения/)]);
    expect(to('+79162223344').some((m) => m.text.includes('BDAY-2026-'))).toBe(true);
    expect(to('+79163334455')).toEqual([]);
    // The send log says what happened to each.
    await x.as('manager');
    const log = await x.c.call('sms.log', {});
    expect(JSON.stringify(log)).toMatch(/sent|delivered/);
  });

  it('a till told not to send the day’s messages sends no birthday message (one till of a chain should)', async () => {
    const x = openTill({ demo: { products: 200, emulatedDevices: true } });
    tills.push(x);
    await x.as('manager');
    const { apiKeySet: _set, ...settings } = await x.c.call('sms.settings');
    await x.c.call('sms.saveSettings', { settings: { ...settings, dailyTriggers: false } });
    const ivan = await x.c.call('customers.signUp', { phone: '+79162223344', name: 'Иван', birthday: '1991-11-26', consents: { loyalty: true, service: true, advertising: true } });
    x.t.clock.advance(23 * 3_600_000);
    await x.as('cashier');
    await buy(x, ivan.id);
    const sent = await until(() => x.c.call('sms.emulated'), (m) => m.length >= 1, 'the points message');
    expect(sent.map((m) => m.text)).toEqual([expect.stringMatching(/начислено/)]);
    expect(x.t.backend.db.prepare(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'birthday'`).pluck().get()).toBe(0);
  });
});
