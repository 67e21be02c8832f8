import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { FiscalAlarm } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { dateTimeFormat, money } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';

type Action = 'correction' | 'dismiss';

interface Form {
  alarm: FiscalAlarm;
  action: Action;
  correctionType: 'self' | 'instruction';
  baseNumber: string;
  note: string;
}

/**
 * What the registrar did not take and what to do about it, for the owner: a receipt never registered
 * is registered by a correction receipt (dated by the sale); an alarm settled outside the till (the
 * receipt found in the registrar's archive, a Z difference explained) is marked checked with a note
 * for the audit log. The backend decides what each alarm allows.
 */
export function FiscalAlarmsPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [alarms, setAlarms] = useState<FiscalAlarm[] | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<{ baseNumber?: string; note?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    call('fiscal.alarms', {}).then(setAlarms, (e: unknown) => setErrors({ form: errorText(e) }));
  }, []);
  useEffect(load, [load]);
  useEvent('fiscal.changed', load);

  const open = (alarm: FiscalAlarm, action: Action) => {
    setErrors({});
    setForm({ alarm, action, correctionType: 'self', baseNumber: '', note: '' });
  };

  const submit = async () => {
    if (!form) return;
    const note = form.note.trim();
    const baseNumber = form.baseNumber.trim();
    if (form.action === 'dismiss' && note.length < 3) return setErrors({ note: t('fiscal.alarms.noteRequired') });
    if (form.action === 'correction' && form.correctionType === 'instruction' && baseNumber === '') {
      return setErrors({ baseNumber: t('fiscal.alarms.baseNumberRequired') });
    }
    setBusy(true);
    setErrors({});
    try {
      await call('fiscal.resolve', { journalId: form.alarm.id, action: form.action, correctionType: form.correctionType, baseNumber, note });
      showToast(t(form.action === 'correction' ? 'fiscal.alarms.corrected' : 'fiscal.alarms.dismissed'), 'info');
      setForm(null);
      load();
    } catch (e) {
      const d = e instanceof RpcError ? (e.details ?? {}) : {};
      if (d.field === 'baseNumber') setErrors({ baseNumber: t('fiscal.alarms.baseNumberRequired') });
      else if (d.field === 'note') setErrors({ note: t('fiscal.alarms.noteRequired') });
      else setErrors({ form: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const time = dateTimeFormat(props.lang);
  const what = (a: FiscalAlarm) =>
    a.kind && a.receiptNumber !== null && a.total !== null
      ? `${t(`fiscal.alarms.ops.${a.op}`)}: ${t('fiscal.alarms.receipt', { kind: t(`fiscal.alarms.kinds.${a.kind}`), number: a.receiptNumber, total: money(a.total, info, props.lang, true) })}`
      : t(`fiscal.alarms.ops.${a.op}`);

  return (
    <section className="admin-panel fiscal-alarms" data-testid="fiscal-alarms">
      <h3>{t('fiscal.alarms.title')}</h3>
      {alarms?.length === 0 && <p className="muted">{t('fiscal.alarms.none')}</p>}
      <ul className="alarm-list">
        {alarms?.map((a) => (
          <li key={a.id} data-testid="fiscal-alarm" data-op={a.op} data-state={a.state}>
            <div>
              <strong>{what(a)}</strong> <span className="muted">{time.format(a.at)}</span>
            </div>
            <div className="fiscal-problem">{a.errorCode ? t(`fiscal.error.${a.errorCode}`, { defaultValue: a.error ?? '' }) : a.error}</div>
            <div className="actions">
              {a.correctable && (
                <button data-testid="fiscal-alarm-correct" onClick={() => open(a, 'correction')}>
                  {t('fiscal.alarms.correct')}
                </button>
              )}
              {a.dismissable && (
                <button data-testid="fiscal-alarm-dismiss" onClick={() => open(a, 'dismiss')}>
                  {t('fiscal.alarms.dismiss')}
                </button>
              )}
            </div>
            {form?.alarm.id === a.id && (
              <div className="alarm-form" data-testid="fiscal-alarm-form">
                {form.action === 'correction' && (
                  <>
                    <p className="muted">{t('fiscal.alarms.correctHint')}</p>
                    <label className="field">
                      <span>{t('fiscal.alarms.correctionType')}</span>
                      <select
                        data-testid="fiscal-correction-type"
                        value={form.correctionType}
                        onChange={(e) => setForm({ ...form, correctionType: e.target.value as Form['correctionType'] })}
                      >
                        <option value="self">{t('fiscal.alarms.types.self')}</option>
                        <option value="instruction">{t('fiscal.alarms.types.instruction')}</option>
                      </select>
                    </label>
                    {form.correctionType === 'instruction' && (
                      <label className="field">
                        <span>{t('fiscal.alarms.baseNumber')}</span>
                        <input data-testid="fiscal-correction-number" maxLength={32} value={form.baseNumber} onChange={(e) => setForm({ ...form, baseNumber: e.target.value })} />
                        <FieldError text={errors.baseNumber ?? null} testId="fiscal-correction-number-error" />
                      </label>
                    )}
                  </>
                )}
                <label className="field">
                  <span>{t('fiscal.alarms.note')}</span>
                  <input data-testid="fiscal-alarm-note" maxLength={500} value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
                  <FieldError text={errors.note ?? null} testId="fiscal-alarm-note-error" />
                </label>
                <div className="actions">
                  <button className="primary" disabled={busy} data-testid="fiscal-alarm-submit" onClick={() => void submit()}>
                    {t(form.action === 'correction' ? 'fiscal.alarms.submitCorrection' : 'fiscal.alarms.submitDismiss')}
                  </button>
                  <button onClick={() => setForm(null)}>{t('admin.cancel')}</button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      <FieldError text={errors.form ?? null} testId="fiscal-alarms-error" />
    </section>
  );
}
