import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalReceiptState, ReceiptView } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { localeOf, money, quantity } from '../../app/format.js';
import { attempt, call } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { ReceiptLoyaltyBlock } from './ReceiptLoyalty.js';

const PRINT_POLL_MS = 1000;
const PRINT_POLL_TRIES = 30;

const newSale = () => useApp.setState({ completed: null, screen: 'checkout', report: null, returnTarget: null });

/** The printed copy appears once the print effect ran: refetch on effects.changed, and poll as a fallback. */
function usePrinted(receiptId: string): string | null {
  const [printed, setPrinted] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () => {
      if (timer) clearTimeout(timer);
      call('receipts.printed', { id: receiptId })
        .then((p) => {
          if (!alive) return;
          if (p) setPrinted(p.text);
          else if (++tries < PRINT_POLL_TRIES) timer = setTimeout(load, PRINT_POLL_MS);
        })
        .catch(() => {});
    };
    load();
    window.addEventListener('lavka:effects', load);
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
      window.removeEventListener('lavka:effects', load);
    };
  }, [receiptId]);
  return printed;
}

/** The receipt's fiscal document, followed as the registrar works (fiscal.changed); null outside fiscal mode. */
function useFiscal(receiptId: string): FiscalReceiptState | null {
  const [state, setState] = useState<FiscalReceiptState | null>(null);
  const load = useCallback(() => {
    call('fiscal.receipt', { receiptId })
      .then(setState)
      .catch(() => {});
  }, [receiptId]);
  useEffect(load, [load]);
  useEvent('fiscal.changed', (e) => {
    if (e.refId === receiptId) load();
  });
  return state;
}

/** Where the receipt's fiscal document is: its number and fiscal sign once registered, else why not yet. */
function FiscalLine(props: { fiscal: FiscalReceiptState | null }) {
  const { t } = useTranslation();
  const f = props.fiscal;
  if (!f || f.state === 'none') return null;
  if (f.state === 'done') {
    return (
      <p className="fiscal-done" data-testid="receipt-fiscal" data-state="done">
        {t(f.correction ? 'receipt.fiscal.correction' : 'receipt.fiscal.done', { number: f.documentNumber, sign: f.fiscalSign })}
      </p>
    );
  }
  const problem = f.state === 'failed' || f.state === 'attention';
  return (
    <p className={problem ? 'fiscal-problem' : 'muted'} data-testid="receipt-fiscal" data-state={f.state}>
      {t(`receipt.fiscal.${f.state}`)}
      {problem && f.errorCode ? `: ${t(`fiscal.error.${f.errorCode}`, { defaultValue: f.error ?? '' })}` : ''}
    </p>
  );
}

/**
 * After a sale: the numbers the cashier reads out, the change in big type, the receipt's code (what
 * its printed barcode carries, for a later return) and the printed copy. After a return: the same
 * receipt labelled as a return, with the refund to hand back per method.
 */
export function ReceiptScreen(props: { receipt: ReceiptView; lang: Language }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const r = props.receipt;
  const reprint = async () => {
    if (await attempt('receipts.reprint', { id: r.id })) showToast(t('receipt.reprinted'), 'info');
  };
  const m = (a: number, sym = false) => money(a, info, props.lang, sym);
  const printed = usePrinted(r.id);
  const fiscal = useFiscal(r.id);
  const percent = new Intl.NumberFormat(localeOf(props.lang), { maximumFractionDigits: 2 });
  const isReturn = r.kind === 'return';
  const cashRefund = r.payments.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.code === 'Enter' || e.code === 'NumpadEnter' || e.code === 'Escape') {
        e.preventDefault();
        newSale();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <main className={isReturn ? 'receipt-screen is-return' : 'receipt-screen'} data-testid="receipt-view" data-kind={r.kind}>
      <section className="receipt-card">
        <h2 data-testid="receipt-number">{t(isReturn ? 'receipt.returnTitle' : 'receipt.title', { number: r.number })}</h2>
        {isReturn ? (
          <p className="return-badge" data-testid="receipt-kind">
            {r.originalId ? t('receipt.returnOf') : t('receipt.returnWithout')}
          </p>
        ) : (
          <p className="muted receipt-code">
            {t('receipt.code')}: <code data-testid="receipt-code">{r.code}</code>
          </p>
        )}
        <FiscalLine fiscal={fiscal} />
        <table className="lines compact">
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.id} data-testid="receipt-line">
                <td>{l.name}</td>
                <td className="num">
                  {quantity(l.qty, l.unit, props.lang)} {t(`checkout.${l.unit}`)} × {m(l.price)}
                </td>
                <td className="num discount">{l.discountTotal > 0 ? `−${m(l.discountTotal)}` : ''}</td>
                <td className="num">{m(l.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="receipt-totals">
          <dt>{t('checkout.subtotal')}</dt>
          <dd data-testid="receipt-subtotal">{m(r.subtotal, true)}</dd>
          <dt>{t('checkout.discountTotal')}</dt>
          <dd data-testid="receipt-discount">{m(r.discountTotal, true)}</dd>
          <dt className="big">{t('receipt.total')}</dt>
          <dd className="big" data-testid="receipt-total">
            {m(r.total, true)}
          </dd>
          {r.vat.map((v) => (
            <div key={v.code} className="row muted" data-testid="receipt-vat">
              <dt>{v.code === 'none' || v.bp === 0 ? t('receipt.noVat') : t('receipt.vat', { rate: percent.format(v.bp / 100) })}</dt>
              <dd>{m(v.amount, true)}</dd>
            </div>
          ))}
          {r.payments.map((p, i) =>
            isReturn ? (
              <div key={`${p.method}-${i}`} className="row">
                <dt>{t(p.method === 'cash' ? 'receipt.refundCash' : 'receipt.refundCard')}</dt>
                <dd data-testid={`receipt-refund-${p.method}`}>{m(p.amount, true)}</dd>
              </div>
            ) : (
              <div key={`${p.method}-${i}`} className="row">
                <dt>{t(`receipt.${p.method}`)}</dt>
                <dd data-testid={`receipt-paid-${p.method}`}>{m(p.tendered, true)}</dd>
              </div>
            ),
          )}
        </dl>
        <ReceiptLoyaltyBlock loyalty={r.loyalty} info={info} lang={props.lang} />
        {isReturn ? (
          <div className="change-big">
            {t('receipt.giveBack')} <strong data-testid="receipt-give-back">{m(cashRefund, true)}</strong>
          </div>
        ) : (
          <div className="change-big">
            {t('receipt.change')} <strong data-testid="receipt-change">{m(r.change, true)}</strong>
          </div>
        )}
        <button className="primary big" data-testid="new-sale" autoFocus onClick={newSale}>
          {t('receipt.newSale')} <kbd>Enter</kbd>
        </button>
      </section>
      <section className="printed">
        <h3>
          {t('receipt.printed')}{' '}
          <button className="small" data-testid="receipt-reprint" onMouseDown={(e) => e.preventDefault()} onClick={() => void reprint()}>
            {t('receipt.reprint')}
          </button>
        </h3>
        <pre data-testid="receipt-printed">{printed ?? t('receipt.printing')}</pre>
      </section>
    </main>
  );
}
