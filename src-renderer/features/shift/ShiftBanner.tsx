import { useTranslation } from 'react-i18next';
import { dateTimeFormat } from '../../app/format.js';
import { useApp } from '../../app/store.js';
import { useNow } from '../../app/time.js';
import type { Language } from '../../i18n/index.js';

/** The shift's age limit: a warning from warnAt, and after expiresAt the news that selling has stopped. */
export function ShiftBanner(props: { lang: Language }) {
  const { t } = useTranslation();
  const shift = useApp((s) => s.shift);
  const now = useNow(15_000);
  if (!shift || now < shift.warnAt) return null;
  const expired = now >= shift.expiresAt;
  const time = dateTimeFormat(props.lang).format(shift.expiresAt);
  const hours = Math.round((shift.expiresAt - shift.openedAt) / 3_600_000);
  return (
    <div className={expired ? 'shift-banner expired' : 'shift-banner'} role="alert" data-testid="shift-banner" data-state={expired ? 'expired' : 'warn'}>
      <span className="grow">{expired ? t('shift.expired', { number: shift.number, hours }) : t('shift.warn', { number: shift.number, time })}</span>
      <button className={expired ? 'primary' : undefined} data-testid="shift-banner-close" onMouseDown={(e) => e.preventDefault()} onClick={() => useApp.setState({ dialog: 'closeShift' })}>
        {t('shift.close')}
      </button>
    </div>
  );
}
