import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../src-common/rpc/client.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { wsClient } from '../support/ws-link.js';
import { zbarimg } from '../support/zbar.js';
import { DevicesPage, LoginPage, VirtualLabelPanel } from './pages/index.js';

const MANAGER = { name: 'Мария Иванова', pin: '3333' };
const LABEL_PRINTER = 'TSC TE200 (эмулятор)';

const e2e = chromiumTill('price-tags');
let page: Page;
/** A second window on the same till (the back office's RPC), where the manager posts the delivery. */
let rpc: RpcClient;
beforeAll(async () => {
  page = e2e.page;
  const origin = new URL(e2e.backend.url).origin;
  rpc = await wsClient(`${origin.replace('http', 'ws')}/rpc?token=${e2e.backend.token}`, origin);
});
afterAll(() => {
  rpc?.close();
});


describe('a new price reaches the shelf: price tags on the demo till’s label printer, in Chromium', () => {
  it('a manager posts a delivery with a new price, prints its tags, and the virtual label printer shows the tag with a barcode zbar reads', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(MANAGER.name, MANAGER.pin);

    // The manager, at the back office window: a delivery of milk at a new retail price, posted.
    const users = await rpc.call('session.users');
    await rpc.call('session.login', { userId: users.find((u) => u.name === MANAGER.name)!.id, pin: MANAGER.pin });
    const milk = (await rpc.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!;
    const doc = await rpc.call('receiving.create', { invoiceNo: 'МД-2041' });
    await rpc.call('stockDocs.setLine', { docId: doc.id, productId: milk.id, qty: 12_000, cost: 6_100, newPrice: 9_490 });
    await rpc.call('stockDocs.post', { docId: doc.id });
    const pending = await rpc.call('labels.pending', {});
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ productId: milk.id, oldPrice: milk.price, newPrice: 9_490, source: { kind: 'receiving', number: doc.number }, job: null });
    const job = await rpc.call('labels.print', { priceChanges: [{ id: pending[0]!.id, copies: 2 }] });
    expect(job).toMatchObject({ via: 'label', deviceId: 'demo-label', deviceName: LABEL_PRINTER, tags: 1, labels: 2 });

    // At the till: the devices screen shows the label printer and the tags it printed.
    const devices = new DevicesPage(page);
    await devices.open();
    expect(await devices.waitForStatus(LABEL_PRINTER, 'connected')).toBe('на связи');
    const labels = new VirtualLabelPanel(page);
    await labels.waitForPrinted(2);
    const tag = labels.label('Молоко «Лавка» 3,2% 1 л');
    expect(await tag.getAttribute('data-count')).toBe('2');
    expect(await labels.lines(tag)).toEqual(['Молоко «Лавка» 3,2% 1 л', '94,90 р.', '94,90 р./л', expect.stringMatching(/^\d\d\.\d\d\.20\d\d$/), `[EAN13 ${DEMO_BARCODES.milk}]`]);
    // The label as the paper would look: zbar reads the product's own barcode off it.
    expect(zbarimg(await labels.png(tag))).toEqual([DEMO_BARCODES.milk]);

    // Once the printer reports the batch finished, the job is printed and the price change done with.
    await expect.poll(async () => (await rpc.call('labels.jobs', {})).find((j) => j.id === job.id)?.state, { timeout: 20_000 }).toBe('done');
    expect(await rpc.call('labels.pending', {})).toEqual([]);

    // The label printer's own test: a test label, on the same virtual printer.
    expect(await devices.test(LABEL_PRINTER, 'print')).toEqual({ ok: true, message: '✓ Отправлено' });
    await labels.waitForPrinted(3);
    expect(zbarimg(await labels.png(labels.label('Тестовая этикетка')))).toEqual(['4607001771234']);

    // Its settings: the model and the labels loaded, in the device form.
    await devices.edit(LABEL_PRINTER);
    expect(await page.getByTestId('device-opt-label-profile').inputValue()).toBe('tsc-te200');
    expect(await page.getByTestId('device-opt-label-stock').inputValue()).toBe('58x40');
    await devices.cancel();
    await page.keyboard.press('Escape');
    await page.getByTestId('scan-input').waitFor();
    expect(e2e.pageErrors).toEqual([]);
  });
});
