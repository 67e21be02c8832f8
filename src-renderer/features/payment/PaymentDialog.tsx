import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney } from '../../../src-common/money.js';
import type { PaymentInput } from '../../../src-common/rpc/contract.js';
import { money } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';

/** Cash with change, card confirmed by the cashier, or both. */
export function PaymentDialog(props: { lang: Language; onClose: () => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const total = useApp((s) => s.receipt?.total ?? 0);
  const [cardText, setCardText] = useState('');
  const [cardConfirmed, setCardConfirmed] = useState(false);
  const [cashText, setCashText] = useState('');
  const [busy, setBusy] = useState(false);
  const m = (a: number) => money(a, info, props.lang, true);

  const card = parseMoney(cardText) ?? 0;
  const cash = parseMoney(cashText) ?? 0;
  const paid = card + cash;
  const remaining = Math.max(0, total - paid);
  const change = card <= total ? Math.max(0, paid - total) : 0;

  const complete = async () => {
    if (busy) return;
    if ((cardText && parseMoney(cardText) === null) || (cashText && parseMoney(cashText) === null)) {
      showToast(t('errors.validation', { field: '' }));
      return;
    }
    if (card > 0 && !cardConfirmed) {
      showToast(t('payment.cardApproved') + '?', 'info');
      return;
    }
    const payments: PaymentInput[] = [];
    if (card > 0) payments.push({ method: 'card', amount: card });
    if (cash > 0) payments.push({ method: 'cash', amount: cash });
    if (payments.length === 0) payments.push({ method: 'cash', amount: total });
    setBusy(true);
    const sale = await attempt('checkout.complete', { payments });
    setBusy(false);
    if (sale) useApp.setState({ completed: sale, receipt: null, selectedLineId: null, dialog: 'none' });
  };

  return (
    <Dialog title={t('payment.title')} onClose={props.onClose} testId="payment-dialog" wide>
      <div className="pay-due">
        <span>{t('payment.due')}</span>
        <strong data-testid="pay-due">{m(total)}</strong>
      </div>
      <div className="pay-grid">
        <label>
          {t('payment.card')}
          <input
            inputMode="decimal"
            value={cardText}
            data-testid="pay-card-input"
            onChange={(e) => {
              setCardText(e.target.value);
              setCardConfirmed(false);
            }}
          />
        </label>
        <button
          className={cardConfirmed ? 'confirmed' : ''}
          data-testid="pay-card-confirm"
          disabled={card <= 0}
          onClick={() => setCardConfirmed(true)}
        >
          {cardConfirmed ? `✓ ${t('payment.cardConfirmed')}` : t('payment.cardApproved')}
        </button>
        <label>
          {t('payment.cash')}
          <input
            autoFocus
            inputMode="decimal"
            value={cashText}
            data-testid="pay-cash-input"
            onChange={(e) => setCashText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void complete();
            }}
          />
        </label>
        <div className="quick-cash">
          <button data-testid="pay-exact" onClick={() => setCashText(money(Math.max(0, total - card), info, 'ru').replace(/\s/g, ''))}>
            {t('payment.exact')}
          </button>
          {(info?.quickCash ?? []).map((q) => (
            <button key={q} onClick={() => setCashText(String(q / 100))}>
              {m(q)}
            </button>
          ))}
        </div>
      </div>
      <div className="pay-summary">
        <div>
          {t('payment.remaining')} <strong data-testid="pay-remaining">{m(remaining)}</strong>
        </div>
        <div className="change">
          {t('payment.change')} <strong data-testid="pay-change">{m(change)}</strong>
        </div>
      </div>
      <div className="dialog-actions">
        <button className="primary big" data-testid="pay-complete" disabled={busy || remaining > 0} onClick={() => void complete()}>
          {t('payment.complete')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
