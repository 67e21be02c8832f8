import type { Page } from 'playwright-core';
import { plain } from './index.js';

/** The manager-approval dialog a gated action opens for a cashier. */
export class ApprovalDialog {
  constructor(private readonly page: Page) {}

  async waitOpen(): Promise<void> {
    await this.page.getByTestId('approval-dialog').waitFor();
  }

  /** What is being approved, in words. */
  async action(): Promise<string> {
    await this.waitOpen();
    return plain(await this.page.getByTestId('approval-action').textContent());
  }

  /** The money figure the action carries ("Сумма: 500,00 ₽", "Новая цена: 50,00 ₽"). */
  async amount(): Promise<string> {
    await this.waitOpen();
    return plain(await this.page.getByTestId('approval-amount').textContent());
  }

  async chooseApprover(name: string): Promise<void> {
    await this.page.locator('[data-testid^="approval-user-"]', { hasText: name }).click();
  }

  /** Types the PIN on the keyboard (the PIN field has focus) and presses Enter. */
  async enterPin(pin: string): Promise<void> {
    await this.page.getByTestId('approval-pin').focus();
    await this.page.keyboard.type(pin, { delay: 60 });
    await this.page.keyboard.press('Enter');
  }

  /** The approver's name and PIN; the dialog closes and the action goes ahead. */
  async approve(name: string, pin: string): Promise<void> {
    await this.waitOpen();
    await this.chooseApprover(name);
    await this.enterPin(pin);
    await this.page.getByTestId('approval-dialog').waitFor({ state: 'detached' });
  }

  /** The message in the dialog once it says something (a wrong PIN, an approver who may not). */
  async error(): Promise<string> {
    await this.page.waitForFunction(() => (document.querySelector('[data-testid="approval-error"]')?.textContent ?? '').trim() !== '');
    return plain(await this.page.getByTestId('approval-error').textContent());
  }

  /** Esc: the action is abandoned. */
  async cancel(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.getByTestId('approval-dialog').waitFor({ state: 'detached' });
  }
}
