import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmsLogItem, SmsPurpose, SmsState } from '../../../src-common/sms-schemas.js';
import { useSettledEvent } from '../../app/events.js';
import { dateTimeFormat } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { canRetry, LOG_KINDS, LOG_STATES, logParams, NO_FILTER, reloadLimit, type LogFilter } from './sms-view.js';

const PAGE = 50;
const LIVE_DEBOUNCE_MS = 250;

/**
 * Messages → Send log: every message with when, to whom (the phone masked), what kind and purpose,
 * where it is (queued … delivered, failed with the provider's reason, cancelled with why), and
 * its parts. Filtered by state, kind and purpose; older pages on request; a failed one can be sent
 * again. Follows `sms.changed` as the sender works.
 */
export function SmsLog(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const manage = useMyPermissions().includes('loyalty_manage');
  const [filter, setFilter] = useState<LogFilter>(NO_FILTER);
  const [items, setItems] = useState<SmsLogItem[] | null>(null);
  const [counts, setCounts] = useState<Partial<Record<SmsState, number>>>({});
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(0);
  const seq = useRef(0);

  const load = useCallback(
    (limit: number) => {
      const mine = ++seq.current;
      call('sms.log', logParams(filter, limit)).then(
        (r) => {
          if (mine !== seq.current) return;
          setItems(r.items);
          shown.current = r.items.length;
          setCounts(r.counts);
          setNextBefore(r.nextBefore);
          setError(null);
        },
        (e: unknown) => mine === seq.current && setError(errorText(e)),
      );
    },
    [filter],
  );
  useEffect(() => load(PAGE), [load]);

  useSettledEvent('sms.changed', () => load(reloadLimit(shown.current, PAGE)), LIVE_DEBOUNCE_MS);

  const more = () => {
    if (!nextBefore) return;
    const mine = ++seq.current;
    call('sms.log', logParams(filter, PAGE, nextBefore)).then(
      (r) => {
        if (mine !== seq.current) return;
        setItems((prev) => {
          const next = [...(prev ?? []), ...r.items];
          shown.current = next.length;
          return next;
        });
        setNextBefore(r.nextBefore);
      },
      (e: unknown) => mine === seq.current && setError(errorText(e)),
    );
  };

  const retry = async (id: string) => {
    try {
      await call('sms.retry', { id });
      showToast(t('loyalty.sms.log.retried'), 'info');
      load(reloadLimit(shown.current, PAGE));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const when = dateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' });
  const set = (patch: Partial<LogFilter>) => setFilter({ ...filter, ...patch });
  return (
    <section className="sms-log" data-testid="sms-log">
      <div className="admin-filters">
        <label className="row-inline">
          <span className="muted">{t('loyalty.sms.log.state')}</span>
          <select data-testid="sms-log-filter-state" value={filter.state} onChange={(e) => set({ state: e.target.value as LogFilter['state'] })}>
            <option value="">{t('loyalty.sms.log.all')}</option>
            {LOG_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`loyalty.sms.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="row-inline">
          <span className="muted">{t('loyalty.sms.log.kind')}</span>
          <select data-testid="sms-log-filter-kind" value={filter.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">{t('loyalty.sms.log.all')}</option>
            {LOG_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`loyalty.sms.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="row-inline">
          <span className="muted">{t('loyalty.sms.log.purpose')}</span>
          <select data-testid="sms-log-filter-purpose" value={filter.purpose} onChange={(e) => set({ purpose: e.target.value as SmsPurpose | '' })}>
            <option value="">{t('loyalty.sms.log.all')}</option>
            <option value="service">{t('loyalty.sms.purposeShort.service')}</option>
            <option value="advertising">{t('loyalty.sms.purposeShort.advertising')}</option>
          </select>
        </label>
        <span className="spacer" />
        <span className="sms-log-counts" data-testid="sms-log-counts">
          {LOG_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
            <button key={s} type="button" className={`small sms-state ${s}`} data-testid={`sms-log-count-${s}`} data-count={counts[s]} onClick={() => set({ state: filter.state === s ? '' : s })}>
              {t(`loyalty.sms.states.${s}`)}: {counts[s]}
            </button>
          ))}
        </span>
      </div>
      <FieldError text={error} testId="sms-log-error" />
      {items !== null && items.length === 0 && (
        <p className="muted" data-testid="sms-log-empty">
          {t('loyalty.sms.log.empty')}
        </p>
      )}
      {items !== null && items.length > 0 && (
        <table className="admin-table sms-log-table" data-testid="sms-log-table">
          <thead>
            <tr>
              <th>{t('admin.when')}</th>
              <th>{t('loyalty.sms.log.to')}</th>
              <th>{t('loyalty.sms.log.kind')}</th>
              <th>{t('loyalty.sms.log.purpose')}</th>
              <th>{t('loyalty.sms.log.state')}</th>
              <th className="num">{t('loyalty.sms.log.segments')}</th>
              <th>{t('loyalty.sms.log.text')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr
                key={m.id}
                className={m.state === 'failed' ? 'alarm' : m.state === 'cancelled' ? 'muted' : undefined}
                data-testid="sms-log-row"
                data-id={m.id}
                data-state={m.state}
                data-kind={m.kind}
                data-purpose={m.purpose}
                data-customer-id={m.customerId ?? ''}
              >
                <td data-testid="sms-log-time">{when.format(m.createdAt)}</td>
                <td>
                  <span data-testid="sms-log-phone">{m.phone ?? t('loyalty.sms.log.noPhone')}</span>
                  <br />
                  <small className="muted" data-testid="sms-log-customer">
                    {m.customerName ?? (m.customerId ? t('loyalty.noName') : '')}
                  </small>
                </td>
                <td data-testid="sms-log-kind">{t(`loyalty.sms.kinds.${m.kind}`, { defaultValue: m.kind })}</td>
                <td data-testid="sms-log-purpose">{t(`loyalty.sms.purposeShort.${m.purpose}`)}</td>
                <td>
                  <span className={`sms-state ${m.state}`} data-testid="sms-log-state">
                    {t(`loyalty.sms.states.${m.state}`)}
                  </span>
                  {m.errorCode && (
                    <small className="sms-log-error" data-testid="sms-log-error-code" data-code={m.errorCode} title={m.errorMessage ?? undefined}>
                      {t(`loyalty.sms.errorCodes.${m.errorCode}`, { defaultValue: m.errorMessage ?? m.errorCode })}
                    </small>
                  )}
                  {m.nextAttemptAt !== null && m.state === 'queued' && <small className="muted">{t('loyalty.sms.log.next', { time: when.format(m.nextAttemptAt) })}</small>}
                </td>
                <td className="num" data-testid="sms-log-segments">
                  {m.segments}
                </td>
                <td className="sms-log-text" data-testid="sms-log-text">
                  {m.text}
                </td>
                <td>
                  {manage && canRetry(m.state) && (
                    <button type="button" className="small" data-testid="sms-log-retry" onClick={() => void retry(m.id)}>
                      {t('loyalty.sms.log.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore && (
        <button type="button" data-testid="sms-log-more" onClick={more}>
          {t('loyalty.sms.log.more')}
        </button>
      )}
    </section>
  );
}
