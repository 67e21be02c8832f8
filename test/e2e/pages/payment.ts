import type { Page } from 'playwright-core';
import { plain } from './index.js';

export class PaymentDialog {
  constructor(private readonly page: Page) {}

  /** The card part: type the amount, and confirm once the terminal says approved. */
  async payByCard(amount: string): Promise<void> {
    await this.page.getByTestId('pay-card-input').fill(amount);
    await this.page.getByTestId('pay-card-confirm').click();
  }

  async tenderCash(amount: string): Promise<void> {
    await this.page.getByTestId('pay-cash-input').fill(amount);
  }

  async text(testId: 'pay-due' | 'pay-remaining' | 'pay-change'): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  async complete(): Promise<void> {
    await this.page.getByTestId('pay-complete').click();
    await this.page.getByTestId('receipt-view').waitFor();
  }
}
