// Pure renderer logic the e2e flows lean on (tender maths, typed amounts, quantities). It lives
// next to the e2e suite because this folder is the renderer's test home; it needs no browser.
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../src-common/rpc/schemas.js';
import { moneyInput, quantity } from '../../src-renderer/app/format.js';
import { parsePercent } from '../../src-renderer/features/checkout/discount.js';
import { tender } from '../../src-renderer/features/payment/tender.js';
import { parseMoney } from '../../src-common/money.js';

const RUB = { currency: 'RUB', minorDigits: 2 } as SystemInfo;

describe('payment dialog tender', () => {
  it('mixed: card 100.00 + cash 1000.00 on 501.50 gives 598.50 change', () => {
    expect(tender(50150, '100', '1000')).toMatchObject({ card: 10000, cash: 100000, dueInCash: 40150, remaining: 0, short: 0, change: 59850, cashToSend: 100000 });
  });

  it('an empty cash field means exact cash for whatever the card does not cover', () => {
    expect(tender(50150, '', '')).toMatchObject({ cashToSend: 50150, short: 0, change: 0, remaining: 50150 });
    expect(tender(50150, '501,50', '')).toMatchObject({ cashToSend: 0, dueInCash: 0 });
  });

  it('is short when too little cash is typed, and flags a card above the total or a bad number', () => {
    expect(tender(50150, '', '500')).toMatchObject({ short: 150, remaining: 150, change: 0 });
    expect(tender(50150, '600', '').cardTooBig).toBe(true);
    expect(tender(50150, '1,2,3', '').invalid).toBe(true);
  });
});

describe('typed amounts', () => {
  it('moneyInput writes what parseMoney reads back, in either language', () => {
    for (const amount of [0, 5, 50, 100, 40150, 123456789]) {
      expect(parseMoney(moneyInput(amount, RUB, 'ru'))).toBe(amount);
      expect(parseMoney(moneyInput(amount, RUB, 'en'))).toBe(amount);
    }
    expect(moneyInput(40150, RUB, 'ru')).toBe('401,50');
  });

  it('percent discounts to the hundredth, 0.01–100 %', () => {
    expect(parsePercent('10')).toBe(1000);
    expect(parsePercent('12,5')).toBe(1250);
    expect(parsePercent('0.01')).toBe(1);
    expect(parsePercent('100')).toBe(10000);
    for (const bad of ['0', '100,01', '101', 'abc', '', '1.234']) expect(parsePercent(bad)).toBeNull();
  });

  it('quantities: whole pieces, kilograms to the gram', () => {
    expect(quantity(6000, 'pcs', 'ru')).toBe('6');
    expect(quantity(1234, 'kg', 'ru')).toBe('1,234');
    expect(quantity(500, 'kg', 'en')).toBe('0.500');
    expect(quantity(1500, 'l', 'ru')).toBe('1,500');
  });
});
