import type { Page } from 'playwright-core';

/** The receipt layout editor (back office → Receipt). */
export class ReceiptTemplatePage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('till-button').click();
    await this.page.getByTestId('till-menu').waitFor();
    await this.page.getByTestId('till-admin').click();
    await this.page.getByTestId('admin-screen').waitFor();
    await this.page.getByTestId('admin-tab-receipt').click();
    await this.page.getByTestId('template-footer').waitFor();
  }

  async setFooter(lines: string[]): Promise<void> {
    await this.page.getByTestId('template-footer').fill(lines.join('\n'));
  }

  async footerError(): Promise<string> {
    const el = this.page.getByTestId('template-footer-error');
    await el.waitFor();
    return (await el.textContent()) ?? '';
  }

  /** Waits until the preview (debounced) has a line containing `text`; returns the preview. */
  async waitForPreview(text: string): Promise<string> {
    await this.page.waitForFunction((t) => (document.querySelector('[data-testid="template-preview"]')?.textContent ?? '').includes(t), text);
    return (await this.page.getByTestId('template-preview').textContent()) ?? '';
  }

  async save(): Promise<void> {
    await this.page.getByTestId('template-save').click();
  }

  async close(): Promise<void> {
    await this.page.getByTestId('admin-close').click();
    await this.page.getByTestId('admin-screen').waitFor({ state: 'detached' });
  }
}
