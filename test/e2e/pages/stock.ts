import type { Page } from 'playwright-core';
import { plain } from './index.js';

/** The stock screen (a stock clerk's landing screen; F10 → Склад for others): deliveries, counts, levels. */
export class StockPage {
  constructor(private readonly page: Page) {}

  async waitForScreen(): Promise<void> {
    await this.page.getByTestId('stock-screen').waitFor();
  }

  async newDelivery(): Promise<void> {
    await this.page.getByTestId('stock-new-receiving').click();
    await this.page.getByTestId('stock-doc').waitFor();
  }

  async addSupplier(name: string, inn: string): Promise<void> {
    await this.page.getByTestId('stock-supplier-add').click();
    await this.page.getByTestId('supplier-name').fill(name);
    await this.page.getByTestId('supplier-inn').fill(inn);
    await this.page.getByTestId('supplier-save').click();
  }

  async closeSupplierDialog(): Promise<void> {
    await this.page.getByTestId('supplier-dialog').getByRole('button', { name: /Назад|Back/ }).click();
  }

  async supplier(): Promise<string> {
    return this.page.getByTestId('stock-supplier').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
  }

  async invoice(no: string): Promise<void> {
    await this.page.getByTestId('stock-invoice-no').fill(no);
    await this.page.getByTestId('stock-invoice-no').press('Tab');
  }

  /** Types a barcode into the scan box and presses Enter; waits until the document has counted it. */
  async scan(code: string): Promise<void> {
    const before = await this.page.getByTestId('stock-doc').getAttribute('data-counted');
    await this.page.getByTestId('stock-scan').fill(code);
    await this.page.getByTestId('stock-scan').press('Enter');
    await this.page.waitForFunction((b) => document.querySelector('[data-testid="stock-doc"]')?.getAttribute('data-counted') !== b, before);
  }

  async linesText(): Promise<string> {
    return (await this.page.getByTestId('stock-lines').locator('tbody').textContent()) ?? '';
  }

  line(productId: number) {
    return this.page.locator(`[data-testid^="stock-line-"][data-product="${productId}"]`);
  }

  async lineStatus(productId: number): Promise<string | null> {
    return this.line(productId).getAttribute('data-status');
  }

  async lineNo(productId: number): Promise<number> {
    return Number((await this.line(productId).getAttribute('data-testid'))?.replace('stock-line-', ''));
  }

  /** Types into a line's cell and leaves it (the value is saved on blur). */
  async setCell(productId: number, field: 'qty' | 'expectedQty' | 'cost' | 'newPrice', text: string): Promise<void> {
    const n = await this.lineNo(productId);
    const cell = this.page.getByTestId(`stock-${field}-${n}`);
    await cell.fill(text);
    await cell.press('Enter');
  }

  async receivedCost(): Promise<string> {
    return plain(await this.page.getByTestId('stock-received-cost').textContent());
  }

  async post(): Promise<void> {
    await this.page.getByTestId('stock-post').click();
    await this.page.getByTestId('stock-post-dialog').waitFor();
    await this.page.getByTestId('stock-post-confirm').click();
    await this.page.waitForSelector('[data-testid="stock-doc"][data-state="posted"]');
  }

  async levels(search: string): Promise<void> {
    await this.page.getByTestId('stock-tab-levels').click();
    await this.page.getByTestId('stock-levels-search').fill(search);
  }

  async level(productId: number): Promise<{ qty: string; cost: string }> {
    await this.page.getByTestId(`stock-level-${productId}`).waitFor();
    return {
      qty: plain(await this.page.getByTestId(`stock-level-qty-${productId}`).textContent()),
      cost: plain(await this.page.getByTestId(`stock-level-cost-${productId}`).textContent()),
    };
  }
}
