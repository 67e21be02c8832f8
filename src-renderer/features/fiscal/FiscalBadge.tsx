import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalStatusView } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { call } from '../../app/rpc.js';

const REFRESH_MS = 60_000;
const DAY_MS = 86_400_000;
/** Warn this many days before the ФН blocks for want of ОФД receipts (it blocks at 30), and before it expires. */
const OFD_WARN_DAYS = 25;
const FN_WARN_DAYS = 30;

/**
 * The compliance clock in the top bar, in fiscal mode only: what blocks receipts now, receipts not
 * yet registered, documents waiting for a person, and the deadlines the ФН enforces (days without
 * the ОФД, the ФН's own expiry) once they are near.
 */
export function FiscalBadge() {
  const { t } = useTranslation();
  const [s, setS] = useState<FiscalStatusView | null>(null);
  const load = useCallback(() => {
    call('fiscal.status', {})
      .then(setS)
      .catch(() => {});
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEvent('fiscal.changed', load);
  if (!s || s.mode === 'none') return null;

  const now = Date.now();
  const notes: string[] = [];
  if (s.blocked) notes.push(t(`fiscal.blocked.${s.blocked}`));
  if (s.attention.length > 0) notes.push(t('fiscal.badge.attention', { count: s.attention.length }));
  if (s.pending > 0) notes.push(t('fiscal.badge.pending', { count: s.pending }));
  const r = s.registrar;
  if (r?.unsentOldestAt != null) {
    const days = Math.floor((now - r.unsentOldestAt) / DAY_MS);
    if (days >= OFD_WARN_DAYS) notes.push(t('fiscal.badge.ofd', { days }));
  }
  if (r?.fnExpiresAt != null) {
    const days = Math.ceil((r.fnExpiresAt - now) / DAY_MS);
    if (days <= FN_WARN_DAYS) notes.push(t('fiscal.badge.fnExpires', { days: Math.max(0, days) }));
  }
  const bad = s.blocked !== null || s.attention.length > 0;
  return (
    <span className={bad ? 'fiscal-badge bad' : notes.length > 0 ? 'fiscal-badge warn' : 'fiscal-badge ok'} data-testid="fiscal-badge" data-state={bad ? 'bad' : notes.length > 0 ? 'warn' : 'ok'}>
      {t('fiscal.badge.label')}
      {notes.length > 0 ? `: ${notes.join(' · ')}` : ' ✓'}
    </span>
  );
}
