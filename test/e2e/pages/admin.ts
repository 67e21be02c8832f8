import type { Page } from 'playwright-core';
import { plain } from './index.js';

/** The back office (F10 → users, roles and audit): what an owner does there. */
export class AdminPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('till-button').click();
    await this.page.getByTestId('till-menu').waitFor();
    await this.page.getByTestId('till-admin').click();
    await this.page.getByTestId('admin-screen').waitFor();
  }

  async tab(name: 'users' | 'roles' | 'audit'): Promise<void> {
    await this.page.getByTestId(`admin-tab-${name}`).click();
    await this.page.getByTestId(`admin-${name}`).waitFor();
  }

  async userNames(): Promise<string[]> {
    return (await this.page.getByTestId('admin-user-row').allTextContents()).map(plain);
  }

  async addUser(name: string, roleValue: string, pin: string): Promise<void> {
    await this.page.getByTestId('admin-user-add').click();
    await this.page.getByTestId('admin-user-name').fill(name);
    await this.page.getByTestId('admin-user-role').selectOption(roleValue);
    await this.page.getByTestId('admin-user-pin').fill(pin);
    await this.page.getByTestId('admin-user-save').click();
    await this.page.getByTestId('admin-user-form').waitFor({ state: 'detached' });
  }

  async error(): Promise<string> {
    return plain(await this.page.getByTestId('admin-error').textContent());
  }

  permission(role: string, permission: string) {
    return this.page.getByTestId(`perm-${role}-${permission}`);
  }

  async filterAction(family: string): Promise<void> {
    await this.page.getByTestId('audit-filter-action').selectOption(family);
  }

  async auditActions(): Promise<string[]> {
    return (await this.page.getByTestId('audit-action').allTextContents()).map(plain);
  }

  /** Run the chain check and read its (new) result. */
  async verify(): Promise<string> {
    const result = this.page.getByTestId('audit-verify-result');
    const before = (await result.count()) > 0 ? Number(await result.getAttribute('data-check')) : 0;
    await this.page.getByTestId('audit-verify').click();
    await this.page.locator(`[data-testid="audit-verify-result"][data-check="${before + 1}"]`).waitFor();
    return plain(await result.textContent());
  }

  async close(): Promise<void> {
    await this.page.getByTestId('admin-close').click();
    await this.page.getByTestId('admin-screen').waitFor({ state: 'detached' });
  }
}
