import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Discount, ProductView } from '../../../src-common/rpc/schemas.js';
import { money, quantity } from '../../app/format.js';
import { attempt, call } from '../../app/rpc.js';
import { setReceipt, useApp, type Dialog as DialogKind } from '../../app/store.js';
import { WedgeDetector } from '../../app/wedge.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { ParkedDialog } from '../parked/ParkedDialog.js';
import { PaymentDialog } from '../payment/PaymentDialog.js';
import { AmountDialog } from './AmountDialog.js';
import { DiscountDialog } from './DiscountDialog.js';
import { LinesTable } from './LinesTable.js';
import { SearchResults } from './SearchResults.js';

const detector = new WedgeDetector();
const SEARCH_DEBOUNCE_MS = 80;

/** Enter timestamp of the scan whose line is about to be painted (the benchmark's start point). */
let pendingScanAt: number | null = null;

function recordScanTiming(): void {
  const start = pendingScanAt;
  pendingScanAt = null;
  if (start === null) return;
  requestAnimationFrame(() => {
    setTimeout(() => (window.__lavkaScanTimings ??= []).push(performance.now() - start), 0);
  });
}

async function scan(code: string, enterAt: number | null): Promise<void> {
  const r = await attempt('checkout.scan', { code });
  if (r) {
    pendingScanAt = enterAt;
    setReceipt(r, 'last');
  }
}

export function CheckoutScreen(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const receipt = useApp((s) => s.receipt);
  const selectedLineId = useApp((s) => s.selectedLineId);
  const dialog = useApp((s) => s.dialog);
  const pendingProductId = useApp((s) => s.pendingProductId);
  const inputRef = useRef<HTMLInputElement | null>(null);
  const [text, setText] = useState('');
  const [results, setResults] = useState<ProductView[] | null>(null);
  const [active, setActive] = useState(0);
  const searchSeq = useRef(0);

  const lines = receipt?.lines ?? [];
  const selected = lines.find((l) => l.id === selectedLineId) ?? null;
  const open = (d: DialogKind) => useApp.setState({ dialog: d });
  const close = useCallback(() => {
    useApp.setState({ dialog: 'none', pendingProductId: null });
    requestAnimationFrame(() => inputRef.current?.focus());
  }, []);

  useLayoutEffect(recordScanTiming, [receipt]);

  // Search as you type: only text with letters (digits are barcodes and PLUs, sent on Enter).
  useEffect(() => {
    const q = text.trim();
    if (!/\p{L}/u.test(q) || q.length < 2) {
      setResults(null);
      return;
    }
    const seq = ++searchSeq.current;
    const timer = setTimeout(() => {
      call('catalog.search', { text: q, limit: 12 })
        .then((r) => {
          if (seq !== searchSeq.current) return;
          setResults(r);
          setActive(0);
        })
        .catch(() => {});
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const clearInput = () => {
    searchSeq.current++;
    setText('');
    setResults(null);
  };

  const pick = async (p: ProductView) => {
    clearInput();
    if (p.unit !== 'pcs') {
      useApp.setState({ dialog: 'weighedQty', pendingProductId: p.id });
      return;
    }
    const r = await attempt('checkout.addProduct', { productId: p.id });
    if (r) setReceipt(r, 'last');
  };

  const run = async (f: () => Promise<unknown>) => {
    await f();
    requestAnimationFrame(() => inputRef.current?.focus());
  };

  const actions = {
    qty: () => selected && open('qty'),
    price: () => selected && open('price'),
    lineDiscount: () => selected && open('lineDiscount'),
    receiptDiscount: () => lines.length > 0 && open('receiptDiscount'),
    remove: () =>
      selected &&
      void run(async () => {
        const r = await attempt('checkout.removeLine', { lineId: selected.id });
        if (r) setReceipt(r);
      }),
    park: () =>
      lines.length > 0 &&
      void run(async () => {
        if (await attempt('checkout.park', {})) setReceipt(null);
      }),
    parked: () => open('parked'),
    cancel: () => lines.length > 0 && open('cancel'),
    pay: () => lines.length > 0 && open('payment'),
  };

  // Hotkeys and the wedge scanner, wherever focus is, while no dialog is open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (useApp.getState().dialog !== 'none') return;
      const scanned = detector.feed(e);
      if (scanned !== null) {
        e.preventDefault();
        clearInput();
        void scan(scanned, e.timeStamp);
        return;
      }
      const hot: Record<string, (() => unknown) | undefined> = {
        F2: actions.qty,
        F3: actions.price,
        F4: actions.lineDiscount,
        F5: actions.receiptDiscount,
        F7: actions.park,
        F8: actions.parked,
        F9: actions.cancel,
        F12: actions.pay,
      };
      const h = hot[e.code];
      if (h) {
        e.preventDefault();
        h();
        return;
      }
      const inInput = e.target === inputRef.current;
      const inputEmpty = (inputRef.current?.value ?? '') === '';
      if (e.code === 'Delete' && (inputEmpty || !inInput)) {
        e.preventDefault();
        actions.remove();
      } else if (e.code === 'Space' && inputEmpty && inInput) {
        e.preventDefault();
        actions.pay();
      } else if ((e.code === 'ArrowUp' || e.code === 'ArrowDown') && !results) {
        e.preventDefault();
        const ids = lines.map((l) => l.id);
        const i = ids.indexOf(selectedLineId ?? '');
        const next = e.code === 'ArrowUp' ? Math.max(0, i - 1) : Math.min(ids.length - 1, i + 1);
        if (ids[next]) useApp.setState({ selectedLineId: ids[next] });
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  const onInputKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (results && results.length > 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (e.key === 'ArrowDown' ? Math.min(results.length - 1, a + 1) : Math.max(0, a - 1)));
      return;
    }
    if (e.key === 'Escape') {
      clearInput();
      return;
    }
    if (e.key !== 'Enter' || e.defaultPrevented) return;
    e.preventDefault();
    const q = text.trim();
    if (results && results.length > 0) {
      const p = results[active];
      if (p) void pick(p);
    } else if (/^\d+$/.test(q)) {
      clearInput();
      void scan(q, null);
    }
  };

  const applyDiscount = async (d: Discount | null, line: boolean) => {
    const r = line && selected
      ? await attempt('checkout.setLineDiscount', { lineId: selected.id, discount: d })
      : await attempt('checkout.setReceiptDiscount', { discount: d });
    if (r) {
      setReceipt(r);
      close();
    }
  };

  const m = (a: number, sym = false) => money(a, info, lang, sym);
  const unitLabel = selected ? t(`checkout.${selected.unit}`) : '';

  return (
    <main className="checkout">
      <section className="basket">
        <div className="scan-box">
          <input
            ref={inputRef}
            autoFocus
            className="scan-input"
            data-testid="scan-input"
            placeholder={t('checkout.scanPlaceholder')}
            value={text}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onInputKey}
            onBlur={() => setTimeout(() => setResults(null), 150)}
          />
          {results && <SearchResults results={results} active={active} info={info} lang={lang} emptyText={t('checkout.noResults')} onPick={(p) => void pick(p)} />}
        </div>
        <LinesTable lines={lines} selectedId={selectedLineId} info={info} lang={lang} onSelect={(id) => useApp.setState({ selectedLineId: id })} />
      </section>
      <aside className="side">
        <div className="totals">
          <div className="row">
            <span>{t('checkout.lines', { count: lines.length })}</span>
          </div>
          <div className="row">
            <span>{t('checkout.subtotal')}</span>
            <span data-testid="subtotal">{m(receipt?.subtotal ?? 0)}</span>
          </div>
          <div className="row discount">
            <span>{t('checkout.discountTotal')}</span>
            <span data-testid="discount-total">{m(receipt?.discountTotal ?? 0)}</span>
          </div>
          <div className="grand">
            <span>{t('checkout.total')}</span>
            <strong data-testid="total">{m(receipt?.total ?? 0, true)}</strong>
          </div>
        </div>
        <div className="actions">
          <button data-testid="qty-button" disabled={!selected} onClick={actions.qty}>
            {t('checkout.setQty')} <kbd>F2</kbd>
          </button>
          <button data-testid="price-button" disabled={!selected} onClick={actions.price}>
            {t('checkout.setPrice')} <kbd>F3</kbd>
          </button>
          <button data-testid="line-discount-button" disabled={!selected} onClick={actions.lineDiscount}>
            {t('checkout.lineDiscount')} <kbd>F4</kbd>
          </button>
          <button data-testid="receipt-discount-button" disabled={lines.length === 0} onClick={actions.receiptDiscount}>
            {t('checkout.receiptDiscount')} <kbd>F5</kbd>
          </button>
          <button data-testid="remove-button" disabled={!selected} onClick={actions.remove}>
            {t('checkout.remove')} <kbd>Del</kbd>
          </button>
          <button data-testid="park-button" disabled={lines.length === 0} onClick={actions.park}>
            {t('checkout.park')} <kbd>F7</kbd>
          </button>
          <button data-testid="parked-button" onClick={actions.parked}>
            {t('checkout.parked')} <kbd>F8</kbd>
          </button>
          <button data-testid="cancel-button" className="danger" disabled={lines.length === 0} onClick={actions.cancel}>
            {t('checkout.cancel')} <kbd>F9</kbd>
          </button>
        </div>
        <button className="pay" data-testid="pay-button" disabled={lines.length === 0} onClick={actions.pay}>
          {t('checkout.pay')} <kbd>F12</kbd>
        </button>
      </aside>

      {dialog === 'qty' && selected && (
        <AmountDialog
          title={`${t('checkout.setQty')}, ${unitLabel}`}
          mode={selected.unit === 'pcs' ? 'qty-pcs' : 'qty-kg'}
          initial={quantity(selected.qty, selected.unit, 'ru')}
          onClose={close}
          onApply={(qty) =>
            void attempt('checkout.setQty', { lineId: selected.id, qty }).then((r) => {
              if (r) {
                setReceipt(r);
                close();
              }
            })
          }
        />
      )}
      {dialog === 'price' && selected && (
        <AmountDialog
          title={t('checkout.setPrice')}
          mode="price"
          initial=""
          onClose={close}
          onApply={(price) =>
            void attempt('checkout.overridePrice', { lineId: selected.id, price }).then((r) => {
              if (r) {
                setReceipt(r);
                close();
              }
            })
          }
        />
      )}
      {dialog === 'weighedQty' && pendingProductId !== null && (
        <AmountDialog
          title={t('checkout.weighedQty')}
          mode="qty-kg"
          initial=""
          onClose={close}
          onApply={(qty) =>
            void attempt('checkout.addProduct', { productId: pendingProductId, qty }).then((r) => {
              if (r) {
                setReceipt(r, 'last');
                close();
              }
            })
          }
        />
      )}
      {dialog === 'lineDiscount' && selected && (
        <DiscountDialog title={t('checkout.lineDiscount')} current={selected.discount} onClose={close} onApply={(d) => void applyDiscount(d, true)} />
      )}
      {dialog === 'receiptDiscount' && (
        <DiscountDialog title={t('checkout.receiptDiscount')} current={receipt?.discount ?? null} onClose={close} onApply={(d) => void applyDiscount(d, false)} />
      )}
      {dialog === 'payment' && <PaymentDialog lang={lang} onClose={close} />}
      {dialog === 'parked' && <ParkedDialog lang={lang} onClose={close} />}
      {dialog === 'cancel' && (
        <Dialog title={t('checkout.confirmCancel')} onClose={close} testId="cancel-dialog">
          <p className="big-text">{m(receipt?.total ?? 0, true)}</p>
          <div className="dialog-actions">
            <button onClick={close}>{t('checkout.no')}</button>
            <button
              className="danger"
              data-testid="cancel-confirm"
              autoFocus
              onClick={() =>
                void attempt('checkout.cancel', {}).then((ok) => {
                  if (ok) setReceipt(null);
                  close();
                })
              }
            >
              {t('checkout.yes')}
            </button>
          </div>
        </Dialog>
      )}
    </main>
  );
}
