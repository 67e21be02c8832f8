import type { Page } from 'playwright-core';
import { plain } from './index.js';

export class CheckoutPage {
  constructor(private readonly page: Page) {}

  /** A keyboard-wedge scanner: the whole code as a fast burst, then Enter. */
  async scan(code: string): Promise<void> {
    await this.page.keyboard.type(code, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  async scanAndWaitForLines(code: string, lines: number): Promise<void> {
    await this.scan(code);
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid="line-row"]').length === n, lines);
  }

  async lines(): Promise<{ name: string; qty: string; amount: string }[]> {
    const rows = this.page.getByTestId('line-row');
    const out = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      out.push({
        name: plain(await row.getByTestId('line-name').textContent()),
        qty: plain(await row.getByTestId('line-qty').textContent()),
        amount: plain(await row.getByTestId('line-amount').textContent()),
      });
    }
    return out;
  }

  async total(): Promise<string> {
    return plain(await this.page.getByTestId('total').textContent());
  }

  async applyReceiptDiscountPercent(percent: string): Promise<void> {
    await this.page.getByTestId('receipt-discount-button').click();
    await this.page.getByTestId('discount-kind-percent').click();
    await this.page.getByTestId('discount-percent-input').fill(percent);
    await this.page.getByTestId('discount-apply').click();
    await this.page.getByTestId('discount-dialog').waitFor({ state: 'detached' });
  }

  async openPayment(): Promise<void> {
    await this.page.getByTestId('pay-button').click();
    await this.page.getByTestId('payment-dialog').waitFor();
  }

  async toast(): Promise<string> {
    const t = this.page.getByTestId('toast');
    await t.waitFor();
    return plain(await t.textContent());
  }

  async connectionState(): Promise<string | null> {
    return this.page.getByTestId('connection-status').getAttribute('data-state');
  }
}
