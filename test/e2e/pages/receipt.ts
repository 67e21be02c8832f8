import type { Page } from 'playwright-core';
import { plain } from './index.js';

export class ReceiptPage {
  constructor(private readonly page: Page) {}

  async text(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  async printed(): Promise<string> {
    await this.page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="receipt-printed"]');
      return !!el && /\d/.test(el.textContent ?? '');
    });
    return (await this.page.getByTestId('receipt-printed').textContent()) ?? '';
  }

  async newSale(): Promise<void> {
    await this.page.getByTestId('new-sale').click();
    await this.page.getByTestId('scan-input').waitFor();
  }
}
