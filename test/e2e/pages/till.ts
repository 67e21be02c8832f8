import type { Page } from 'playwright-core';
import { plain } from './index.js';

/** Notes and coins as counted: { value (kopecks), count }. */
export type DrawerCount = { value: number; count: number }[];

/** Shifts and the till-operations menu (F10): open and close with a drawer count, cash in and out. */
export class TillPage {
  constructor(private readonly page: Page) {}

  async shiftClosedTitle(): Promise<string> {
    await this.page.getByTestId('shift-closed').waitFor();
    return plain(await this.page.getByTestId('shift-closed-title').textContent());
  }

  /** Types each count into its denomination's row of the open count dialog. */
  async fillCount(count: DrawerCount): Promise<void> {
    for (const { value, count: n } of count) await this.page.getByTestId(`count-input-${value}`).fill(String(n));
  }

  /** The notes and coins the count dialog asks for (system.info's denominations), largest first. */
  async denominations(): Promise<number[]> {
    await this.page.getByTestId('count-row').first().waitFor();
    const values = await this.page.getByTestId('count-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-value'))));
    return values;
  }

  async countTotal(): Promise<string> {
    return plain(await this.page.getByTestId('count-total').textContent());
  }

  async countLine(value: number): Promise<string> {
    return plain(await this.page.getByTestId(`count-line-${value}`).textContent());
  }

  /** From the shift-closed panel: the float counted by denomination, then "Open shift". */
  async startOpeningShift(): Promise<void> {
    await this.page.getByTestId('open-shift').click();
    await this.page.getByTestId('open-shift-dialog').waitFor();
  }

  async submitCount(dialog: 'open-shift-dialog' | 'close-shift-dialog'): Promise<void> {
    await this.page.getByTestId('count-submit').click();
    await this.page.getByTestId(dialog).waitFor({ state: 'detached' });
  }

  /** F10 and the item by its testid (till-cash-in, till-cash-out, till-return, till-x-report, till-no-sale, till-close-shift). */
  async menu(item: string): Promise<void> {
    await this.page.keyboard.press('F10');
    await this.page.getByTestId('till-menu').waitFor();
    await this.page.getByTestId(item).click();
  }

  /** The cash in/out dialog: an amount and a reason, then "Record". */
  async fillCash(amount: string, reason: string): Promise<void> {
    await this.page.getByTestId('cash-dialog').waitFor();
    await this.page.getByTestId('cash-amount').fill(amount);
    await this.page.getByTestId('cash-reason').fill(reason);
    await this.page.getByTestId('cash-apply').click();
  }

  /** The text of the whole dialog on screen (to prove what it does not show). */
  async dialogText(testId: string): Promise<string> {
    return plain(await this.page.getByTestId(testId).textContent());
  }

  /** After a count that does not match: the difference the till shows. */
  async closeDifference(): Promise<string> {
    await this.page.getByTestId('close-difference-dialog').waitFor();
    return plain(await this.page.getByTestId('close-difference').textContent());
  }

  async closeWithReason(reason: string): Promise<void> {
    await this.page.getByTestId('close-reason').fill(reason);
    await this.page.getByTestId('close-confirm').click();
    await this.page.getByTestId('report-view').waitFor();
  }
}
