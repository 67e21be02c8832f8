import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { dateTimeFormat } from '../../app/format.js';
import { call } from '../../app/rpc.js';
import type { Language } from '../../i18n/index.js';
import { syncBadge } from './sync-view.js';

const REFRESH_MS = 60_000;

/**
 * The head office link in the top bar, beside the fiscal badge: online or not, what waits to be
 * sent, when something last got through, and what needs a person. Kept current by `sync.state`
 * events; the full picture is in Admin → Head office.
 */
export function SyncBadge(props: { lang: Language }) {
  const { t } = useTranslation();
  const [s, setS] = useState<SyncStatusView | null>(null);
  const load = useCallback(() => {
    call('sync.status', {})
      .then(setS)
      .catch(() => {});
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEvent('sync.state', setS);
  if (!s) return null;
  const time = dateTimeFormat(props.lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const view = syncBadge(s, (at) => time.format(at));
  if (!view) return null;
  const text = view.notes.map((n) => t(`sync.${n.key}`, n.values ?? {})).join(' · ');
  const error = s.lastError ? t(`sync.problems.${s.lastError.code}`) : null;
  return (
    <span className={`fiscal-badge sync-badge ${view.tone}`} role="status" data-testid="sync-badge" data-state={view.tone} title={[s.storeName, error].filter(Boolean).join(' · ')}>
      {t('sync.badge.label')}: {text}
    </span>
  );
}
