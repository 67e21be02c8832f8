import { useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { call, errorText } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import { Dialog } from '../../ui/Dialog.js';
import { FieldError } from '../../ui/FieldError.js';
import { useHoldEscape } from './loyalty-ui.js';
import { audienceFromDraft, NEW_CAMPAIGN, type AudienceDraft, type CampaignDraft } from './sms-draft.js';
import { campaignKey, refusedList } from './sms-view.js';
import { SmsTextEditor } from './SmsTextEditor.js';

/**
 * Messages → Campaign: a name, the text (counted live like a template), who gets it (always only
 * customers who agreed to advertising), then "Preview" — how many and the first of them, phones
 * masked, nothing sent — and only then "Send", behind a dialog that repeats the count. A change of
 * text or audience after the preview asks for a new one.
 */
export function SmsCampaign(props: {
  draft: CampaignDraft;
  onChange: Dispatch<SetStateAction<CampaignDraft>>;
  sample: Readonly<Record<string, string>>;
  maxSegments: number;
  enabled: boolean;
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const currency = info?.currency === 'RUB' || !info ? '₽' : info.currency;
  const { name, text, audience, preview } = props.draft;
  // Functional: a preview answer arriving after more typing must not undo the typing.
  const change = (patch: Partial<CampaignDraft>) => props.onChange((d) => ({ ...d, ...patch }));
  const setName = (v: string) => change({ name: v });
  const setText = (v: string) => change({ text: v });
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useHoldEscape(confirming);

  const parsed = audienceFromDraft(audience, info?.minorDigits ?? 2);
  const key = parsed ? campaignKey(name, text, parsed) : null;
  const fresh = preview !== null && preview.key === key;
  const setA = (patch: Partial<AudienceDraft>) => props.onChange((d) => ({ ...d, audience: { ...d.audience, ...patch } }));

  const ask = async () => {
    if (!parsed || key === null) return setError(t('loyalty.form.money'));
    setBusy(true);
    setError(null);
    try {
      const result = await call('sms.campaignPreview', { audience: parsed, ...(text.trim() !== '' ? { text } : {}) });
      change({ preview: { key, result } });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    if (!parsed) return;
    setBusy(true);
    try {
      const sent = await call('sms.campaignSend', { name: name.trim(), text: text.trim(), audience: parsed });
      setConfirming(false);
      const refused = refusedList(sent.refused, (reason, n) => t('loyalty.sms.campaign.refusedOne', { reason: t(`loyalty.sms.refusals.${reason}`, { defaultValue: reason }), n }));
      showToast(t('loyalty.sms.campaign.sent', { name: name.trim(), count: sent.recipients }) + (refused ? ` ${t('loyalty.sms.campaign.refused', { list: refused })}` : ''), 'info');
      props.onChange(NEW_CAMPAIGN);
      props.onSent();
    } catch (e) {
      setConfirming(false);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const p = fresh ? preview.result : null;
  const canSend = p !== null && p.count > 0 && name.trim() !== '' && text.trim() !== '' && (p.preview?.fits ?? false) && props.enabled;
  return (
    <section className="sms-campaign" data-testid="sms-campaign-form">
      {!props.enabled && <p className="notice alarm">{t('loyalty.sms.campaign.disabled')}</p>}
      <label className="programme-field">
        <span>{t('loyalty.sms.campaign.name')}</span>
        <input className="wide" data-testid="sms-campaign-name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <SmsTextEditor kind="campaign" label={t('loyalty.sms.campaign.text')} value={text} onChange={setText} sample={props.sample} maxSegments={props.maxSegments} testId="sms-campaign" />
      <fieldset className="programme-group sms-audience" data-testid="sms-campaign-audience">
        <legend>{t('loyalty.sms.campaign.audience')}</legend>
        <p className="muted">{t('loyalty.sms.campaign.audienceAll')}</p>
        <label className="checkbox-line">
          <input type="checkbox" data-testid="sms-campaign-lapsed" checked={audience.lapsed} onChange={(e) => setA({ lapsed: e.target.checked })} />
          {t('loyalty.sms.campaign.lapsed')}
        </label>
        <label className="checkbox-line">
          <input type="checkbox" data-testid="sms-campaign-birthday" checked={audience.birthdayThisMonth} onChange={(e) => setA({ birthdayThisMonth: e.target.checked })} />
          {t('loyalty.sms.campaign.birthdayThisMonth')}
        </label>
        <label className="programme-field">
          <span>{t('loyalty.sms.campaign.minSpend')}</span>
          <span className="row-inline">
            <input className={parsed ? undefined : 'invalid'} inputMode="decimal" data-testid="sms-campaign-min-spend" placeholder="0" value={audience.minSpend} onChange={(e) => setA({ minSpend: e.target.value })} />
            <span className="muted unit-label">{currency}</span>
          </span>
        </label>
      </fieldset>
      <div className="dialog-actions">
        <FieldError text={error} testId="sms-campaign-error" />
        <button type="button" data-testid="sms-campaign-preview-button" disabled={busy || !parsed} onClick={() => void ask()}>
          {t('loyalty.sms.campaign.preview')}
        </button>
        <button type="button" className="primary" data-testid="sms-campaign-send" disabled={busy || !canSend} onClick={() => setConfirming(true)}>
          {t('loyalty.sms.campaign.send')}
        </button>
      </div>
      {preview && !fresh && (
        <p className="muted" data-testid="sms-campaign-stale">
          {t('loyalty.sms.campaign.stale')}
        </p>
      )}
      {p && (
        <div className="sms-campaign-result" data-testid="sms-campaign-result" data-count={p.count}>
          <p>
            <strong data-testid="sms-campaign-count">{t('loyalty.sms.campaign.count', { count: p.count })}</strong> · <span className="muted">{t('loyalty.sms.campaign.nothingSent')}</span>
          </p>
          {p.preview && (
            <p className="sms-bubble" data-testid="sms-campaign-rendered">
              {p.preview.text}
            </p>
          )}
          {p.sample.length > 0 && (
            <table className="admin-table" data-testid="sms-campaign-recipients">
              <thead>
                <tr>
                  <th>{t('loyalty.name')}</th>
                  <th>{t('loyalty.phone')}</th>
                </tr>
              </thead>
              <tbody>
                {p.sample.map((r) => (
                  <tr key={r.customerId} data-testid="sms-campaign-recipient" data-customer-id={r.customerId}>
                    <td>{r.name ?? t('loyalty.noName')}</td>
                    <td data-testid="sms-campaign-recipient-phone">{r.phone}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {p.count > p.sample.length && <p className="muted">{t('loyalty.sms.campaign.andMore', { count: p.count - p.sample.length })}</p>}
        </div>
      )}
      {confirming && p && (
        <Dialog title={t('loyalty.sms.campaign.confirmTitle')} onClose={() => setConfirming(false)} testId="sms-campaign-confirm-dialog">
          <p data-testid="sms-campaign-confirm-count">{t('loyalty.sms.campaign.confirmText', { count: p.count, name: name.trim() })}</p>
          {p.preview && <p className="sms-bubble">{p.preview.text}</p>}
          <p className="muted">{t('loyalty.sms.campaign.confirmNote')}</p>
          <div className="dialog-actions">
            <button type="button" data-testid="sms-campaign-confirm-cancel" autoFocus onClick={() => setConfirming(false)}>
              {t('admin.cancel')} <kbd>Esc</kbd>
            </button>
            <button type="button" className="primary" data-testid="sms-campaign-confirm" disabled={busy} onClick={() => void send()}>
              {t('loyalty.sms.campaign.confirmSend', { count: p.count })}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
