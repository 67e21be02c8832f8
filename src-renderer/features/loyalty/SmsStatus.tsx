import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmsBalance } from '../../../src-common/sms-schemas.js';
import { useEvent } from '../../app/events.js';
import { dateTimeFormat, money } from '../../app/format.js';
import { call } from '../../app/rpc.js';
import { useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { smsBanners, type SmsAlert } from './sms-view.js';

/**
 * The provider's balance as the sender last read it, and a banner for whatever needs the owner:
 * money running low, a key the provider refuses, a sender name it has not approved. An `sms.alert`
 * shows at once; the balance is asked again then and every minute while the screen is open.
 */
export function SmsStatus(props: { lang: Language; refreshKey: number }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const [balance, setBalance] = useState<SmsBalance | null>(null);
  const [alert, setAlert] = useState<SmsAlert | null>(null);
  const load = useCallback(() => {
    call('sms.balance', {}).then(setBalance, () => {});
  }, []);
  useEffect(() => {
    load();
    // After a save the sender reads the balance again (wake): ask once more when it has had the time.
    const again = props.refreshKey > 0 ? setTimeout(load, 2_000) : null;
    const timer = setInterval(load, 60_000);
    return () => {
      if (again) clearTimeout(again);
      clearInterval(timer);
    };
  }, [load, props.refreshKey]);
  useEvent('sms.alert', (a) => {
    setAlert(a);
    load();
  });
  // A sent message means the account works again: an old account alert is over.
  useEvent('sms.changed', (e) => {
    if (e.state === 'sent' && alert?.kind === 'account') {
      setAlert(null);
      load();
    }
  });

  const m = (n: number) => money(n, info, lang, true);
  const when = dateTimeFormat(lang);
  return (
    <div className="sms-status" data-testid="sms-status">
      <p className="sms-balance" data-testid="sms-balance" data-low={balance?.low ?? false}>
        {balance === null || balance.balance === null ? (
          t('loyalty.sms.status.notRead')
        ) : (
          <>
            {t('loyalty.sms.status.balance')} <strong data-testid="sms-balance-value">{m(balance.balance)}</strong>
            {balance.at !== null && <span className="muted"> · {t('loyalty.sms.status.at', { time: when.format(balance.at) })}</span>}
          </>
        )}
        {balance !== null && balance.threshold > 0 && <span className="muted"> · {t('loyalty.sms.status.threshold', { threshold: m(balance.threshold) })}</span>}
        <button type="button" className="small" data-testid="sms-balance-refresh" onClick={load}>
          {t('loyalty.sms.status.refresh')}
        </button>
      </p>
      {smsBanners(balance, alert).map((a) => (
        <p key={a.kind} className="notice alarm sms-alert" role="alert" data-testid="sms-alert" data-kind={a.kind} data-code={a.kind === 'account' ? a.code : undefined}>
          {a.kind === 'low_balance'
            ? t('loyalty.sms.alerts.low_balance', { balance: m(a.balance), threshold: m(a.threshold) })
            : t('loyalty.sms.alerts.account', { problem: t(`loyalty.sms.errorCodes.${a.code}`, { defaultValue: a.message }) })}
          {a.kind === 'account' && <span className="sms-alert-what"> {t(`loyalty.sms.alerts.fix.${a.code}`, { defaultValue: t('loyalty.sms.alerts.fix.other') })}</span>}
        </p>
      ))}
    </div>
  );
}
