import type { Page } from 'playwright-core';
import { plain } from './index.js';

export interface LineText {
  name: string;
  qty: string;
  discount: string;
  amount: string;
}

export class CheckoutPage {
  constructor(private readonly page: Page) {}

  /** A keyboard-wedge scanner: the whole code as a fast burst, then Enter. */
  async scan(code: string): Promise<void> {
    await this.page.keyboard.type(code, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  async scanAndWaitForLines(code: string, lines: number): Promise<void> {
    await this.scan(code);
    await this.waitForLineCount(lines);
  }

  async waitForLineCount(n: number): Promise<void> {
    await this.page.waitForFunction((count) => document.querySelectorAll('[data-testid="line-row"]').length === count, n);
  }

  /** Typed by hand into the main input, a key at a time like a person. */
  async typeSlowly(text: string): Promise<void> {
    await this.page.getByTestId('scan-input').focus();
    await this.page.keyboard.type(text, { delay: 90 });
  }

  async searchResults(): Promise<string[]> {
    await this.page.getByTestId('search-result').first().waitFor();
    return (await this.page.getByTestId('search-result').allTextContents()).map(plain);
  }

  async lines(): Promise<LineText[]> {
    const rows = this.page.getByTestId('line-row');
    const out: LineText[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      out.push({
        name: plain(await row.getByTestId('line-name').textContent()),
        qty: plain(await row.getByTestId('line-qty').textContent()),
        discount: plain(await row.getByTestId('line-discount').textContent()),
        amount: plain(await row.getByTestId('line-amount').textContent()),
      });
    }
    return out;
  }

  async total(): Promise<string> {
    return plain(await this.page.getByTestId('total').textContent());
  }

  async waitForTotal(text: string): Promise<void> {
    const squash = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, '');
    await this.page.waitForFunction((t) => (document.querySelector('[data-testid="total"]')?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, '') === t, squash(text));
  }

  async applyReceiptDiscountPercent(percent: string): Promise<void> {
    await this.page.getByTestId('receipt-discount-button').click();
    await this.page.getByTestId('discount-kind-percent').click();
    await this.page.getByTestId('discount-percent-input').fill(percent);
    await this.page.getByTestId('discount-apply').click();
    await this.page.getByTestId('discount-dialog').waitFor({ state: 'detached' });
  }

  /** F3 on the selected line, a new price, Enter. */
  async overridePrice(price: string): Promise<void> {
    await this.page.keyboard.press('F3');
    await this.page.getByTestId('amount-input').fill(price);
    await this.page.keyboard.press('Enter');
  }

  /** The weight dialog a weighed item opens: type the kilograms on the numpad, then apply. */
  async enterWeight(kg: string): Promise<void> {
    await this.page.getByTestId('amount-dialog').waitFor();
    for (const ch of kg) await this.page.getByTestId(`amount-key-${/\d/.test(ch) ? ch : 'decimal'}`).click();
    await this.page.getByTestId('amount-apply').click();
    await this.page.getByTestId('amount-dialog').waitFor({ state: 'detached' });
  }

  async park(): Promise<void> {
    await this.page.keyboard.press('F7');
    await this.page.getByTestId('lines-empty').waitFor();
  }

  async resumeFirstParked(): Promise<void> {
    await this.page.keyboard.press('F8');
    await this.page.getByTestId('parked-item').first().click();
    await this.page.getByTestId('parked-dialog').waitFor({ state: 'detached' });
  }

  async openPayment(): Promise<void> {
    await this.page.getByTestId('pay-button').click();
    await this.page.getByTestId('payment-dialog').waitFor();
  }

  async toast(): Promise<string> {
    const t = this.page.getByTestId('toast');
    await t.waitFor();
    return plain(await t.locator('.toast-text').textContent());
  }

  /** Waits until the toast says exactly `text` (a newer message replaces an older one). */
  async waitForToast(text: string): Promise<void> {
    await this.page.waitForFunction(
      (t) => (document.querySelector('[data-testid="toast"] .toast-text')?.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim() === t,
      text,
    );
  }

  async dismissToast(): Promise<void> {
    await this.page.getByTestId('toast').click();
    await this.page.getByTestId('toast').waitFor({ state: 'detached' });
  }

  async focusedTestId(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  }

  async connectionState(): Promise<string | null> {
    return this.page.getByTestId('connection-status').getAttribute('data-state');
  }

  async waitForConnection(state: 'online' | 'reconnecting'): Promise<string> {
    await this.page.waitForFunction((s) => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') === s, state);
    return plain(await this.page.getByTestId('connection-status').textContent());
  }

  /** window.__lavkaScanTimings: ms from each scan's Enter to the frame after its line was in the DOM. */
  async scanTimings(): Promise<number[]> {
    return this.page.evaluate(() => (window as Window & { __lavkaScanTimings?: number[] }).__lavkaScanTimings ?? []);
  }
}
