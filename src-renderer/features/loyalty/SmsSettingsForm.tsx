import { useTranslation } from 'react-i18next';
import { SMS_TRIGGER_KINDS } from '../../../src-common/sms-schemas.js';
import { FieldError } from '../../ui/FieldError.js';
import { templateKey, type SmsDraft, type TemplateDraft } from './sms-draft.js';
import { SmsTextEditor } from './SmsTextEditor.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

interface FormProps {
  draft: SmsDraft;
  errors: Record<string, string>;
  currency: string;
  onChange: (patch: Partial<SmsDraft>) => void;
}

function Input(props: { label: string; unit?: string; hint?: string; testId: string; value: string; error: string | undefined; onChange: (v: string) => void; inputMode?: 'numeric' | 'decimal' | 'text' | 'url'; wide?: boolean }) {
  return (
    <label className="programme-field">
      <span>{props.label}</span>
      <span className="row-inline">
        <input
          className={[props.error ? 'invalid' : '', props.wide ? 'wide' : ''].join(' ').trim() || undefined}
          inputMode={props.inputMode ?? 'numeric'}
          autoComplete="off"
          data-testid={props.testId}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.unit && <span className="muted unit-label">{props.unit}</span>}
      </span>
      {props.hint && <small className="muted">{props.hint}</small>}
      <FieldError text={props.error ?? null} testId={`${props.testId}-error`} />
    </label>
  );
}

/** A whole hour of the day, 00:00 to 23:00. */
function HourSelect(props: { label: string; testId: string; value: number; onChange: (hour: number) => void }) {
  return (
    <label className="programme-field">
      <span>{props.label}</span>
      <select data-testid={props.testId} value={props.value} onChange={(e) => props.onChange(Number(e.target.value))}>
        {HOURS.map((h) => (
          <option key={h} value={h}>
            {hh(h)}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Messages → Settings: sending on or off, the provider and its key (write-only: the screen says
 * only whether one is stored and takes a new one), the sender name, the low-balance alert, the
 * longest message allowed, quiet hours for advertising, the survey link and the win-back rule.
 */
export function SmsSettingsForm(props: FormProps) {
  const { t } = useTranslation();
  const { draft: d, errors } = props;
  const set = props.onChange;
  const keyState = d.removeKey ? 'removing' : d.apiKey.trim() !== '' ? 'replacing' : d.apiKeySet ? 'set' : 'unset';
  return (
    <div className="programme-form sms-settings" data-testid="sms-settings">
      <fieldset className="programme-group">
        <legend>{t('loyalty.sms.settings.sending')}</legend>
        <label className="checkbox-line">
          <input type="checkbox" data-testid="sms-enabled" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          {t('loyalty.sms.settings.enabled')}
        </label>
        <label className="checkbox-line">
          <input type="checkbox" data-testid="sms-daily" checked={d.dailyTriggers} onChange={(e) => set({ dailyTriggers: e.target.checked })} />
          {t('loyalty.sms.settings.dailyTriggers')}
        </label>
        <label className="programme-field">
          <span>{t('loyalty.sms.settings.provider')}</span>
          <select data-testid="sms-provider" value={d.provider} onChange={(e) => set({ provider: e.target.value as SmsDraft['provider'] })}>
            <option value="emulator">{t('loyalty.sms.settings.providers.emulator')}</option>
            <option value="smsru">{t('loyalty.sms.settings.providers.smsru')}</option>
          </select>
        </label>
        <div className="programme-field">
          <span>{t('loyalty.sms.settings.apiKey')}</span>
          <span className={`sms-key-state ${keyState}`} data-testid="sms-api-key-state" data-state={keyState}>
            {t(`loyalty.sms.settings.key.${keyState}`)}
          </span>
          <span className="row-inline">
            <input
              type="password"
              className={errors.apiKey ? 'invalid wide' : 'wide'}
              autoComplete="new-password"
              data-testid="sms-api-key"
              placeholder={t(d.apiKeySet ? 'loyalty.sms.settings.key.replacePlaceholder' : 'loyalty.sms.settings.key.newPlaceholder')}
              value={d.apiKey}
              disabled={d.removeKey}
              onChange={(e) => set({ apiKey: e.target.value })}
            />
            {d.apiKeySet && (
              <label className="checkbox-line">
                <input type="checkbox" data-testid="sms-api-key-remove" checked={d.removeKey} onChange={(e) => set({ removeKey: e.target.checked, apiKey: '' })} />
                {t('loyalty.sms.settings.key.remove')}
              </label>
            )}
          </span>
          <small className="muted">{t(d.provider === 'emulator' ? 'loyalty.sms.settings.key.emulatorHint' : 'loyalty.sms.settings.key.hint')}</small>
          <FieldError text={errors.apiKey ?? null} testId="sms-api-key-error" />
        </div>
        <Input
          label={t('loyalty.sms.settings.sender')}
          hint={t('loyalty.sms.settings.senderHint')}
          testId="sms-sender"
          inputMode="text"
          wide
          value={d.sender}
          error={errors.sender}
          onChange={(v) => set({ sender: v })}
        />
        <Input label={t('loyalty.sms.settings.lowBalance')} unit={props.currency} hint={t('loyalty.sms.settings.lowBalanceHint')} testId="sms-low-balance" inputMode="decimal" value={d.lowBalanceAlert} error={errors.lowBalanceAlert} onChange={(v) => set({ lowBalanceAlert: v })} />
        <Input label={t('loyalty.sms.settings.maxSegments')} unit={t('loyalty.sms.settings.parts')} hint={t('loyalty.sms.settings.maxSegmentsHint')} testId="sms-max-segments" value={d.maxSegments} error={errors.maxSegments} onChange={(v) => set({ maxSegments: v })} />
      </fieldset>
      <fieldset className="programme-group">
        <legend>{t('loyalty.sms.settings.quiet')}</legend>
        <span className="row-inline">
          <HourSelect label={t('loyalty.sms.settings.quietFrom')} testId="sms-quiet-from" value={d.quietFrom} onChange={(h) => set({ quietFrom: h })} />
          <HourSelect label={t('loyalty.sms.settings.quietTo')} testId="sms-quiet-to" value={d.quietTo} onChange={(h) => set({ quietTo: h })} />
        </span>
        <small className="muted" data-testid="sms-quiet-summary">
          {d.quietFrom === d.quietTo ? t('loyalty.sms.settings.quietOff') : t('loyalty.sms.settings.quietOn', { from: hh(d.quietFrom), to: hh(d.quietTo) })}
        </small>
      </fieldset>
      <fieldset className="programme-group">
        <legend>{t('loyalty.sms.settings.survey')}</legend>
        <Input label={t('loyalty.sms.settings.surveyUrl')} testId="sms-survey-url" inputMode="url" wide value={d.surveyUrl} error={errors.surveyUrl} onChange={(v) => set({ surveyUrl: v })} />
        <Input label={t('loyalty.sms.settings.surveyDelay')} unit={t('loyalty.sms.settings.minutes')} hint={t('loyalty.sms.settings.surveyDelayHint')} testId="sms-survey-delay" value={d.surveyDelay} error={errors.surveyDelayMinutes} onChange={(v) => set({ surveyDelay: v })} />
      </fieldset>
      <fieldset className="programme-group">
        <legend>{t('loyalty.sms.settings.winback')}</legend>
        <p className="muted">{t('loyalty.sms.settings.winbackHint')}</p>
        <Input label={t('loyalty.sms.settings.winbackDays')} unit={t('loyalty.programme.days')} testId="sms-winback-days" value={d.winbackDays} error={errors['winback.minDaysSinceLast']} onChange={(v) => set({ winbackDays: v })} />
        <Input label={t('loyalty.sms.settings.winbackFactor')} unit="×" testId="sms-winback-factor" inputMode="decimal" value={d.winbackFactor} error={errors['winback.factorOfUsualInterval']} onChange={(v) => set({ winbackFactor: v })} />
      </fieldset>
    </div>
  );
}

/** Messages → Templates: what the till writes by itself, one editor per trigger, each with its switch. */
export function SmsTemplates(props: FormProps & { sample: Readonly<Record<string, string>>; maxSegments: number }) {
  const { t } = useTranslation();
  const { draft: d, errors } = props;
  const setTemplate = (kind: (typeof SMS_TRIGGER_KINDS)[number], patch: Partial<TemplateDraft>) =>
    props.onChange({ templates: { ...d.templates, [kind]: { ...d.templates[kind], ...patch } } });
  return (
    <div className="sms-templates" data-testid="sms-templates">
      {SMS_TRIGGER_KINDS.map((kind) => (
        <fieldset key={kind} className="programme-group sms-template" data-testid={`sms-template-${kind}-group`} data-enabled={d.templates[kind].enabled}>
          <legend>{t(`loyalty.sms.kinds.${kind}`)}</legend>
          <label className="checkbox-line">
            <input type="checkbox" data-testid={`sms-template-${kind}-enabled`} checked={d.templates[kind].enabled} onChange={(e) => setTemplate(kind, { enabled: e.target.checked })} />
            {t(`loyalty.sms.templates.when.${kind}`)}
          </label>
          <SmsTextEditor
            kind={kind}
            label={t('loyalty.sms.templates.text')}
            value={d.templates[kind].text}
            onChange={(text) => setTemplate(kind, { text })}
            sample={props.sample}
            maxSegments={props.maxSegments}
            testId={`sms-template-${kind}`}
            error={errors[templateKey(kind)]}
          />
        </fieldset>
      ))}
    </div>
  );
}
