import type { Page } from 'playwright-core';
import { plain } from './index.js';

/** The X or Z report on screen. */
export class ReportPage {
  constructor(private readonly page: Page) {}

  async waitFor(kind: 'X' | 'Z'): Promise<void> {
    await this.page.locator(`[data-testid="report-view"][data-kind="${kind}"]`).waitFor();
  }

  async text(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  async texts(testId: string): Promise<string[]> {
    return (await this.page.getByTestId(testId).allTextContents()).map(plain);
  }

  /** The printable layout, as printed (line breaks kept). */
  async printed(): Promise<string> {
    return (await this.page.getByTestId('report-text').textContent()) ?? '';
  }
}
