import type { Page } from 'playwright-core';
import { plain } from './index.js';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async chooseUser(name: string): Promise<void> {
    await this.page.locator('[data-testid^="login-user-"]', { hasText: name }).click();
  }

  /** Taps the PIN on the on-screen pad. */
  async tapPin(pin: string): Promise<void> {
    for (const d of pin) await this.page.getByTestId(`pin-key-${d}`).click();
    await this.page.getByTestId('pin-submit').click();
  }

  async loginAs(name: string, pin: string): Promise<void> {
    await this.chooseUser(name);
    await this.tapPin(pin);
    await this.page.getByTestId('scan-input').waitFor();
  }

  /** The message under the PIN pad once it says something. */
  async pinError(): Promise<string> {
    const el = this.page.getByTestId('pin-error');
    await this.page.waitForFunction(() => (document.querySelector('[data-testid="pin-error"]')?.textContent ?? '').trim() !== '');
    return plain(await el.textContent());
  }

  /** The PIN as the pad shows it (dots), '' when nothing is typed. */
  async pinDots(): Promise<string> {
    return plain(await this.page.getByTestId('pin-dots').textContent());
  }

  async waitForLoginScreen(): Promise<void> {
    await this.page.getByTestId('login-screen').waitFor();
    await this.page.locator('[data-testid^="login-user-"]').first().waitFor();
  }

  /** The tile that is preselected (aria-pressed), e.g. the last cashier after a reconnect. */
  async selectedUser(): Promise<string> {
    return plain(await this.page.locator('[data-testid^="login-user-"][aria-pressed="true"] .tile-name').textContent());
  }
}
