import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductView } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { SCAN_TARGET_ATTR } from '../../app/scanner.js';
import { openReturns, setReceipt, showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { COUPON_INPUT_ID, spendMaxPoints } from '../loyalty/attach.js';
import { CustomerDialog } from '../loyalty/CustomerDialog.js';
import { CustomerStrip } from '../loyalty/CustomerPanel.js';
import { LoyaltyTotals } from '../loyalty/LoyaltyTotals.js';
import { closeCustomerDialog, openCustomerDialog, useCustomerDialog } from '../loyalty/loyalty-ui.js';
import { CheckoutDialogs } from './CheckoutDialogs.js';
import { LinesTable } from './LinesTable.js';
import { ScanBox } from './ScanBox.js';

/** Keys that are typing, not commands, when a text field has content. */
function isTextField(t: EventTarget | null): t is HTMLInputElement | HTMLTextAreaElement {
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
}

function ActionButton(props: { testId: string; hotkey: string; disabled?: boolean; danger?: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      className={props.danger ? 'danger' : undefined}
      data-testid={props.testId}
      disabled={props.disabled}
      aria-keyshortcuts={props.hotkey}
      // Keep focus in the scan input: the next scan or typed PLU goes there.
      onMouseDown={(e) => e.preventDefault()}
      onClick={props.onClick}
    >
      <span>{props.children}</span>
      <kbd>{props.hotkey === 'Delete' ? 'Del' : props.hotkey}</kbd>
    </button>
  );
}

export function CheckoutScreen(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const receipt = useApp((s) => s.receipt);
  const selectedLineId = useApp((s) => s.selectedLineId);
  const dialog = useApp((s) => s.dialog);
  const approval = useApp((s) => s.approval);
  const customerDialog = useCustomerDialog((s) => s.open);
  const inputRef = useRef<HTMLInputElement | null>(null);

  const lines = receipt?.lines ?? [];
  const selected = lines.find((l) => l.id === selectedLineId) ?? null;
  const hasLines = lines.length > 0;

  // Whenever no dialog is open, the scan input has focus.
  useEffect(() => {
    if (dialog === 'none' && !approval && !customerDialog) inputRef.current?.focus();
  }, [dialog, approval, customerDialog]);
  // The customer dialog is this screen's: it does not outlive it (a logout, the receipt screen).
  useEffect(() => closeCustomerDialog, []);
  const focusScan = useCallback(() => {
    if (useApp.getState().dialog === 'none' && !useCustomerDialog.getState().open) inputRef.current?.focus();
  }, []);

  const onSelect = useCallback((id: string) => useApp.setState({ selectedLineId: id }), []);
  const onPick = useCallback((p: ProductView) => {
    if (p.unit !== 'pcs') {
      useApp.setState({ dialog: 'weighedQty', pendingProduct: p });
      return;
    }
    void attempt('checkout.addProduct', { productId: p.id }).then((r) => r && setReceipt(r, 'last'));
  }, []);

  const open = (d: typeof dialog) => useApp.setState({ dialog: d });
  const actions = {
    qty: () => selected && open('qty'),
    price: () => selected && open('price'),
    lineDiscount: () => selected && open('lineDiscount'),
    receiptDiscount: () => hasLines && open('receiptDiscount'),
    remove: () => {
      if (!selected) return;
      void attempt('checkout.removeLine', { lineId: selected.id }).then((r) => r && setReceipt(r));
    },
    park: () => {
      if (!hasLines) return;
      void attempt('checkout.park', {}).then((ok) => {
        if (!ok) return;
        setReceipt(null);
        showToast(t('checkout.parkedToast'), 'info');
      });
    },
    parked: () => open('parked'),
    cancel: () => hasLines && open('cancel'),
    pay: () => hasLines && open('payment'),
    returns: () => openReturns(),
    till: () => open('tillMenu'),
    customer: () => openCustomerDialog(),
  };

  // Hotkeys while no dialog is open. Handlers that used a key (search list, Enter) preventDefault it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A dialog (or a manager's approval) has the keyboard.
      if (useApp.getState().dialog !== 'none' || useApp.getState().approval || useCustomerDialog.getState().open) return;
      const hot: Record<string, (() => unknown) | undefined> = {
        F1: actions.customer,
        F2: actions.qty,
        F3: actions.price,
        F4: actions.lineDiscount,
        F5: actions.receiptDiscount,
        F6: actions.returns,
        F7: actions.park,
        F8: actions.parked,
        F9: actions.cancel,
        F10: actions.till,
        F12: actions.pay,
      };
      // Loyalty: Alt+M spends the most points the basket can take, Alt+K goes to the coupon field.
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyM' || e.code === 'KeyK')) {
        e.preventDefault();
        if (e.code === 'KeyM') void spendMaxPoints().then(focusScan);
        else document.getElementById(COUPON_INPUT_ID)?.focus();
        return;
      }
      // Function keys are only ever hotkeys (App cancels their browser defaults, hence no defaultPrevented check).
      const h = hot[e.code];
      if (h) {
        e.preventDefault();
        h();
        return;
      }
      if (e.defaultPrevented) return;
      // The loyalty panel's fields (points, coupon code) keep their keys: Space, Delete and arrows are typing there.
      if (isTextField(e.target) && !e.target.hasAttribute(SCAN_TARGET_ATTR)) return;
      const typing = isTextField(e.target) && e.target.value !== '';
      if (e.code === 'Delete' && !typing) {
        e.preventDefault();
        actions.remove();
      } else if (e.code === 'Space' && !typing && !(e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        actions.pay();
      } else if (e.code === 'ArrowUp' || e.code === 'ArrowDown') {
        const ids = lines.map((l) => l.id);
        if (ids.length === 0) return;
        e.preventDefault();
        const i = selectedLineId ? ids.indexOf(selectedLineId) : ids.length;
        const next = e.code === 'ArrowUp' ? Math.max(0, i - 1) : Math.min(ids.length - 1, i + 1);
        useApp.setState({ selectedLineId: ids[next] ?? null });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const m = (a: number, sym = false) => money(a, info, lang, sym);

  return (
    <main className="checkout" data-testid="checkout">
      <section className="basket">
        <ScanBox lang={lang} inputRef={inputRef} onPick={onPick} />
        <CustomerStrip lang={lang} onDone={focusScan} />
        <LinesTable lines={lines} selectedId={selectedLineId} info={info} lang={lang} onSelect={onSelect} />
      </section>
      <aside className="side">
        <div className="totals" aria-live="polite">
          <div className="row muted">
            <span data-testid="line-count">{t('checkout.lines', { count: lines.length })}</span>
          </div>
          <div className="row">
            <span>{t('checkout.subtotal')}</span>
            <span data-testid="subtotal">{m(receipt?.subtotal ?? 0)}</span>
          </div>
          <div className={receipt && receipt.discountTotal > 0 ? 'row discount' : 'row muted'}>
            <span>{t('checkout.discountTotal')}</span>
            <span data-testid="discount-total">{receipt && receipt.discountTotal > 0 ? `−${m(receipt.discountTotal)}` : m(0)}</span>
          </div>
          <LoyaltyTotals loyalty={receipt?.loyalty ?? null} info={info} lang={lang} />
          <div className="grand">
            <span>{t('checkout.total')}</span>
            <strong data-testid="total">{m(receipt?.total ?? 0, true)}</strong>
          </div>
        </div>
        <div className="actions">
          <ActionButton testId="qty-button" hotkey="F2" disabled={!selected} onClick={actions.qty}>
            {t('checkout.setQty')}
          </ActionButton>
          <ActionButton testId="price-button" hotkey="F3" disabled={!selected} onClick={actions.price}>
            {t('checkout.setPrice')}
          </ActionButton>
          <ActionButton testId="line-discount-button" hotkey="F4" disabled={!selected} onClick={actions.lineDiscount}>
            {t('checkout.lineDiscount')}
          </ActionButton>
          <ActionButton testId="receipt-discount-button" hotkey="F5" disabled={!hasLines} onClick={actions.receiptDiscount}>
            {t('checkout.receiptDiscount')}
          </ActionButton>
          <ActionButton testId="remove-button" hotkey="Delete" disabled={!selected} onClick={actions.remove}>
            {t('checkout.remove')}
          </ActionButton>
          <ActionButton testId="park-button" hotkey="F7" disabled={!hasLines} onClick={actions.park}>
            {t('checkout.park')}
          </ActionButton>
          <ActionButton testId="parked-button" hotkey="F8" onClick={actions.parked}>
            {t('checkout.parked')}
          </ActionButton>
          <ActionButton testId="cancel-button" hotkey="F9" danger disabled={!hasLines} onClick={actions.cancel}>
            {t('checkout.cancel')}
          </ActionButton>
          <ActionButton testId="returns-button" hotkey="F6" onClick={actions.returns}>
            {t('checkout.returns')}
          </ActionButton>
          <ActionButton testId="till-button" hotkey="F10" onClick={actions.till}>
            {t('checkout.tillMenu')}
          </ActionButton>
        </div>
        <button className="pay" data-testid="pay-button" aria-keyshortcuts="F12 Space" disabled={!hasLines} onMouseDown={(e) => e.preventDefault()} onClick={actions.pay}>
          {t('checkout.pay')} <kbd>F12</kbd>
        </button>
      </aside>
      <CheckoutDialogs lang={lang} />
      {customerDialog && <CustomerDialog lang={lang} />}
    </main>
  );
}
