import type { Locator, Page } from 'playwright-core';
import { plain } from './index.js';

/** A network printer as the owner types it into the device form. */
export interface TcpPrinter {
  name: string;
  host: string;
  port: string;
  /** A profile id (device-opt-profile's option value). */
  profile?: string;
}

/** The devices screen (F10 → Devices): each device's state and tests; the owner adds and edits them. */
export class DevicesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.keyboard.press('F10');
    await this.page.getByTestId('till-menu').waitFor();
    await this.page.getByTestId('till-devices').click();
    await this.page.getByTestId('devices-screen').waitFor();
    await this.page.getByTestId('device-row').first().waitFor();
  }

  async close(): Promise<void> {
    await this.page.getByTestId('devices-back').click();
    await this.page.getByTestId('devices-screen').waitFor({ state: 'detached' });
  }

  /** The card of the device called `name`. */
  row(name: string): Locator {
    return this.page.getByTestId('device-row').filter({ has: this.page.getByTestId('device-name').getByText(name, { exact: true }) });
  }

  async names(): Promise<string[]> {
    return (await this.page.getByTestId('device-name').allTextContents()).map(plain);
  }

  /** Waits until the device's live status is one of `states` (data-status), and returns what it says. */
  async waitForStatus(name: string, ...states: string[]): Promise<string> {
    const selector = states.map((s) => `[data-testid="device-row"][data-status="${s}"]`).join(', ');
    await this.page.locator(selector).filter({ has: this.page.getByTestId('device-name').getByText(name, { exact: true }) }).waitFor();
    return plain(await this.row(name).getByTestId('device-status').textContent());
  }

  async text(name: string, testId: 'device-connection' | 'device-last-error' | 'device-status'): Promise<string> {
    const el = this.row(name).getByTestId(testId);
    await el.waitFor();
    return plain(await el.textContent());
  }

  async canAdd(): Promise<boolean> {
    return (await this.page.getByTestId('device-add').count()) > 0;
  }

  async startAdding(): Promise<void> {
    await this.page.getByTestId('device-add').click();
    await this.page.getByTestId('device-form').waitFor();
  }

  async edit(name: string): Promise<void> {
    await this.row(name).getByTestId('device-edit').click();
    await this.page.getByTestId('device-form').waitFor();
  }

  /** Fills the open form as a receipt printer on the network (does not save). */
  async fillTcpPrinter(p: TcpPrinter): Promise<void> {
    await this.page.getByTestId('device-kind').selectOption('printer');
    await this.page.getByTestId('device-driver').selectOption('escpos');
    await this.page.getByTestId('device-name-input').fill(p.name);
    await this.page.getByTestId('device-transport-tcp').click();
    await this.page.getByTestId('device-tcp-host').fill(p.host);
    await this.page.getByTestId('device-tcp-port').fill(p.port);
    if (p.profile) await this.page.getByTestId('device-opt-profile').selectOption(p.profile);
  }

  /** Save, expecting the form to close. */
  async save(): Promise<void> {
    await this.page.getByTestId('device-save').click();
    await this.page.getByTestId('device-form').waitFor({ state: 'detached' });
  }

  /** Save, expecting the form to stay open with this field's message; returns the message. */
  async saveRefused(field: string): Promise<string> {
    await this.page.getByTestId('device-save').click();
    const error = this.page.getByTestId(`device-error-${field}`);
    await error.waitFor();
    return plain(await error.textContent());
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('device-cancel').click();
    await this.page.getByTestId('device-form').waitFor({ state: 'detached' });
  }

  /** From the open form: Remove, then confirm. */
  async remove(): Promise<void> {
    await this.page.getByTestId('device-remove').click();
    await this.page.getByTestId('device-remove-confirm').waitFor();
    await this.page.getByTestId('device-remove-yes').click();
    await this.page.getByTestId('device-form').waitFor({ state: 'detached' });
  }

  /** Runs a device's test (print, drawer, weigh, display) and returns its result once shown. */
  async test(name: string, action: 'print' | 'drawer' | 'weigh' | 'display'): Promise<{ ok: boolean; message: string }> {
    const row = this.row(name);
    await row.getByTestId(`device-test-${action}`).click();
    const result = row.getByTestId('device-test-result');
    await result.waitFor();
    return { ok: (await result.getAttribute('data-ok')) === 'true', message: plain(await result.textContent()) };
  }
}
