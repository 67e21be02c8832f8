import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { buildServer } from '../../src-server/app.js';
import { openPglite, type ServerDb } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';
import { chromiumTill } from '../support/e2e.js';
import { AdminPage, CheckoutPage, LoginPage, PaymentDialog, plain } from './pages/index.js';

/**
 * The demo till in Chromium and a head office (src-server on PGlite) on loopback: the owner enrolls
 * the till from Admin → Head office; a price changed at the head office while a basket is open is
 * charged from the next basket on, never inside the open one.
 */
const e2e = chromiumTill('head-office', { LAVKA_SYNC_PULL_MS: '200' });
const OWNER = DEMO_USERS.find((u) => u.role === 'owner')!;
const CASHIER = DEMO_USERS.find((u) => u.role === 'cashier')!;
const ADMIN = 'e2e-admin';
const TEA = '5900000000015';

let db: ServerDb;
let app: FastifyInstance;
let url: string;
let storeId: string;
const admin = async (path: string, body: unknown) => (await app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${ADMIN}` }, payload: body as object })).json() as Record<string, string>;

beforeAll(async () => {
  db = await openPglite();
  await migrateServer(db);
  app = await buildServer({ db, adminToken: ADMIN });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  storeId = (await admin('/v1/admin/stores', { name: 'Лавка на Садовой' })).id!;
  await admin('/v1/admin/tax-rates', { rates: [{ code: 'vat22', bp: 2200 }, { code: 'vat10', bp: 1000 }, { code: 'vat0', bp: 0 }, { code: 'none', bp: 0 }] });
  await admin('/v1/admin/catalog/products', { items: [{ sku: 'TEA-1', name: 'Чай чёрный «Садовый» 100 пак.', taxCode: 'vat22', price: 24_990, barcodes: [{ code: TEA, packQty: 1000 }] }] });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function login(user: { name: string; pin: string }) {
  const login = new LoginPage(e2e.page);
  await login.waitForLoginScreen();
  await login.chooseUser(user.name);
  await login.tapPin(user.pin);
}

describe('the head office and the till, in Chromium', () => {
  it('the owner enrolls the till with a one-time code; a wrong code is refused with a translated message', async () => {
    const { page } = e2e;
    await login(OWNER);
    const till = await admin('/v1/admin/tills', { storeId, name: 'Касса 1' });
    const { code } = await admin(`/v1/admin/tills/${till.id}/enrollment-codes`, {});
    const adminPage = new AdminPage(page);
    await adminPage.open();
    await page.getByTestId('admin-tab-sync').click();
    await page.getByTestId('sync-url').fill(url);
    await page.getByTestId('sync-code').fill('ABCD-EFGH-JKLM');
    await page.getByTestId('sync-enroll-submit').click();
    const failed = page.getByTestId('sync-enroll-failed');
    await failed.waitFor({ timeout: 10_000 });
    expect(plain(await failed.textContent())).toContain('неверный код подключения — проверьте его или запросите новый в офисе');
    await page.getByTestId('sync-code').fill(code!);
    await page.getByTestId('sync-enroll-submit').click();
    await page.getByTestId('sync-store').waitFor({ timeout: 15_000 });
    expect(plain(await page.getByTestId('sync-store').textContent())).toBe('Лавка на Садовой');
    await adminPage.close();
    await page.getByTestId('logout').click();
  });

  it('a price changed at the head office reaches the next basket, not the open one', async () => {
    const { page } = e2e;
    await login(CASHIER);
    const checkout = new CheckoutPage(page);
    // The catalog came down after enrolling: the head office's tea sells at its price.
    await expect
      .poll(
        async () => {
          await checkout.scan(TEA);
          await page.waitForTimeout(200);
          const n = await page.getByTestId('line-row').count();
          if (n === 0) await checkout.dismissToast().catch(() => undefined);
          return n;
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(1);
    await checkout.waitForTotal('249,90 ₽');

    await admin(`/v1/admin/stores/${storeId}/prices`, { prices: [{ sku: 'TEA-1', price: 19_990 }] });
    // Give the till several pulls: the basket is open, so the new price waits.
    await page.waitForTimeout(1_500);
    await checkout.scanAndWaitForLines(TEA, 1);
    await checkout.waitForTotal('499,80 ₽');
    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.payByCard('499,80');
    await pay.complete();
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-input').waitFor();

    // The next basket: the head office's new price (made live by the sale's own sync round).
    await page.waitForTimeout(1_500);
    await checkout.scanAndWaitForLines(TEA, 1);
    await checkout.waitForTotal('199,90 ₽');
  });

  it('left no uncaught errors in the page', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});
