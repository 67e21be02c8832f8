import { formatMoney } from '../../src-common/money.js';
import type { CustomerView } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import { displayPair, type CustomerDisplay } from '../../src-drivers/display/cd5220.js';
import type { Repos } from '../app/context.js';
import type { Dispatcher, Logger } from '../rpc/dispatcher.js';

const WIDTH = 20;
/** The customer screen shows the newest lines; older ones have scrolled away. */
const SCREEN_LINES = 12;

const TEXT = {
  ru: { total: 'ИТОГО', change: 'Сдача', thanks: 'Спасибо за покупку!', welcome: 'Добро пожаловать!', kg: 'кг', l: 'л' },
  en: { total: 'TOTAL', change: 'Change', thanks: 'Thank you!', welcome: 'Welcome!', kg: 'kg', l: 'l' },
} as const;

/**
 * What the customer sees: on the pole display, the last line rung up and the total while the basket
 * fills, the change (or thanks) after payment, a greeting between customers; on a second screen
 * (`customer.view`), the same with the basket's newest lines. Driven by the events commands publish
 * after they commit; a display fault is logged and never reaches the sale.
 */
export class CustomerViewService {
  private off: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();
  private pole: CustomerDisplay | null = null;
  private view: CustomerView;
  /** The change due on the receipt just paid, formatted; null otherwise. */
  private change: string | null = null;
  /**
   * The receipt the customer watched fill, until it is shown paid. `effects.changed` also comes
   * later for the same receipt (its print finished, or a restart finished it), by when the customer
   * may be gone and the next one's basket on screen: only the receipt being watched turns the screen
   * to "paid", once.
   */
  private watched: string | null = null;
  /**
   * Nothing is computed until someone looks (a pole display, or a customer screen that asked for the
   * view): a till with neither does no extra work per scan, and sends no extra event.
   */
  private active = false;

  constructor(
    private readonly repos: Repos,
    private readonly log: Logger,
    private readonly publish: (view: CustomerView) => void,
  ) {
    this.view = this.idle();
  }

  start(dispatcher: Dispatcher): void {
    // Reacting after the publication has reached every subscriber keeps events in sequence order:
    // publishing `customer.view` from inside this callback would overtake the event that caused it.
    this.off = dispatcher.subscribe((e) => {
      if (!this.active) return;
      if (e.event === 'cart.changed') queueMicrotask(() => this.onCart((e.payload as { receiptId: string | null }).receiptId));
      if (e.event === 'effects.changed') queueMicrotask(() => this.onCompleted((e.payload as { receiptId: string }).receiptId));
    });
  }

  stop(): void {
    this.off?.();
  }

  /** The pole display to drive (none, or a new one after the device panel changed it): it shows the current view at once. */
  setPole(display: CustomerDisplay | null): void {
    if (display === this.pole) return;
    this.pole = display;
    if (display) this.active = true;
    this.showPole();
  }

  /** The view now; asking for it (a customer screen opening) starts the following. */
  current(): CustomerView {
    this.active = true;
    return this.view;
  }

  private text() {
    return TEXT[this.repos.settings.get('language') === 'en' ? 'en' : 'ru'];
  }

  private money(a: number): string {
    const s = this.repos.settings;
    return formatMoney(a as Minor, { currency: s.get('currency'), locale: s.get('locale'), minorDigits: s.get('currency.minorDigits') }, false).replace(/\s/g, ' ');
  }

  private idle(): CustomerView {
    return { state: 'idle', title: this.repos.settings.get('store.name'), lines: [], totalLabel: this.text().total, total: this.money(0), note: this.text().welcome };
  }

  private onCart(receiptId: string | null): void {
    const r = receiptId ? this.repos.receipts.load(receiptId) : null;
    if (!r || r.lines.length === 0) return this.set(this.idle());
    this.watched = r.header.id;
    const t = this.text();
    const lines = r.lines.slice(-SCREEN_LINES).map((l) => {
      const unit = l.unit === 'kg' ? ` ${t.kg}` : l.unit === 'l' ? ` ${t.l}` : '';
      const qty = l.unit === 'pcs' ? String(l.qty / 1000) : (l.qty / 1000).toFixed(3).replace('.', ',');
      return { name: l.name, detail: `${qty}${unit} × ${this.money(l.price)}`, amount: this.money(l.amount) };
    });
    this.set({ state: 'basket', title: this.repos.settings.get('store.name'), lines, totalLabel: t.total, total: this.money(r.header.total), note: null });
  }

  private onCompleted(receiptId: string): void {
    if (receiptId !== this.watched) return;
    const h = this.repos.receipts.header(receiptId);
    if (!h || h.state !== 'completed' || h.kind !== 'sale') return;
    this.watched = null;
    const t = this.text();
    this.change = h.change > 0 ? this.money(h.change) : null;
    this.set({
      ...this.view,
      state: 'paid',
      total: this.money(h.total),
      note: h.change > 0 ? `${t.change}: ${this.money(h.change)}` : t.thanks,
    });
  }

  private set(view: CustomerView): void {
    if (view.state !== 'paid') this.change = null;
    this.view = view;
    this.publish(view);
    this.showPole();
  }

  /** The two pole lines for the view. */
  private poleLines(): [string, string] {
    const v = this.view;
    const t = this.text();
    if (v.state === 'idle') return [v.title, t.welcome];
    if (v.state === 'paid') {
      return [t.thanks, this.change ? displayPair(t.change, this.change, WIDTH) : displayPair(t.total, v.total, WIDTH)];
    }
    const last = v.lines[v.lines.length - 1];
    return [last ? displayPair(last.name, last.amount, WIDTH) : v.title, displayPair(t.total, v.total, WIDTH)];
  }

  /** In order, one at a time; a failure is logged and the next update tries again. */
  private showPole(): void {
    const pole = this.pole;
    if (!pole) return;
    const [top, bottom] = this.poleLines();
    this.chain = this.chain.then(() =>
      pole.show(top, bottom).catch((e: unknown) => this.log.error('customer display', { error: e instanceof Error ? e.message : String(e) })),
    );
  }
}
