import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { customerViewUrl } from '../../src-renderer/features/customer-display/url.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, LoginPage, PaymentDialog, plain } from './pages/index.js';

const CASHIER = { name: 'Анна Смирнова', pin: '1111' };
const GREETING = 'Добро пожаловать!';

/** The money part of a text ("359,90 ₽", "Сдача: 640,10" → "359,90", "640,10"): the till and the screen may differ in the currency sign. */
const amountOf = (text: string): string => plain(text).replace(/[^\d,.-]/g, '');

/** What the customer sees on the second screen, read like the customer would. */
class CustomerScreenPage {
  constructor(readonly page: Page) {}

  private async attr(name: string): Promise<string | null> {
    return this.page.getByTestId('customer-screen').getAttribute(name);
  }

  async waitForState(state: 'idle' | 'basket' | 'paid'): Promise<void> {
    await this.page.waitForFunction((s) => document.querySelector('[data-testid="customer-screen"]')?.getAttribute('data-state') === s, state);
  }

  /** A reconnect waits out the back-off (up to 5 s) after the backend's own restart: allow for both on a busy machine. */
  async waitForLink(link: 'online' | 'reconnecting'): Promise<void> {
    await this.page.waitForFunction((s) => document.querySelector('[data-testid="customer-screen"]')?.getAttribute('data-link') === s, link, { timeout: 25_000 });
  }

  async waitForLineCount(n: number): Promise<void> {
    await this.page.waitForFunction((count) => document.querySelectorAll('[data-testid="customer-line"]').length === count, n);
  }

  async text(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  async lines(): Promise<{ name: string; detail: string; amount: string }[]> {
    return this.page.getByTestId('customer-line').evaluateAll((rows) =>
      rows.map((r) => {
        const text = (id: string): string => (r.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
        return { name: text('customer-line-name'), detail: text('customer-line-detail'), amount: text('customer-line-amount') };
      }),
    );
  }

  async state(): Promise<string | null> {
    return this.attr('data-state');
  }
}

const e2e = chromiumTill('customer-screen');
let till: Page;
let screen: CustomerScreenPage;

beforeAll(async () => {
  till = e2e.page;
  // The small customer LCD: everything must fit 1024×600.
  const page = await e2e.browser.newPage({ viewport: { width: 1024, height: 600 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => e2e.pageErrors.push(`customer screen: ${e.message}`));
  await page.goto(customerViewUrl(e2e.backend.url));
  screen = new CustomerScreenPage(page);
});
afterAll(async () => {
  await screen?.page.close();
});

describe('the customer screen beside the till, in Chromium', () => {
  it('greets the customer before anyone has logged in at the till', async () => {
    await screen.waitForState('idle');
    await screen.waitForLink('online');
    expect(await screen.text('customer-note')).toBe(GREETING);
    expect(await screen.text('customer-title')).not.toBe('');
    // The till page is unaffected: it shows its login screen as usual.
    await new LoginPage(till).waitForLoginScreen();
    expect(await screen.page.getByTestId('login-screen').count()).toBe(0);
  });

  it('shows each line as the cashier scans it, newest at the bottom, and the same total as the till', async () => {
    await new LoginPage(till).loginAs(CASHIER.name, CASHIER.pin);
    const checkout = new CheckoutPage(till);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await screen.waitForState('basket');
    await screen.waitForLineCount(1);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.water6, 2);
    await screen.waitForLineCount(2);

    const tillLines = await checkout.lines();
    const shown = await screen.lines();
    expect(shown.map((l) => l.name)).toEqual(tillLines.map((l) => l.name));
    expect(shown.map((l) => amountOf(l.amount))).toEqual(tillLines.map((l) => amountOf(l.amount)));
    // "6 × 45,00": the quantity and the unit price, as the till formats them.
    expect(shown[1]!.detail).toMatch(/^6 × 45,00/);
    const total = await checkout.total();
    await screen.page.waitForFunction(
      (t) => (document.querySelector('[data-testid="customer-total"]')?.textContent ?? '').replace(/[^\d,.-]/g, '') === t,
      amountOf(total),
    );
    expect(amountOf(await screen.text('customer-total'))).toBe(amountOf(total));
    expect(await screen.text('customer-total-label')).not.toBe('');
    // The newest line is the lowest one on the screen, and it is in view.
    const boxes = await screen.page.getByTestId('customer-line').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().bottom));
    expect(boxes[1]!).toBeGreaterThan(boxes[0]!);
    expect(boxes[1]!).toBeLessThanOrEqual(600);
  });

  it('shows the change due once the customer has paid in cash', async () => {
    const checkout = new CheckoutPage(till);
    await checkout.openPayment();
    const pay = new PaymentDialog(till);
    await pay.tenderCash('1000');
    const change = await pay.text('pay-change');
    expect(amountOf(change)).toBe('640,10'); // 1 000,00 − (89,90 + 6 × 45,00)
    await pay.complete();
    await screen.waitForState('paid');
    const note = await screen.text('customer-note');
    expect(note).toContain('Сдача');
    expect(amountOf(note)).toBe(amountOf(change));
  });

  it('says the link is lost while the backend is down, then reads the view again and follows the till', async () => {
    await e2e.backend.kill();
    await screen.waitForLink('reconnecting');
    await screen.page.getByTestId('customer-offline').waitFor({ timeout: 25_000 });
    expect(await screen.text('customer-offline')).toBe('Нет связи с кассой');
    await e2e.backend.restart();
    await screen.waitForLink('online');
    await screen.page.getByTestId('customer-offline').waitFor({ state: 'detached', timeout: 25_000 });
    await screen.waitForState('idle');
    expect(await screen.text('customer-note')).toBe(GREETING);

    // The events come again on the new link: the cashier logs in anew and the next basket shows.
    const login = new LoginPage(till);
    await login.waitForLoginScreen();
    await login.chooseUser(CASHIER.name);
    await login.tapPin(CASHIER.pin);
    await till.getByTestId('scan-input').waitFor();
    const checkout = new CheckoutPage(till);
    await checkout.scanAndWaitForLines(DEMO_BARCODES.bread, 1);
    await screen.waitForLineCount(1);
    expect((await screen.lines())[0]!.name).toBe((await checkout.lines())[0]!.name);
    expect(await screen.state()).toBe('basket');
  }, 60_000);

  it('left no uncaught errors in either page', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
