import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentInput } from '../../../src-common/rpc/contract.js';
import { money, moneyInput } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { tender } from './tender.js';

/** Cash with change, card confirmed by the cashier once the terminal approves, or both. */
export function PaymentDialog(props: { lang: Language; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const total = useApp((s) => s.receipt?.total ?? 0);
  const [cardText, setCardText] = useState('');
  const [cardConfirmed, setCardConfirmed] = useState(false);
  const [cashText, setCashText] = useState('');
  const [busy, setBusy] = useState(false);
  const cashRef = useRef<HTMLInputElement | null>(null);
  const confirmRef = useRef<HTMLButtonElement | null>(null);
  const m = (a: number) => money(a, info, lang, true);

  const tnd = tender(total, cardText, cashText);
  const needsCardConfirm = tnd.card > 0 && !cardConfirmed;
  const problem = tnd.invalid
    ? t('dialog.invalidNumber')
    : tnd.cardTooBig
      ? t('errors.tender_invalid')
      : needsCardConfirm
        ? t('payment.confirmCardFirst')
        : tnd.short > 0
          ? t('errors.tender_short', { short: m(tnd.short) })
          : null;

  const complete = async () => {
    if (busy) return;
    if (problem) {
      showToast(problem);
      return;
    }
    const payments: PaymentInput[] = [];
    if (tnd.card > 0) payments.push({ method: 'card', amount: tnd.card });
    if (tnd.cashToSend > 0) payments.push({ method: 'cash', amount: tnd.cashToSend });
    // A fully discounted receipt (total 0) completes with no payment at all.
    if (payments.length === 0 && total > 0) return;
    setBusy(true);
    const sale = await attempt('checkout.complete', { payments });
    setBusy(false);
    if (sale) useApp.setState({ completed: sale, receipt: null, selectedLineId: null, dialog: 'none' });
  };

  const setCash = (text: string) => {
    setCashText(text);
    cashRef.current?.focus();
  };
  const keepFocus = (e: React.MouseEvent) => e.preventDefault();

  return (
    <Dialog title={t('payment.title')} onClose={props.onClose} testId="payment-dialog" wide>
      <div className="pay-due">
        <span>{t('payment.due')}</span>
        <strong data-testid="pay-due">{m(total)}</strong>
      </div>
      <div className="pay-grid">
        <section className="pay-col">
          <label className="field">
            <span>{t('payment.cash')}</span>
            <input
              ref={cashRef}
              autoFocus
              inputMode="decimal"
              value={cashText}
              placeholder={tnd.dueInCash > 0 ? t('payment.cashExactHint', { amount: moneyInput(tnd.dueInCash, info, lang) }) : ''}
              data-testid="pay-cash-input"
              onChange={(e) => setCashText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void complete();
                }
              }}
            />
          </label>
          <div className="quick-cash">
            <button data-testid="pay-exact" onMouseDown={keepFocus} onClick={() => setCash(moneyInput(tnd.dueInCash, info, lang))}>
              {t('payment.exact')}
            </button>
            {(info?.quickCash ?? []).map((q) => (
              <button key={q} data-testid={`pay-quick-${q}`} onMouseDown={keepFocus} onClick={() => setCash(moneyInput(q, info, lang))}>
                {m(q)}
              </button>
            ))}
          </div>
        </section>
        <section className="pay-col">
          <label className="field">
            <span>{t('payment.card')}</span>
            <input
              inputMode="decimal"
              value={cardText}
              data-testid="pay-card-input"
              className={tnd.cardTooBig ? 'invalid' : undefined}
              onChange={(e) => {
                setCardText(e.target.value);
                setCardConfirmed(false);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  confirmRef.current?.focus();
                }
              }}
            />
          </label>
          <div className="pay-card-actions">
            <button
              data-testid="pay-card-full"
              onMouseDown={keepFocus}
              onClick={() => {
                setCardText(moneyInput(total, info, lang));
                setCardConfirmed(false);
              }}
            >
              {t('payment.cardAll')}
            </button>
            <button
              ref={confirmRef}
              className={cardConfirmed ? 'confirmed' : needsCardConfirm ? 'primary' : ''}
              data-testid="pay-card-confirm"
              aria-pressed={cardConfirmed}
              disabled={tnd.card <= 0 || tnd.cardTooBig || tnd.invalid}
              onClick={() => {
                setCardConfirmed(true);
                cashRef.current?.focus();
              }}
            >
              {cardConfirmed ? `✓ ${t('payment.cardConfirmed')}` : t('payment.cardApproved')}
            </button>
          </div>
        </section>
      </div>
      <div className="pay-summary">
        <div className={tnd.remaining > 0 ? 'remaining due' : 'remaining'}>
          {t('payment.remaining')} <strong data-testid="pay-remaining">{m(tnd.remaining)}</strong>
        </div>
        <div className="change">
          {t('payment.change')} <strong data-testid="pay-change">{m(tnd.change)}</strong>
        </div>
      </div>
      {problem && (cardText !== '' || cashText !== '') && (
        <div className="field-error" data-testid="pay-problem">
          {problem}
        </div>
      )}
      <div className="dialog-actions">
        <button onClick={props.onClose}>
          {t('dialog.close')} <kbd>Esc</kbd>
        </button>
        <button className="primary big" data-testid="pay-complete" disabled={busy || problem !== null} onClick={() => void complete()}>
          {t('payment.complete')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
