import type { Page } from 'playwright-core';
import { plain } from './index.js';

export interface ReturnLineText {
  name: string;
  returnable: string;
}

/** The returns screen: against a sale receipt, or without one. */
export class ReturnsPage {
  constructor(private readonly page: Page) {}

  async waitForSource(): Promise<void> {
    await this.page.getByTestId('returns-source').waitFor();
  }

  async sourceTitle(): Promise<string> {
    await this.waitForSource();
    return plain(await this.page.getByTestId('returns-source-title').textContent());
  }

  async lines(): Promise<ReturnLineText[]> {
    const rows = this.page.getByTestId('returns-line');
    const out: ReturnLineText[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      out.push({
        name: plain(await row.getByTestId('returns-line-name').textContent()),
        returnable: plain(await row.getByTestId('returns-line-returnable').textContent()),
      });
    }
    return out;
  }

  /** How much of the line named `name` comes back, as typed ("1", "0,250"). */
  async setQty(name: string, qty: string): Promise<void> {
    await this.page.getByTestId('returns-line').filter({ hasText: name }).getByTestId('returns-qty').fill(qty);
  }

  async refundTotal(testId: 'returns-refund-total' | 'returns-free-total' = 'returns-refund-total'): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  async confirm(): Promise<void> {
    await this.page.getByTestId('returns-confirm').click();
  }

  /** Without a receipt: the goods scanned (or typed) into the product field. */
  async startWithoutReceipt(): Promise<void> {
    await this.page.getByTestId('returns-mode-free').click();
    await this.page.getByTestId('returns-product-search').waitFor();
  }

  async addProductByCode(code: string): Promise<void> {
    const before = await this.page.getByTestId('returns-free-line').count();
    await this.page.getByTestId('returns-product-search').focus();
    await this.page.keyboard.type(code, { delay: 5 });
    await this.page.keyboard.press('Enter');
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid="returns-free-line"]').length === n, before + 1);
  }

  async freeLineNames(): Promise<string[]> {
    return (await this.page.getByTestId('returns-free-name').allTextContents()).map(plain);
  }

  async fillFree(method: 'cash' | 'card', reason: string): Promise<void> {
    await this.page.getByTestId(`returns-free-method-${method}`).click();
    await this.page.getByTestId('returns-free-reason').fill(reason);
  }

  async confirmFree(): Promise<void> {
    await this.page.getByTestId('returns-free-confirm').click();
  }
}
