import type { Page } from 'playwright-core';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async loginAs(name: string, pin: string): Promise<void> {
    await this.page.locator('[data-testid^="login-user-"]', { hasText: name }).click();
    for (const d of pin) await this.page.getByTestId(`pin-key-${d}`).click();
    await this.page.getByTestId('pin-submit').click();
    await this.page.getByTestId('scan-input').waitFor();
  }

  async waitForLoginScreen(): Promise<void> {
    await this.page.locator('[data-testid^="login-user-"]').first().waitFor();
  }
}
