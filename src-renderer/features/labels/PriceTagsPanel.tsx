import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TAG_COPIES, type LabelJobView, type PendingPriceChange } from '../../../src-common/rpc/label-schemas.js';
import { useEvent } from '../../app/events.js';
import { dateTimeFormat, money } from '../../app/format.js';
import { attempt, call, errorText } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';

/** How often the lists are read again while the panel is open (jobs also announce themselves: labels.changed). */
const POLL_MS = 3_000;
const JOBS_SHOWN = 10;

/** A job still on its way to paper: its price changes cannot be queued again meanwhile. */
const isOpen = (state: string): boolean => state === 'queued' || state === 'printing' || state === 'waiting';

/** Copies as typed: a whole number from 1 to MAX_TAG_COPIES, else null. */
function parseCopies(text: string): number | null {
  const n = /^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  return n >= 1 && n <= MAX_TAG_COPIES ? n : null;
}

/**
 * Price tags to print: the retail prices changed (by a delivery) whose tags are not on the shelf
 * yet, each with a checkbox and its copies, "print selected", and the print jobs with where each
 * is (queued, waiting for the printer and why, printed). New rows come ticked. For the stock screen.
 */
export function PriceTagsPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const [pending, setPending] = useState<PendingPriceChange[] | null>(null);
  const [jobs, setJobs] = useState<LabelJobView[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [copies, setCopies] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seen = useRef(new Set<number>());
  const loads = useRef(0);

  const load = useCallback(async () => {
    const seq = ++loads.current;
    try {
      const [rows, recent] = await Promise.all([call('labels.pending', {}), call('labels.jobs', { limit: JOBS_SHOWN })]);
      if (seq !== loads.current) return;
      const fresh = rows.filter((r) => !seen.current.has(r.id));
      for (const r of fresh) seen.current.add(r.id);
      const live = new Set(rows.map((r) => r.id));
      setSelected((prev) => {
        const next = new Set([...prev].filter((id) => live.has(id)));
        for (const r of fresh) if (!r.job || !isOpen(r.job.state)) next.add(r.id);
        return next;
      });
      setPending(rows);
      setJobs(recent);
      setError(null);
    } catch (e) {
      if (seq === loads.current) setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEvent('labels.changed', () => void load());

  const printable = (pending ?? []).filter((r) => !r.job || !isOpen(r.job.state));
  const chosen = printable.filter((r) => selected.has(r.id));
  const badCopies = chosen.some((r) => parseCopies(copies[r.id] ?? '1') === null);
  const allChosen = printable.length > 0 && chosen.length === printable.length;

  const toggle = (id: number, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const print = async () => {
    if (chosen.length === 0 || badCopies) return;
    setBusy(true);
    try {
      const job = await attempt('labels.print', { priceChanges: chosen.map((r) => ({ id: r.id, copies: parseCopies(copies[r.id] ?? '1') ?? 1 })) });
      if (job) {
        const printer = job.deviceName ?? job.deviceId;
        showToast(t(job.via === 'label' ? 'labels.queued' : 'labels.queuedOnReceipt', { labels: job.labels, printer }), 'info');
        setSelected((prev) => new Set([...prev].filter((id) => !job.priceChangeIds.includes(id))));
      }
      await load();
    } finally {
      setBusy(false);
    }
  };

  const stateText = (state: LabelJobView['state'], why: string | null): string => {
    const s = t(`labels.state.${state}`);
    return why && (state === 'waiting' || state === 'failed') ? t('labels.stateWhy', { state: s, why }) : s;
  };
  const when = dateTimeFormat(lang);
  const price = (amount: number) => money(amount, info, lang, true);

  return (
    <div className="admin-panel" data-testid="price-tags-panel">
      <h3>{t('labels.pendingTitle')}</h3>
      <FieldError text={error} testId="price-tags-error" />
      {pending === null && !error && <p className="muted">{t('labels.loading')}</p>}
      {pending !== null && pending.length === 0 && (
        <p className="muted" data-testid="price-tags-empty">
          {t('labels.none')}
        </p>
      )}
      {pending !== null && pending.length > 0 && (
        <>
          <table className="admin-table" data-testid="price-tags-pending">
            <thead>
              <tr>
                <th>
                  <label className="check">
                    <input
                      type="checkbox"
                      data-testid="price-tags-select-all"
                      checked={allChosen}
                      disabled={printable.length === 0}
                      onChange={(e) => setSelected(e.target.checked ? new Set(printable.map((r) => r.id)) : new Set())}
                    />{' '}
                    {t('labels.selectAll')}
                  </label>
                </th>
                <th>{t('labels.product')}</th>
                <th className="num">{t('labels.oldPrice')}</th>
                <th className="num">{t('labels.newPrice')}</th>
                <th>{t('labels.changed')}</th>
                <th>{t('labels.source')}</th>
                <th className="num">{t('labels.copies')}</th>
                <th>{t('labels.printing')}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((r) => {
                const open = r.job !== null && isOpen(r.job.state);
                const typed = copies[r.id] ?? '1';
                return (
                  <tr key={r.id} data-testid={`price-tag-row-${r.id}`} data-product={r.productId} data-state={r.job?.state ?? 'new'} className={open ? 'muted' : ''}>
                    <td>
                      <input
                        type="checkbox"
                        data-testid={`price-tag-check-${r.id}`}
                        aria-label={t('labels.select', { name: r.name })}
                        checked={!open && selected.has(r.id)}
                        disabled={open}
                        onChange={(e) => toggle(r.id, e.target.checked)}
                      />
                    </td>
                    <td>
                      {r.name}
                      {r.barcode && <div className="muted">{r.barcode}</div>}
                    </td>
                    <td className="num">
                      <s>{price(r.oldPrice)}</s>
                    </td>
                    <td className="num">
                      <strong>{price(r.newPrice)}</strong>
                      {r.price !== r.newPrice && <div className="muted">{t('labels.priceNow', { price: price(r.price) })}</div>}
                    </td>
                    <td>{when.format(r.at)}</td>
                    <td>
                      {r.source ? t(`labels.sources.${r.source.kind}`, { number: r.source.number }) : t('labels.sourceNone')}
                      {r.by && <div className="muted">{r.by}</div>}
                    </td>
                    <td className="num">
                      <input
                        className="stock-cell"
                        data-testid={`price-tag-copies-${r.id}`}
                        inputMode="numeric"
                        size={3}
                        maxLength={2}
                        value={typed}
                        disabled={open}
                        aria-invalid={parseCopies(typed) === null}
                        onChange={(e) => setCopies((prev) => ({ ...prev, [r.id]: e.target.value }))}
                      />
                    </td>
                    <td data-testid={`price-tag-state-${r.id}`}>{r.job ? stateText(r.job.state, r.job.lastError) : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="actions">
            <button className="primary" data-testid="price-tags-print" disabled={busy || chosen.length === 0 || badCopies} onClick={() => void print()}>
              {busy ? t('labels.sending') : t('labels.printSelected', { count: chosen.length })}
            </button>
          </div>
        </>
      )}
      <h3>{t('labels.jobsTitle')}</h3>
      {jobs.length === 0 ? (
        <p className="muted">{t('labels.jobsNone')}</p>
      ) : (
        <table className="admin-table" data-testid="price-tags-jobs">
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id} data-testid="price-tag-job" data-job-id={j.id} data-state={j.state} className={j.state === 'failed' ? 'alarm' : ''}>
                <td>{when.format(j.createdAt)}</td>
                <td>
                  {t(`labels.kinds.${j.kind}`)}: {j.names.join(', ')}
                  {j.tags > j.names.length ? ` ${t('labels.jobMore', { count: j.tags - j.names.length })}` : ''}
                  <div className="muted">{t('labels.jobSize', { tags: j.tags, labels: j.labels })}</div>
                </td>
                <td>
                  {j.deviceName ?? j.deviceId}
                  <div className="muted">{t(`labels.via.${j.via}`)}</div>
                </td>
                <td data-testid="price-tag-job-state">{stateText(j.state, j.lastError)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
