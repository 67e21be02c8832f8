import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import { parseMoney } from '../../../src-common/money.js';
import { RpcError } from '../../../src-common/rpc/client.js';
import { money } from '../../app/format.js';
import { ApprovalCancelled, command, errorText, refreshShift, reportError } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { Numpad } from '../../ui/Numpad.js';

const PRESETS = { in: ['change', 'float'], out: ['collection', 'expense'] } as const;

/** Cash put into (cash in) or taken out of (cash out, gated) the drawer: an amount and a reason. */
export function CashDialog(props: { kind: 'in' | 'out'; lang: Language }) {
  const { t } = useTranslation();
  const { kind, lang } = props;
  const info = useApp((s) => s.info);
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amountRef = useRef<HTMLInputElement | null>(null);
  const reasonRef = useRef<HTMLInputElement | null>(null);
  const close = () => useApp.setState({ dialog: 'none' });

  const apply = async () => {
    if (busy) return;
    const amount = parseMoney(amountText, info?.minorDigits ?? 2);
    if (amount === null || amount <= 0) {
      setError(t('cash.invalidAmount'));
      amountRef.current?.focus();
      return;
    }
    const why = reason.trim();
    if (!why) {
      setError(t('cash.needReason'));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const mv = await command(kind === 'in' ? 'shift.cashIn' : 'shift.cashOut', { amount, reason: why });
      close();
      showToast(t(kind === 'in' ? 'cash.doneIn' : 'cash.doneOut', { amount: money(mv.amount, info, lang, true) }), 'info');
      void refreshShift();
    } catch (e) {
      if (e instanceof ApprovalCancelled) {
        close();
      } else if (e instanceof RpcError && ['unauthenticated', 'forbidden', 'shift_not_open'].includes(e.code)) {
        close();
        reportError(e);
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const onEnter = (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (e.currentTarget === amountRef.current && reason.trim() === '') reasonRef.current?.focus();
    else void apply();
  };

  return (
    <Dialog title={t(kind === 'in' ? 'cash.inTitle' : 'cash.outTitle')} onClose={close} testId="cash-dialog">
      <label className="field">
        <span>{t('cash.amount')}</span>
        <input
          ref={amountRef}
          className="big-input"
          autoFocus
          inputMode="decimal"
          autoComplete="off"
          data-testid="cash-amount"
          value={amountText}
          onChange={(e) => {
            setError(null);
            setAmountText(e.target.value);
          }}
          onKeyDown={onEnter}
        />
      </label>
      <Numpad
        value={amountText}
        onChange={(v) => {
          setError(null);
          setAmountText(v);
        }}
        decimal={lang === 'ru' ? ',' : '.'}
        testIdPrefix="cash-key"
      />
      <label className="field">
        <span>{t('cash.reason')}</span>
        <input
          ref={reasonRef}
          maxLength={200}
          autoComplete="off"
          data-testid="cash-reason"
          value={reason}
          onChange={(e) => {
            setError(null);
            setReason(e.target.value);
          }}
          onKeyDown={onEnter}
        />
      </label>
      <div className="chips">
        {PRESETS[kind].map((p) => (
          <button
            key={p}
            type="button"
            data-testid={`cash-reason-${p}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              setError(null);
              setReason(t(`cash.reasons.${p}`));
            }}
          >
            {t(`cash.reasons.${p}`)}
          </button>
        ))}
      </div>
      <FieldError text={error} testId="cash-error" />
      <div className="dialog-actions">
        <button onClick={close}>
          {t('dialog.close')} <kbd>Esc</kbd>
        </button>
        <button className="primary" data-testid="cash-apply" disabled={busy} onClick={() => void apply()}>
          {t('cash.apply')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
