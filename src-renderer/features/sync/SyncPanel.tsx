import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { SyncProblem, SyncStatusView } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { dateTimeFormat } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { CLOCK_WARN_MS } from './sync-view.js';

interface Errors {
  url?: string;
  code?: string;
  form?: string;
}

/**
 * Admin → Head office: connect this till with the server address and the one-time code the head
 * office gave, and everything about the link afterwards — what waits to be sent per channel, when
 * something last got through, the last error, the clock difference, conflicts — with "sync now".
 * The enrollment runs in the background: the screen follows it through `sync.state`.
 */
export function SyncPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const [s, setS] = useState<SyncStatusView | null>(null);
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [form, setForm] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    call('sync.status', {}).then(
      (v) => {
        setS(v);
        setUrl((u) => u || (v.enrollment.url ?? v.serverUrl ?? ''));
      },
      (e: unknown) => setErrors({ form: errorText(e) }),
    );
  }, []);
  useEffect(load, [load]);
  useEvent('sync.state', (v) => {
    // Enrolled just now: the form has done its job.
    if (v.enrolled && s?.enrollment.state === 'pending' && v.enrollment.state === 'idle') {
      setForm(false);
      setCode('');
    }
    setS(v);
  });

  const problem = (p: SyncProblem) => t(`sync.problems.${p.code}`);
  const when = dateTimeFormat(props.lang, { dateStyle: 'short', timeStyle: 'medium' });
  const at = (v: number | null) => (v === null ? t('sync.panel.never') : when.format(v));

  const enroll = async () => {
    const u = url.trim();
    const c = code.trim();
    if (!/^https?:\/\/\S+/i.test(u)) return setErrors({ url: t('sync.panel.urlInvalid') });
    if (c.replace(/[\s-]/g, '').length !== 12) return setErrors({ code: t('sync.panel.codeFormat') });
    setBusy(true);
    setErrors({});
    try {
      await call('sync.enroll', { url: u, code: c });
      load();
    } catch (e) {
      const d = e instanceof RpcError ? (e.details ?? {}) : {};
      if (d.reason === 'tls_required') setErrors({ url: t('sync.panel.tlsRequired') });
      else if (d.reason === 'url_invalid') setErrors({ url: t('sync.panel.urlInvalid') });
      else if (d.reason === 'code_format') setErrors({ code: t('sync.panel.codeFormat') });
      else setErrors({ form: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const syncNow = async () => {
    try {
      await call('sync.now', {});
      showToast(t('sync.panel.nowStarted'), 'info');
    } catch (e) {
      setErrors({ form: errorText(e) });
    }
  };

  if (!s) return <section className="admin-panel">{errors.form && <FieldError text={errors.form} testId="sync-error" />}</section>;
  const pending = s.enrollment.state === 'pending';
  const showForm = !s.enrolled || form || pending;
  const offsetS = s.clockOffsetMs === null ? null : Math.round(s.clockOffsetMs / 1000);

  return (
    <section className="admin-panel sync-panel" data-testid="sync-panel">
      {s.halted && (
        <div className="notice alarm" role="alert" data-testid="sync-halted" data-reason={s.halted}>
          {t(`sync.panel.halted.${s.halted}`)}
        </div>
      )}
      {!s.enrolled && !pending && <p className="muted">{t('sync.panel.notEnrolled')}</p>}
      {s.enrolled && !pending && <div className="notice ok">{t('sync.panel.enrolled')}</div>}
      {showForm && (
        <form
          className="sync-enroll"
          data-testid="sync-enroll"
          onSubmit={(e) => {
            e.preventDefault();
            void enroll();
          }}
        >
          <label className="field">
            <span>{t('sync.panel.serverUrl')}</span>
            <input data-testid="sync-url" inputMode="url" placeholder="https://office.example.com" value={url} disabled={pending} onChange={(e) => setUrl(e.target.value)} />
            <FieldError text={errors.url ?? null} testId="sync-url-error" />
          </label>
          <label className="field">
            <span>{t('sync.panel.code')}</span>
            <input
              data-testid="sync-code"
              autoComplete="off"
              spellCheck={false}
              placeholder="XXXX-XXXX-XXXX"
              value={code}
              disabled={pending}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
            />
            <small className="muted">{t('sync.panel.codeHint')}</small>
            <FieldError text={errors.code ?? null} testId="sync-code-error" />
          </label>
          <div className="actions">
            <button type="submit" className="primary" data-testid="sync-enroll-submit" disabled={busy || pending}>
              {s.enrolled ? t('sync.panel.reenroll') : t('sync.panel.enroll')}
            </button>
            {s.enrolled && !pending && (
              <button type="button" onClick={() => setForm(false)}>
                {t('admin.cancel')}
              </button>
            )}
          </div>
          {pending && (
            <p role="status" data-testid="sync-enrolling">
              {t('sync.panel.enrolling', { url: s.enrollment.url ?? '' })}
            </p>
          )}
          {s.enrollment.state === 'failed' && s.enrollment.error && (
            <FieldError text={t('sync.panel.enrollFailed', { reason: problem(s.enrollment.error) })} testId="sync-enroll-failed" />
          )}
        </form>
      )}
      <FieldError text={errors.form ?? null} testId="sync-error" />
      <table className="sync-queue" data-testid="sync-queue">
        <caption>{t('sync.panel.queued')}</caption>
        <tbody>
          {s.queued.channels.map((c) => (
            <tr key={c.channel}>
              <th scope="row">{t(`sync.panel.channels.${c.channel}`)}</th>
              <td data-testid={`sync-queued-${c.channel}`}>{c.queued}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('sync.panel.total')}</th>
            <td data-testid="sync-queued-total">{s.queued.total}</td>
          </tr>
        </tbody>
      </table>
      {s.enrolled && (
        <>
          <dl className="sync-facts" data-testid="sync-facts">
            <dt>{t('sync.panel.server')}</dt>
            <dd>{s.serverUrl}</dd>
            <dt>{t('sync.panel.store')}</dt>
            <dd data-testid="sync-store">{s.storeName}</dd>
            <dt>{t('sync.panel.till')}</dt>
            <dd>{s.tillName}</dd>
            <dt>{t('sync.panel.enrolledAt')}</dt>
            <dd>{at(s.enrolledAt)}</dd>
            <dt>{t('sync.panel.connection')}</dt>
            <dd data-testid="sync-connection" data-state={s.connection}>
              {t(`sync.panel.connections.${s.connection}`)}
            </dd>
            <dt>{t('sync.panel.lastSuccess')}</dt>
            <dd>{at(s.lastSuccessAt)}</dd>
            <dt>{t('sync.panel.lastAttempt')}</dt>
            <dd>{at(s.lastAttemptAt)}</dd>
            {s.lastError && (
              <>
                <dt>{t('sync.panel.lastError')}</dt>
                <dd className="sync-error" data-testid="sync-last-error" data-code={s.lastError.code}>
                  {problem(s.lastError)} <span className="muted">({s.lastError.message}, {at(s.lastError.at)})</span>
                </dd>
              </>
            )}
            {s.nextAttemptAt !== null && (
              <>
                <dt>{t('sync.panel.nextAttempt')}</dt>
                <dd>{at(s.nextAttemptAt)}</dd>
              </>
            )}
            {offsetS !== null && (
              <>
                <dt>{t('sync.panel.clockOffset')}</dt>
                <dd>
                  {t('sync.panel.clockOffsetValue', { seconds: offsetS > 0 ? `+${offsetS}` : String(offsetS) })}
                  {Math.abs(s.clockOffsetMs ?? 0) > CLOCK_WARN_MS && <div className="field-error">{t('sync.panel.clockWarning')}</div>}
                </dd>
              </>
            )}
            <dt>{t('sync.panel.epoch')}</dt>
            <dd>{s.epoch}</dd>
            <dt>{t('sync.panel.conflicts')}</dt>
            <dd data-testid="sync-conflicts">
              {s.conflicts}
              {s.conflicts > 0 && <div className="field-error">{t('sync.panel.conflictsHint', { count: s.conflicts })}</div>}
            </dd>
            {s.managedSettings.length > 0 && (
              <>
                <dt>{t('sync.panel.managedSettings')}</dt>
                <dd data-testid="sync-managed">{s.managedSettings.map((k) => t(`sync.settingNames.${k}`, { defaultValue: k })).join(', ')}</dd>
              </>
            )}
          </dl>
          <div className="actions">
            <button className="primary" data-testid="sync-now" onClick={() => void syncNow()}>
              {t('sync.panel.now')}
            </button>
            {!form && !pending && (
              <button data-testid="sync-reenroll" onClick={() => setForm(true)}>
                {t('sync.panel.reenroll')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
