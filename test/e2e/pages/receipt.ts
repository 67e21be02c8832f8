import type { Page } from 'playwright-core';
import { plain } from './index.js';

export class ReceiptPage {
  constructor(private readonly page: Page) {}

  async text(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  /** The printed copy, once the print effect has run. */
  async printed(): Promise<string> {
    await this.page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="receipt-printed"]')?.textContent ?? ''));
    return (await this.page.getByTestId('receipt-printed').textContent()) ?? '';
  }

  async newSale(): Promise<void> {
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('scan-input').waitFor();
  }
}
