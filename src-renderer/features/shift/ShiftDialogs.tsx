import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { DenominationCount } from '../../../src-common/rpc/schemas.js';
import { money, signedMoney } from '../../app/format.js';
import { call, errorText, refreshShift, reportError } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { CountDialog } from './CountDialog.js';
import type { CountTexts } from './count.js';

const close = () => useApp.setState({ dialog: 'none' });

/** Open a shift: the opening float counted by denomination. */
export function OpenShiftDialog(props: { lang: Language }) {
  const { t } = useTranslation();
  const [texts, setTexts] = useState<CountTexts>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const info = useApp((s) => s.info);

  const submit = async (count: DenominationCount) => {
    setBusy(true);
    setError(null);
    try {
      const shift = await call('shift.open', { count });
      useApp.setState({ shift, dialog: 'none', screen: 'checkout', report: null });
      showToast(t('shift.opened', { number: shift.number, float: money(shift.openingFloat, info, props.lang, true) }), 'info');
    } catch (e) {
      if (e instanceof RpcError && e.code === 'shift_already_open') {
        void refreshShift();
        close();
        reportError(e);
        return;
      }
      if (e instanceof RpcError && ['unauthenticated', 'forbidden'].includes(e.code)) {
        close();
        reportError(e);
        return;
      }
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <CountDialog
      title={t('shift.openTitle')}
      testId="open-shift-dialog"
      submitLabel={t('shift.open')}
      lang={props.lang}
      texts={texts}
      onTexts={(v) => {
        setError(null);
        setTexts(v);
      }}
      busy={busy}
      error={error}
      hint={t('shift.openHint')}
      onSubmit={(count) => void submit(count)}
      onClose={close}
    />
  );
}

/**
 * Close the shift with a blind count: the expected cash is never shown before the count is in.
 * A difference beyond the tolerance comes back as reason_required: the cashier then sees the
 * difference and either recounts or gives a reason, and the Z report follows.
 */
export function CloseShiftDialog(props: { lang: Language }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [texts, setTexts] = useState<CountTexts>({});
  const [step, setStep] = useState<{ count: DenominationCount; total: number; difference: number } | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLInputElement | null>(null);

  const send = async (count: DenominationCount, total: number, why?: string) => {
    setBusy(true);
    setError(null);
    try {
      const z = await call('shift.close', why ? { count, reason: why } : { count });
      useApp.setState({ shift: null, report: z, screen: 'report', dialog: 'none', completed: null });
    } catch (e) {
      if (e instanceof RpcError && e.code === 'reason_required' && typeof e.details?.difference === 'number') {
        setStep({ count, total, difference: e.details.difference });
        setReason('');
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

  if (!step) {
    return (
      <CountDialog
        title={t('shift.closeTitle')}
        testId="close-shift-dialog"
        submitLabel={t('shift.closeSubmit')}
        lang={props.lang}
        texts={texts}
        onTexts={(v) => {
          setError(null);
          setTexts(v);
        }}
        busy={busy}
        error={error}
        hint={<strong>{t('shift.blindHint')}</strong>}
        onSubmit={(count, total) => void send(count, total)}
        onClose={close}
      />
    );
  }

  const confirm = () => {
    const why = reason.trim();
    if (!why) {
      setError(t('shift.reasonNeeded'));
      reasonRef.current?.focus();
      return;
    }
    void send(step.count, step.total, why);
  };
  const m = (a: number) => money(a, info, props.lang, true);

  return (
    <Dialog title={t('shift.differenceTitle')} onClose={close} testId="close-difference-dialog">
      <dl className="difference">
        <dt>{t('shift.counted')}</dt>
        <dd data-testid="close-counted">{m(step.total)}</dd>
        <dt>{t('shift.difference')}</dt>
        <dd className={step.difference < 0 ? 'short' : 'over'} data-testid="close-difference">
          {signedMoney(step.difference, info, props.lang)}
        </dd>
      </dl>
      <p className="muted">{t('shift.differenceHint')}</p>
      <label className="field">
        <span>{t('shift.reason')}</span>
        <input
          ref={reasonRef}
          autoFocus
          maxLength={200}
          data-testid="close-reason"
          value={reason}
          className={error ? 'invalid' : undefined}
          onChange={(e) => {
            setError(null);
            setReason(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              confirm();
            }
          }}
        />
      </label>
      <FieldError text={error} testId="close-error" />
      <div className="dialog-actions">
        <button data-testid="close-recount" disabled={busy} onClick={() => setStep(null)}>
          {t('shift.recount')}
        </button>
        <button className="primary" data-testid="close-confirm" disabled={busy} onClick={confirm}>
          {t('shift.closeWithReason')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
