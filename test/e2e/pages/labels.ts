import type { Locator, Page } from 'playwright-core';
import { plain } from './index.js';

/**
 * The virtual label printer on the devices screen (the demo's emulated label printer): each printed
 * label as an image and the text the printer decoded. Hooks: virtual-label-printer (data-device-id,
 * data-printed), virtual-label (data-count), virtual-label-image, virtual-label-text.
 */
export class VirtualLabelPanel {
  constructor(private readonly page: Page) {}

  private panel(): Locator {
    return this.page.getByTestId('virtual-label-printer').first();
  }

  /** Waits until the printer reports `count` labels printed in all (copies counted). */
  async waitForPrinted(count: number): Promise<void> {
    await this.page.locator(`[data-testid="virtual-label-printer"][data-printed="${count}"]`).waitFor();
  }

  async printed(): Promise<number> {
    await this.panel().waitFor();
    return Number(await this.panel().getAttribute('data-printed'));
  }

  /** The label whose decoded text holds `text` (the newest such). */
  label(text: string): Locator {
    return this.panel().getByTestId('virtual-label').filter({ has: this.page.getByTestId('virtual-label-text').getByText(text) }).last();
  }

  /** The decoded text lines of a label, spaces folded. */
  async lines(label: Locator): Promise<string[]> {
    const text = (await label.getByTestId('virtual-label-text').textContent()) ?? '';
    return text.split('\n').map(plain).filter((l) => l !== '');
  }

  /** The label's image as the page shows it: the PNG bytes behind its data: URL. */
  async png(label: Locator): Promise<Buffer> {
    const src = (await label.getByTestId('virtual-label-image').getAttribute('src')) ?? '';
    const prefix = 'data:image/png;base64,';
    if (!src.startsWith(prefix)) throw new Error(`not a PNG data URL: ${src.slice(0, 40)}`);
    return Buffer.from(src.slice(prefix.length), 'base64');
  }
}
