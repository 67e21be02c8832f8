import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../src-common/rpc/contract.js';
import { useSettledEvent } from '../../app/events.js';
import { call, errorText } from '../../app/rpc.js';
import { FieldError } from '../../ui/FieldError.js';
import { phoneText } from './loyalty-format.js';

type Emulated = Result<'sms.emulated'>[number];

/** SMS.ru's delivery codes as the emulator keeps them: 100 accepted, 101–102 on the way, 103 delivered, others failed. */
function statusKey(code: number): 'accepted' | 'sending' | 'delivered' | 'failed' {
  if (code === 100) return 'accepted';
  if (code === 101 || code === 102) return 'sending';
  if (code === 103) return 'delivered';
  return 'failed';
}

/** The number as the provider got it (digits, no plus) written the way the rest of the screens write phones. */
function toText(to: string): string {
  return phoneText(/^\d+$/.test(to) ? `+${to}` : to);
}

/**
 * Demo only (provider "emulator"): what the emulated SMS provider on this till has received, as a
 * customer's phone would show it — nothing leaves the computer. Read again as the sender reports
 * progress (`sms.changed`). The emulator lives in the till process and starts empty with it.
 */
export function SmsEmulator() {
  const { t } = useTranslation();
  const [sent, setSent] = useState<Emulated[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    call('sms.emulated', {}).then(
      (r) => {
        setSent(r);
        setError(null);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  useEffect(load, [load]);
  // A campaign sends many at once: one read after the burst.
  useSettledEvent('sms.changed', load, 250);
  const list = sent ? [...sent].reverse() : null;
  return (
    <section className="sms-emulator" data-testid="sms-emulator" data-count={sent?.length ?? 0}>
      <p className="muted">{t('loyalty.sms.emulator.hint')}</p>
      <div className="admin-filters">
        <span className="spacer" />
        <button type="button" className="small" data-testid="sms-emulator-refresh" onClick={load}>
          {t('loyalty.sms.status.refresh')}
        </button>
      </div>
      <FieldError text={error} testId="sms-emulator-error" />
      {list?.length === 0 && (
        <p className="muted" data-testid="sms-emulator-empty">
          {t('loyalty.sms.emulator.empty')}
        </p>
      )}
      {list && list.length > 0 && (
        <ul className="sms-phone-list">
          {list.map((m) => (
            <li key={m.id} className="sms-phone" data-testid="sms-emulated" data-id={m.id} data-to={m.to} data-status={statusKey(m.statusCode)}>
              <div className="sms-phone-head">
                <strong data-testid="sms-emulated-to">{toText(m.to)}</strong>
                <span className="muted">
                  {t('loyalty.sms.emulator.from', { from: m.from || '—' })} · {t(`loyalty.sms.emulator.status.${statusKey(m.statusCode)}`)}
                </span>
              </div>
              <p className="sms-bubble" data-testid="sms-emulated-text">
                {m.text}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
