import type { Page } from 'playwright-core';

export class PaymentDialog {
  constructor(private readonly page: Page) {}

  async payByCard(amount: string): Promise<void> {
    await this.page.getByTestId('pay-card-input').fill(amount);
    await this.page.getByTestId('pay-card-confirm').click();
  }

  async tenderCash(amount: string): Promise<void> {
    await this.page.getByTestId('pay-cash-input').fill(amount);
  }

  async complete(): Promise<void> {
    await this.page.getByTestId('pay-complete').click();
    await this.page.getByTestId('receipt-view').waitFor();
  }
}
