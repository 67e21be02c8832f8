import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { serveTcp } from '../../src-drivers/emulators/serve.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { chromiumTill } from '../support/e2e.js';
import { CheckoutPage, DevicesPage, LoginPage, PaymentDialog, ReceiptPage, ReceiptTemplatePage, plain } from './pages/index.js';

const OWNER = { name: 'Ольга Соколова', pin: '9999' };
const CASHIER = { name: 'Анна Смирнова', pin: '1111' };
const PRINTER = 'Принтер у окна выдачи';
const FOOTER = ['Обмен и возврат в течение 14 дней', 'Ждём вас снова'];

const e2e = chromiumTill('device-panel');
let page: Page;
/** A network receipt printer served by this test process, as a real one on the LAN would be. */
const printer = new EscPosPrinterEmulator(getProfile('epson-tm-t20'));
let served: Awaited<ReturnType<typeof serveTcp>> | null = null;
beforeAll(async () => {
  page = e2e.page;
  served = await serveTcp(printer);
});
afterAll(async () => {
  await served?.stop();
});

const pagesPrinted = () => printer.receipts.length + (printer.current.lines.length > 0 ? 1 : 0);

describe('the owner sets up devices and the receipt, in Chromium', () => {
  it('refuses a bad address, adds a network printer, test-prints on it, and shows it going offline with the error', async () => {
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(OWNER.name, OWNER.pin);
    const checkout = new CheckoutPage(page);
    const devices = new DevicesPage(page);
    await devices.open();
    await page.getByTestId('device-add').waitFor();
    const before = await devices.names();
    expect(before).toContain('Epson TM-T20 (эмулятор)');

    // Port 0, then an empty address: each is named under its field, in Russian, and nothing is added.
    await devices.startAdding();
    await devices.fillTcpPrinter({ name: PRINTER, host: '127.0.0.1', port: '0' });
    expect(await devices.saveRefused('port')).toBe('Введите порт от 1 до 65535');
    await page.getByTestId('device-tcp-port').fill(String(served!.port));
    await page.getByTestId('device-tcp-host').fill('');
    expect(await devices.saveRefused('host')).toBe('Введите IP-адрес или имя принтера');
    // Not a host name: the form lets it through and the till refuses it, under the same field.
    await page.getByTestId('device-tcp-host').fill('printer_1!');
    expect(await devices.saveRefused('host')).toBe('Введите IP-адрес или имя принтера');
    await devices.cancel();
    expect(await devices.names()).toEqual(before);

    await devices.startAdding();
    await devices.fillTcpPrinter({ name: PRINTER, host: '127.0.0.1', port: String(served!.port), profile: 'epson-tm-t20' });
    await devices.save();
    await checkout.waitForToast(`Устройство «${PRINTER}» сохранено`);
    expect(await devices.waitForStatus(PRINTER, 'connected')).toBe('на связи');
    expect(await devices.text(PRINTER, 'device-connection')).toBe(`Сеть (TCP/IP): 127.0.0.1:${served!.port}`);

    const result = await devices.test(PRINTER, 'print');
    expect(result.ok, result.message).toBe(true);
    await expect.poll(pagesPrinted, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

    // The printer goes away (unplugged, switched off): the card says so, with the fault and its time.
    await served!.stop();
    served = null;
    await devices.waitForStatus(PRINTER, 'disconnected', 'error');
    expect(await devices.text(PRINTER, 'device-last-error')).toMatch(/^Последняя ошибка \d/);

    // Removed after a confirmation: the sales below print on the demo printer again.
    await devices.edit(PRINTER);
    await devices.remove();
    await checkout.waitForToast(`Устройство «${PRINTER}» удалено`);
    await devices.row(PRINTER).waitFor({ state: 'detached' });
    expect(await devices.names()).toEqual(before);
    await devices.close();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('changes the receipt footer and logo, sees the footer in the preview, and the next sale prints it', async () => {
    const template = new ReceiptTemplatePage(page);
    await template.open();
    await template.setFooter(['х'.repeat(65)]);
    expect(plain(await template.footerError())).toBe('Строка 1 длиннее 64 символов');
    await template.setFooter(FOOTER);
    const preview = await template.waitForPreview(FOOTER[0]!);
    expect(preview).toContain(FOOTER[1]);

    // A 100 × 50 picture becomes a 104 × 50 dot logo (width padded to whole bytes).
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 100;
      c.height = 50;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#000';
      ctx.fillRect(10, 10, 80, 30);
      return c.toDataURL('image/png').split(',')[1]!;
    });
    await page.getByTestId('template-logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    expect(plain(await page.getByTestId('template-logo-size').textContent())).toBe('104 × 50 точек · ещё не сохранён');

    const checkout = new CheckoutPage(page);
    await template.save();
    await checkout.waitForToast('Макет чека сохранён');
    await page.waitForFunction(() => document.querySelector('[data-testid="template-logo-size"]')?.textContent === '104 × 50 точек');
    await template.close();

    await checkout.scanAndWaitForLines(DEMO_BARCODES.milk, 1);
    await checkout.openPayment();
    const pay = new PaymentDialog(page);
    await pay.tenderCash('100');
    await pay.complete();
    const number = await new ReceiptPage(page).text('receipt-number');
    await new ReceiptPage(page).newSale();

    const devices = new DevicesPage(page);
    await devices.open();
    await page.waitForFunction(
      (footer) => [...document.querySelectorAll('[data-testid="virtual-receipt"]')].some((r) => (r.textContent ?? '').includes(footer)),
      FOOTER[0]!,
    );
    const paper = (await page.getByTestId('virtual-receipt').last().textContent()) ?? '';
    expect(paper).toContain(number);
    expect(paper).toContain(FOOTER[0]);
    expect(paper).toContain(FOOTER[1]);
    await devices.close();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('a cashier sees the devices and their state, but not Add or Edit', async () => {
    await page.getByTestId('logout').click();
    const login = new LoginPage(page);
    await login.waitForLoginScreen();
    await login.loginAs(CASHIER.name, CASHIER.pin);
    const devices = new DevicesPage(page);
    await devices.open();
    await devices.waitForStatus('Epson TM-T20 (эмулятор)', 'connected');
    expect(await devices.canAdd()).toBe(false);
    expect(await page.getByTestId('device-edit').count()).toBe(0);
    await devices.close();
    expect(e2e.pageErrors).toEqual([]);
  });
});
