import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendProcess } from '../support/browser.js';
import { chromiumTill } from '../support/e2e.js';
import { AdminPage, LoginPage } from './pages/index.js';

const OWNER = { name: 'Ольга Соколова', pin: '9999' };

const e2e = chromiumTill('office');
let page: Page;
let backend: BackendProcess;
const pageErrors = e2e.pageErrors;
beforeAll(() => {
  page = e2e.page;
  backend = e2e.backend;
});
beforeAll(async () => {
  const login = new LoginPage(page);
  await login.waitForLoginScreen();
  await login.chooseUser(OWNER.name);
  await login.tapPin(OWNER.pin);
});

describe('the owner in the back office, in Chromium', () => {
  it('adds a cashier, refusing a bad PIN with a translated message', async () => {
    const admin = new AdminPage(page);
    await admin.open();
    await admin.tab('users');
    await page.getByTestId('admin-user-add').click();
    await page.getByTestId('admin-user-name').fill('Новый Кассир');
    await page.getByTestId('admin-user-pin').fill('12');
    await page.getByTestId('admin-user-save').click();
    expect(await admin.error()).toBe('PIN — от 4 до 8 цифр');
    await page.getByTestId('admin-user-form').getByRole('button', { name: 'Отмена' }).click();
    await admin.addUser('Новый Кассир', 'cashier', '4321');
    expect((await admin.userNames()).some((n) => n.startsWith('Новый Кассир'))).toBe(true);
  });

  it('edits the role matrix: the change is stored, and the owner cannot lock themselves out of it', async () => {
    const admin = new AdminPage(page);
    await admin.tab('roles');
    const cashOut = admin.permission('cashier', 'cash_out');
    expect(await cashOut.isChecked()).toBe(false);
    await cashOut.click(); // the box follows the store: it turns on once the backend has it
    await page.waitForFunction(() => (document.querySelector('[data-testid="perm-cashier-cash_out"]') as HTMLInputElement | null)?.checked === true);
    const own = admin.permission('owner', 'roles_manage');
    await own.click();
    expect(await admin.error()).toBe('Такое изменение пользователя недопустимо');
    await page.waitForFunction(() => (document.querySelector('[data-testid="perm-owner-roles_manage"]') as HTMLInputElement | null)?.checked === true);
  });

  it('reads the audit log by action and verifies the chain, naming an entry altered behind its back', async () => {
    const admin = new AdminPage(page);
    await admin.tab('audit');
    await admin.filterAction('user');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-action"]').length === 1);
    expect(await admin.auditActions()).toEqual(['user.create']);
    await admin.filterAction('settings');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-action"]').length === 1);
    expect(await admin.verify()).toMatch(/^Цепочка журнала цела: проверено записей — \d+$/);

    // Someone edits the store file directly while the till runs.
    const db = new Database(join(backend.dataDir, 'till.sqlite'));
    const seq = db.prepare(`SELECT seq FROM audit_log WHERE action = 'user.create'`).pluck().get() as number;
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET details = replace(details, 'cashier', 'owner') WHERE seq = ?`).run(seq);
    db.close();

    await admin.filterAction('');
    expect(await admin.verify()).toBe(`Цепочка журнала НАРУШЕНА на записи №${seq}: её изменили или удалили в обход кассы`);
    await expect(page.locator('[data-testid="audit-row"].alarm').first().textContent()).resolves.toMatch(new RegExp(`^${seq}`));
    await admin.close();
  });

  it('the new cashier logs in with their PIN, at the till the owner left', async () => {
    await page.getByTestId('logout').click();
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs('Новый Кассир', '4321');
    expect(await page.getByTestId('cashier-name').textContent()).toContain('Новый Кассир');
    expect(pageErrors).toEqual([]);
  });
});
