import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { AdminPage } from './admin.js';
import { plain } from './index.js';

/**
 * Page models for the loyalty screens (data-testid hooks in src-renderer/features/loyalty and the
 * receipt screen):
 *   checkout   customer-strip, customer-button (F1), customer-panel (data-customer-id, data-online),
 *              customer-change, customer-name, customer-tier, customer-balance, customer-balance-value,
 *              customer-online (data-state online|offline), customer-confirm, customer-remove,
 *              points-control, points-input, points-apply, points-max, points-clear, points-spent,
 *              points-short, points-limit (data-limit), points-earned, customer-coupon-<label> (data-code),
 *              coupon-input, coupon-apply, coupon-applied (data-code, data-problem), coupon-amount,
 *              coupon-problem, coupon-remove; totals: total-tier-discount, total-coupon, total-points
 *   dialog     customer-dialog, customer-mode-find (F1), customer-mode-signup (F2), customer-find-input,
 *              customer-results, customer-result (data-customer-id), customer-find-empty,
 *              customer-signup-button, customer-find-submit, signup-form, signup-phone, signup-name,
 *              signup-birthday, signup-card, signup-referrer, signup-consent-<loyalty|service|advertising>,
 *              signup-<field>-error, signup-consent-error, signup-use-existing, signup-error, signup-submit
 *   receipt    receipt-loyalty (data-customer-id), receipt-loyalty-tier, receipt-loyalty-coupon (data-code),
 *              receipt-loyalty-spent, receipt-loyalty-earned, receipt-loyalty-balance (each data-points)
 *   admin      admin-tab-loyalty, admin-loyalty, loyalty-tab-<customers|programme|coupons|messages>,
 *              loyalty-customers, loyalty-customer-search, loyalty-customer-row (data-customer-id),
 *              loyalty-customer-card (data-erased), loyalty-card-name, loyalty-card-points, loyalty-card-phone,
 *              loyalty-consent-<purpose>, loyalty-history, loyalty-history-row (data-kind), loyalty-export,
 *              loyalty-erase, loyalty-erase-dialog, loyalty-erase-confirm, loyalty-erase-cancel,
 *              loyalty-adjust-points, loyalty-adjust-reason, loyalty-adjust-save, loyalty-customer-back,
 *              loyalty-programme (data-managed), programme-<field> and programme-<field>-error,
 *              programme-tier-<i>-<name|minSpend|earn|discount>, programme-tier-add, programme-save,
 *              loyalty-coupons, coupon-new, coupon-form, coupon-<code|kind|value|min-total|max-uses|
 *              valid-from|valid-to|once|active>, coupon-save, coupon-list, coupon-row (data-code)
 *   messages   loyalty-messages (data-enabled, data-provider), sms-section-<settings|templates|campaign|log|emulator>,
 *              sms-status, sms-balance (data-low), sms-balance-value, sms-balance-refresh,
 *              sms-alert (data-kind low_balance|account, data-code), sms-off;
 *              settings: sms-settings, sms-enabled, sms-provider, sms-api-key-state (data-state set|unset|
 *              replacing|removing), sms-api-key, sms-api-key-remove, sms-sender, sms-low-balance,
 *              sms-max-segments, sms-quiet-from, sms-quiet-to, sms-quiet-summary, sms-survey-url,
 *              sms-survey-delay, sms-winback-days, sms-winback-factor, each input's <id>-error,
 *              sms-save, sms-reset, sms-settings-error;
 *              templates: sms-templates, sms-template-<kind>-group (data-enabled), sms-template-<kind>-enabled,
 *              and an editor per kind;
 *              an editor (prefix sms-template-<kind> or sms-campaign): <prefix> (data-kind, data-purpose),
 *              <prefix>-text, <prefix>-error, <prefix>-chip-<placeholder>, <prefix>-purpose (data-purpose),
 *              <prefix>-counter (data-encoding gsm7|ucs2, data-units, data-per-segment, data-segments,
 *              data-too-long), <prefix>-counter-<encoding|chars|parts|non-gsm|too-long|unknown>, <prefix>-preview;
 *              campaign: sms-campaign-form, sms-campaign-name, sms-campaign-audience, sms-campaign-<lapsed|birthday|
 *              min-spend>, sms-campaign-preview-button, sms-campaign-send, sms-campaign-stale,
 *              sms-campaign-result (data-count), sms-campaign-count, sms-campaign-rendered,
 *              sms-campaign-recipients, sms-campaign-recipient (data-customer-id), sms-campaign-recipient-phone,
 *              sms-campaign-confirm-dialog, sms-campaign-confirm-count, sms-campaign-confirm,
 *              sms-campaign-confirm-cancel, sms-campaign-error;
 *              log: sms-log, sms-log-filter-<state|kind|purpose>, sms-log-counts, sms-log-count-<state> (data-count),
 *              sms-log-table, sms-log-row (data-id, data-state, data-kind, data-purpose, data-customer-id),
 *              sms-log-time, sms-log-phone, sms-log-customer, sms-log-kind, sms-log-purpose, sms-log-state,
 *              sms-log-error-code (data-code), sms-log-segments, sms-log-text, sms-log-retry, sms-log-more,
 *              sms-log-empty, sms-log-error;
 *              emulator (demo): sms-emulator (data-count), sms-emulator-refresh, sms-emulator-empty,
 *              sms-emulated (data-id, data-to: digits as the provider got them, data-status), sms-emulated-to,
 *              sms-emulated-text
 */
export class CustomerPanel {
  constructor(private readonly page: Page) {}

  /**
   * The cashier's sign-up at the till, by keyboard: F1, the phone typed, Enter (nobody has it: the
   * quick form opens with the phone in it and the name to type), the name, Enter. With `consents`,
   * the boxes the customer agreed to are ticked and the form sent with its button.
   */
  async signUp(c: { phone: string; name: string; birthday?: string; consents?: { service?: boolean; advertising?: boolean } }): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.getByTestId('customer-find-input').waitFor();
    await this.page.keyboard.type(c.phone);
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('signup-form').waitFor();
    expect(await this.page.getByTestId('signup-phone').inputValue()).toBe(c.phone);
    expect(await this.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('signup-name');
    await this.page.keyboard.type(c.name);
    if (c.birthday) {
      await this.page.keyboard.press('Tab');
      await this.page.keyboard.type(c.birthday);
    }
    if (c.consents) {
      // The programme's own consent is asked ticked; the others start unticked, each its own choice.
      expect(await this.page.getByTestId('signup-consent-loyalty').isChecked()).toBe(true);
      for (const purpose of ['service', 'advertising'] as const) {
        const box = this.page.getByTestId(`signup-consent-${purpose}`);
        expect(await box.isChecked()).toBe(false);
        if (c.consents[purpose]) await box.check();
      }
      await this.page.getByTestId('signup-submit').click();
    } else {
      await this.page.keyboard.press('Enter');
    }
    await this.page.getByTestId('customer-dialog').waitFor({ state: 'detached' });
    await this.page.getByTestId('customer-panel').waitFor();
  }

  /** F1, the card or phone typed, Enter: the first one found goes on the basket. */
  async find(text: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.getByTestId('customer-find-input').fill(text);
    await this.page.getByTestId('customer-find-input').press('Enter');
    await this.page.getByTestId('customer-dialog').waitFor({ state: 'detached' });
    await this.page.getByTestId('customer-panel').waitFor();
  }

  /** The id of the customer on the basket (the panel carries it). */
  async customerId(): Promise<string> {
    return (await this.page.getByTestId('customer-panel').getAttribute('data-customer-id')) ?? '';
  }

  async text(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  async waitForText(testId: string, text: string): Promise<void> {
    await this.page.waitForFunction(
      ([id, t]) => (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim() === t,
      [testId, text] as const,
    );
  }

  /** Alt+K, the code, Enter. */
  async applyCoupon(code: string): Promise<void> {
    await this.page.keyboard.press('Alt+KeyK');
    await this.page.keyboard.type(code);
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('coupon-applied').waitFor();
  }

  /** The birthday coupon offered on the panel, taken with one click. */
  async applyBirthdayCoupon(): Promise<string> {
    await this.page.getByTestId('customer-coupon-birthday').click();
    await this.page.getByTestId('coupon-applied').waitFor();
    return (await this.page.getByTestId('coupon-applied').getAttribute('data-code')) ?? '';
  }
}

export class LoyaltyAdmin {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await new AdminPage(this.page).open();
    await this.page.getByTestId('admin-tab-loyalty').click();
    await this.page.getByTestId('admin-loyalty').waitFor();
  }

  async section(name: 'customers' | 'programme' | 'coupons' | 'messages'): Promise<void> {
    await this.page.getByTestId(`loyalty-tab-${name}`).click();
    await this.page.getByTestId(`loyalty-${name}`).waitFor();
  }

  async saveProgramme(): Promise<void> {
    await this.page.getByTestId('programme-save').click();
  }

  async createCoupon(c: { code: string; percent: string; minTotal?: string }): Promise<void> {
    await this.page.getByTestId('coupon-new').click();
    await this.page.getByTestId('coupon-code').fill(c.code);
    await this.page.getByTestId('coupon-kind').selectOption('percent');
    await this.page.getByTestId('coupon-value').fill(c.percent);
    if (c.minTotal) await this.page.getByTestId('coupon-min-total').fill(c.minTotal);
    await this.page.getByTestId('coupon-save').click();
    await this.page.getByTestId('coupon-form').waitFor({ state: 'detached' });
  }

  async openCustomer(search: string): Promise<void> {
    await this.page.getByTestId('loyalty-customer-search').fill(search);
    await this.page.getByTestId('loyalty-customer-row').first().click();
    await this.page.getByTestId('loyalty-customer-card').waitFor();
  }
}

export interface SmsCounterView {
  encoding: string;
  units: number;
  perSegment: number;
  segments: number;
  tooLong: boolean;
  chars: string;
  parts: string;
}

export interface SmsLogRow {
  id: string;
  state: string;
  kind: string;
  purpose: string;
  customerId: string;
  phone: string;
  stateText: string;
  kindText: string;
  purposeText: string;
  text: string;
}

export interface EmulatedSms {
  to: string;
  text: string;
  status: string;
}

/** Admin → Loyalty → Messages: what an owner does with SMS. */
export class MessagesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    const admin = new LoyaltyAdmin(this.page);
    await admin.open();
    await admin.section('messages');
  }

  async section(name: 'settings' | 'templates' | 'campaign' | 'log' | 'emulator'): Promise<void> {
    await this.page.getByTestId(`sms-section-${name}`).click();
    await this.page.getByTestId(name === 'campaign' ? 'sms-campaign-form' : `sms-${name}`).waitFor();
  }

  async text(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  /** Save the settings and templates (one `sms.saveSettings`). */
  async save(): Promise<void> {
    await this.page.getByTestId('sms-save').click();
  }

  /** The live counter under an editor (`sms-template-<kind>` or `sms-campaign`). */
  async counter(prefix: string): Promise<SmsCounterView> {
    const c = this.page.getByTestId(`${prefix}-counter`);
    return {
      encoding: (await c.getAttribute('data-encoding')) ?? '',
      units: Number(await c.getAttribute('data-units')),
      perSegment: Number(await c.getAttribute('data-per-segment')),
      segments: Number(await c.getAttribute('data-segments')),
      tooLong: (await c.getAttribute('data-too-long')) === 'true',
      chars: plain(await this.page.getByTestId(`${prefix}-counter-chars`).textContent()),
      parts: plain(await this.page.getByTestId(`${prefix}-counter-parts`).textContent()),
    };
  }

  /** What the emulated provider received, newest first (the emulator section open). */
  async emulated(): Promise<EmulatedSms[]> {
    return this.page.locator('[data-testid="sms-emulated"]').evaluateAll((rows) =>
      rows.map((r) => ({
        to: r.getAttribute('data-to') ?? '',
        status: r.getAttribute('data-status') ?? '',
        text: (r.querySelector('[data-testid="sms-emulated-text"]')?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim(),
      })),
    );
  }

  /**
   * Polls the emulator (its refresh button, not a sleep) until `done` holds for what it received;
   * returns that list.
   */
  async waitForEmulated(done: (sent: EmulatedSms[]) => boolean, timeout = 20_000): Promise<EmulatedSms[]> {
    let last: EmulatedSms[] = [];
    await expect
      .poll(
        async () => {
          await this.page.getByTestId('sms-emulator-refresh').click();
          last = await this.emulated();
          return done(last);
        },
        { timeout, interval: 250 },
      )
      .toBe(true);
    return last;
  }

  async logRows(): Promise<SmsLogRow[]> {
    return this.page.locator('[data-testid="sms-log-row"]').evaluateAll((rows) => {
      const text = (r: Element, id: string) => (r.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
      return rows.map((r) => ({
        id: r.getAttribute('data-id') ?? '',
        state: r.getAttribute('data-state') ?? '',
        kind: r.getAttribute('data-kind') ?? '',
        purpose: r.getAttribute('data-purpose') ?? '',
        customerId: r.getAttribute('data-customer-id') ?? '',
        phone: text(r, 'sms-log-phone'),
        stateText: text(r, 'sms-log-state'),
        kindText: text(r, 'sms-log-kind'),
        purposeText: text(r, 'sms-log-purpose'),
        text: text(r, 'sms-log-text'),
      }));
    });
  }

  /** Waits (the log follows `sms.changed` by itself) until `done` holds for the rows shown; returns them. */
  async waitForLog(done: (rows: SmsLogRow[]) => boolean, timeout = 20_000): Promise<SmsLogRow[]> {
    let last: SmsLogRow[] = [];
    await expect
      .poll(
        async () => {
          last = await this.logRows();
          return done(last);
        },
        { timeout, interval: 250 },
      )
      .toBe(true);
    return last;
  }

  async filterLog(f: { state?: string; kind?: string; purpose?: string }): Promise<void> {
    for (const [name, value] of Object.entries(f)) await this.page.getByTestId(`sms-log-filter-${name}`).selectOption(value);
  }
}
