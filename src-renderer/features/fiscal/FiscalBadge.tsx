import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalStatusView } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { call } from '../../app/rpc.js';

const REFRESH_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The registrar refuses receipts once its shift is 24 hours old (54-ФЗ): a fixed rule, not a setting. */
const REGISTRAR_SHIFT_MS = 24 * HOUR_MS;

/**
 * The compliance clock in the top bar, in fiscal mode only: what blocks receipts now, receipts not
 * yet registered, documents waiting for a person, and the deadlines the ФН enforces (the 24-hour
 * shift, days without the ОФД, the ФН's own expiry) once they are nearer than the owner's thresholds.
 * The full picture is in its tooltip.
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
  const clock: string[] = [];
  if (r?.shiftOpenedAt != null) {
    const left = r.shiftOpenedAt + REGISTRAR_SHIFT_MS - now;
    const text = t('fiscal.badge.shiftLeft', { hours: Math.max(0, Math.floor(left / HOUR_MS)), minutes: Math.max(0, Math.floor((left % HOUR_MS) / 60_000)) });
    clock.push(text);
    if (left <= s.warn.shiftMinutes * 60_000 && s.blocked !== 'shift_expired') notes.push(text);
  }
  if (r?.unsentOldestAt != null) {
    const days = Math.floor((now - r.unsentOldestAt) / DAY_MS);
    clock.push(t('fiscal.badge.ofd', { days }));
    if (days >= s.warn.ofdDays) notes.push(t('fiscal.badge.ofd', { days }));
  }
  if (r?.fnExpiresAt != null) {
    const days = Math.ceil((r.fnExpiresAt - now) / DAY_MS);
    clock.push(t('fiscal.badge.fnExpires', { days: Math.max(0, days) }));
    if (days <= s.warn.fnDays) notes.push(t('fiscal.badge.fnExpires', { days: Math.max(0, days) }));
  }
  const bad = s.blocked !== null || s.attention.length > 0;
  return (
    <span
      className={bad ? 'fiscal-badge bad' : notes.length > 0 ? 'fiscal-badge warn' : 'fiscal-badge ok'}
      data-testid="fiscal-badge"
      data-state={bad ? 'bad' : notes.length > 0 ? 'warn' : 'ok'}
      title={clock.join(' · ')}
    >
      {t('fiscal.badge.label')}
      {notes.length > 0 ? `: ${notes.join(' · ')}` : ' ✓'}
    </span>
  );
}
