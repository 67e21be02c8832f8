import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { SmsSettingsView } from '../../../src-common/sms-schemas.js';
import { moneyInput } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast, useApp, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { parseWhole, percentInput } from './loyalty-format.js';
import type { Formats } from './programme-draft.js';
import { NEW_CAMPAIGN, saveErrorFields, smsFromDraft, toSmsDraft, type CampaignDraft, type SmsDraft } from './sms-draft.js';
import { sampleValues } from './sms-text.js';
import { SmsCampaign } from './SmsCampaign.js';
import { SmsEmulator } from './SmsEmulator.js';
import { SmsLog } from './SmsLog.js';
import { SmsSettingsForm, SmsTemplates } from './SmsSettingsForm.js';
import { SmsStatus } from './SmsStatus.js';

type Section = 'settings' | 'templates' | 'campaign' | 'log' | 'emulator';

/**
 * Admin → Loyalty → Messages: SMS to customers. The provider's balance and any alert on top; then
 * the settings, the templates of the messages the till sends by itself, a campaign written by
 * hand, the send log, and in the demo what the emulated provider received. Settings and templates
 * are one `sms.saveSettings`, checked here first by the backend's schema and template rules.
 */
export function MessagesPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const canManage = useMyPermissions().includes('loyalty_manage');
  const f: Formats = useMemo(() => ({ money: (n) => moneyInput(n, info, lang), percent: (bp) => percentInput(bp, lang), minorDigits: info?.minorDigits ?? 2 }), [info, lang]);
  const [saved, setSaved] = useState<SmsSettingsView | null>(null);
  const [draft, setDraft] = useState<SmsDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [section, setSection] = useState<Section>('settings');
  const [refreshKey, setRefreshKey] = useState(0);
  const [campaign, setCampaign] = useState<CampaignDraft>(NEW_CAMPAIGN);

  const load = useCallback(() => {
    call('sms.settings', {}).then(
      (v) => {
        setSaved(v);
        setDraft(toSmsDraft(v, f, lang));
        setErrors({});
        setFailure(null);
      },
      (e: unknown) => setFailure(errorText(e)),
    );
  }, [f, lang]);
  useEffect(load, [load]);

  if (!draft || !saved) {
    return (
      <section className="admin-panel" data-testid="loyalty-messages-loading">
        <FieldError text={failure} testId="sms-load-error" />
      </section>
    );
  }

  const sample = sampleValues(info?.storeName ?? '', draft.surveyUrl);
  const maxSegments = parseWhole(draft.maxSegments) ?? saved.maxSegments;
  const currency = info?.currency === 'RUB' || !info ? '₽' : info.currency;
  const sections: Section[] = ['settings', 'templates', 'campaign', 'log', ...(saved.provider === 'emulator' ? (['emulator'] as const) : [])];
  const change = (patch: Partial<SmsDraft>) => setDraft({ ...draft, ...patch });

  const save = async () => {
    const r = smsFromDraft(draft, f, t, sample);
    if ('errors' in r) {
      setErrors(r.errors);
      setFailure(t('loyalty.form.fix'));
      const first = Object.keys(r.errors)[0] ?? '';
      setSection(first.startsWith('templates.') ? 'templates' : 'settings');
      return;
    }
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      await call('sms.saveSettings', { settings: r.settings });
      showToast(t('loyalty.sms.settings.saved'), 'info');
      load();
      setRefreshKey((k) => k + 1);
    } catch (e) {
      const fields = e instanceof RpcError ? saveErrorFields(e.code, e.details ?? {}, t) : null;
      if (fields) {
        setErrors(fields);
        setFailure(t('loyalty.form.fix'));
        setSection(Object.keys(fields)[0]?.startsWith('templates.') ? 'templates' : 'settings');
      } else setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const editing = section === 'settings' || section === 'templates';
  return (
    <section className="admin-panel loyalty-messages" data-testid="loyalty-messages" data-enabled={saved.enabled} data-provider={saved.provider}>
      <SmsStatus lang={lang} refreshKey={refreshKey} />
      {!saved.enabled && (
        <p className="notice alarm" data-testid="sms-off">
          {t('loyalty.sms.off')}
        </p>
      )}
      <div className="segmented sms-sections" role="tablist">
        {sections.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={section === s} className={section === s ? 'on' : ''} data-testid={`sms-section-${s}`} onClick={() => setSection(s)}>
            {t(`loyalty.sms.sections.${s}`)}
          </button>
        ))}
      </div>
      {editing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset className="sms-form" disabled={!canManage}>
            {section === 'settings' ? (
              <SmsSettingsForm draft={draft} errors={errors} currency={currency} onChange={change} />
            ) : (
              <SmsTemplates draft={draft} errors={errors} currency={currency} onChange={change} sample={sample} maxSegments={maxSegments} />
            )}
          </fieldset>
          <FieldError text={failure} testId="sms-settings-error" />
          {canManage && (
            <div className="dialog-actions">
              <button type="button" data-testid="sms-reset" onClick={load}>
                {t('loyalty.programme.reset')}
              </button>
              <button type="submit" className="primary" data-testid="sms-save" disabled={busy}>
                {t('admin.save')}
              </button>
            </div>
          )}
        </form>
      )}
      {section === 'campaign' && <SmsCampaign draft={campaign} onChange={setCampaign} sample={sample} maxSegments={saved.maxSegments} enabled={saved.enabled} onSent={() => setSection('log')} />}
      {section === 'log' && <SmsLog lang={lang} />}
      {section === 'emulator' && saved.provider === 'emulator' && <SmsEmulator />}
    </section>
  );
}
