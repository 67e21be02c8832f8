import { formatMoney } from '../../src-common/money.js';
import type { Minor } from '../../src-common/units.js';
import { displayPair, type CustomerDisplay } from '../../src-drivers/display/cd5220.js';
import type { Repos } from '../app/context.js';
import type { Dispatcher, Logger } from '../rpc/dispatcher.js';

const WIDTH = 20;

/**
 * What the customer sees on the pole display: the last line rung up and the total while the basket
 * fills, the change (or thanks) after payment, a greeting between customers. Driven by the events
 * commands publish after they commit; a display fault is logged and never reaches the sale.
 */
export class DisplayService {
  private off: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly display: CustomerDisplay,
    private readonly repos: Repos,
    private readonly log: Logger,
  ) {}

  start(dispatcher: Dispatcher): void {
    this.off = dispatcher.subscribe((e) => {
      if (e.event === 'cart.changed') this.onCart((e.payload as { receiptId: string | null }).receiptId);
      if (e.event === 'effects.changed') this.onCompleted((e.payload as { receiptId: string }).receiptId);
    });
    this.show(...this.greeting());
  }

  stop(): void {
    this.off?.();
  }

  private money(a: number): string {
    const s = this.repos.settings;
    return formatMoney(a as Minor, { currency: s.get('currency'), locale: s.get('locale'), minorDigits: s.get('currency.minorDigits') }, false).replace(/\s/g, ' ');
  }

  private ru(): boolean {
    return this.repos.settings.get('language') === 'ru';
  }

  private greeting(): [string, string] {
    return [this.repos.settings.get('store.name'), this.ru() ? 'Добро пожаловать!' : 'Welcome!'];
  }

  private onCart(receiptId: string | null): void {
    if (!receiptId) return this.show(...this.greeting());
    const r = this.repos.receipts.load(receiptId);
    const last = r?.lines[r.lines.length - 1];
    if (!r || !last) return this.show(...this.greeting());
    this.show(displayPair(last.name, this.money(last.amount), WIDTH), displayPair(this.ru() ? 'ИТОГО' : 'TOTAL', this.money(r.header.total), WIDTH));
  }

  private onCompleted(receiptId: string): void {
    const h = this.repos.receipts.header(receiptId);
    if (!h || h.state !== 'completed' || h.kind !== 'sale') return;
    const thanks = this.ru() ? 'Спасибо за покупку!' : 'Thank you!';
    this.show(thanks, h.change > 0 ? displayPair(this.ru() ? 'Сдача' : 'Change', this.money(h.change), WIDTH) : displayPair(this.ru() ? 'ИТОГО' : 'TOTAL', this.money(h.total), WIDTH));
  }

  /** In order, one at a time; a failure is logged and the next update tries again. */
  private show(top: string, bottom: string): void {
    this.chain = this.chain.then(() =>
      this.display.show(top, bottom).catch((e: unknown) => this.log.error('customer display', { error: e instanceof Error ? e.message : String(e) })),
    );
  }
}
