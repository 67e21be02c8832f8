import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { ParamsIn } from '../../../src-common/rpc/contract.js';
import { CustomerSignUpSchema } from '../../../src-common/rpc/schemas.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { attachCustomer } from './attach.js';
import { parseBirthday } from './loyalty-format.js';

export interface SignUpPrefill {
  phone?: string;
  name?: string;
  cardNo?: string;
}

type Field = 'phone' | 'name' | 'birthday' | 'cardNo' | 'referrer' | 'consents';
type Errors = Partial<Record<Field | 'form', string>>;
const FIELDS: readonly Field[] = ['phone', 'name', 'birthday', 'cardNo', 'referrer', 'consents'];

function isField(x: unknown): x is Field {
  return FIELDS.includes(x as Field);
}

/**
 * Quick sign-up at the till, aimed at well under 20 seconds: a phone and a name, a birthday and a
 * card if the customer wants; Enter signs up. The programme's consent is asked (ticked, explained,
 * required); service messages and advertising are separate and unticked until the customer agrees.
 */
export function SignUpForm(props: { lang: Language; prefill: SignUpPrefill }) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(props.prefill.phone ?? '');
  const [name, setName] = useState(props.prefill.name ?? '');
  const [birthday, setBirthday] = useState('');
  const [cardNo, setCardNo] = useState(props.prefill.cardNo ?? '');
  const [referrer, setReferrer] = useState('');
  const [consents, setConsents] = useState({ loyalty: true, service: false, advertising: false });
  const [errors, setErrors] = useState<Errors>({});
  const [existing, setExisting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const phoneRef = useRef<HTMLInputElement | null>(null);
  // The keyboard starts where typing is still needed: the name when the phone came from the find box.
  const startAtName = Boolean(props.prefill.phone) && !props.prefill.name;

  const edit = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    set(e.target.value);
    setErrors({});
    setExisting(null);
  };

  const submit = async () => {
    if (busy) return;
    const found: Errors = {};
    const day = parseBirthday(birthday);
    if (day === null) found.birthday = t('loyalty.signUpForm.errors.birthday');
    if (!consents.loyalty) found.consents = t('loyalty.signUpForm.loyaltyRequired');
    const params: ParamsIn<'customers.signUp'> = {
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(day ? { birthday: day } : {}),
      ...(cardNo.trim() ? { cardNo: cardNo.replace(/\s/g, '') } : {}),
      ...(referrer.trim() ? { referrer: referrer.trim() } : {}),
      consents: { loyalty: true, service: consents.service, advertising: consents.advertising },
    };
    const parsed = CustomerSignUpSchema.safeParse(params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (!isField(field) || found[field]) continue;
        found[field] = issue.code === 'custom' ? t('loyalty.signUpForm.errors.contact') : t(`loyalty.signUpForm.errors.${field}`);
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const customer = await call('customers.signUp', params);
      if (await attachCustomer(customer.id)) showToast(t('loyalty.signedUp', { name: customer.name ?? customer.cardNo ?? '' }), 'info');
    } catch (e) {
      const d = e instanceof RpcError && e.code === 'customer_invalid' ? (e.details ?? {}) : {};
      if (isField(d.field) && typeof d.reason === 'string') {
        setErrors({ [d.field]: t(`loyalty.signUpForm.errors.${d.field}_${d.reason}`, { defaultValue: errorText(e) }) });
        // The phone is a customer's already: offer them rather than a second account.
        if (d.field === 'phone' && d.reason === 'taken') setExisting(phone.trim());
      } else setErrors({ form: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const chooseExisting = async () => {
    if (!existing) return;
    try {
      const [c] = await call('customers.find', { text: existing, limit: 1 });
      if (c) await attachCustomer(c.id);
    } catch (e) {
      setErrors({ form: errorText(e) });
    }
  };

  const onEnter = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    // A card scanned into its field ends with Enter: go on to the phone rather than sign up half done.
    if (e.currentTarget.dataset.testid === 'signup-card' && phone.trim() === '') phoneRef.current?.focus();
    else void submit();
  };

  return (
    <form
      className="signup-form"
      data-testid="signup-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="signup-grid">
        <label className="field">
          <span>{t('loyalty.phone')}</span>
          <input ref={phoneRef} autoFocus={!startAtName} inputMode="tel" autoComplete="off" data-testid="signup-phone" placeholder="+7 900 000-00-00" value={phone} onChange={edit(setPhone)} onKeyDown={onEnter} />
          <FieldError text={errors.phone ?? null} testId="signup-phone-error" />
          {existing && (
            <button type="button" className="small" data-testid="signup-use-existing" onClick={() => void chooseExisting()}>
              {t('loyalty.signUpForm.useExisting')}
            </button>
          )}
        </label>
        <label className="field">
          <span>{t('loyalty.name')}</span>
          <input autoFocus={startAtName} autoComplete="off" data-testid="signup-name" value={name} onChange={edit(setName)} onKeyDown={onEnter} />
          <FieldError text={errors.name ?? null} testId="signup-name-error" />
        </label>
        <label className="field">
          <span>
            {t('loyalty.birthday')} <small>({t('loyalty.signUpForm.birthdayHint')})</small>
          </span>
          <input autoComplete="off" inputMode="numeric" data-testid="signup-birthday" placeholder={t('loyalty.signUpForm.birthdayPlaceholder')} value={birthday} onChange={edit(setBirthday)} onKeyDown={onEnter} />
          <FieldError text={errors.birthday ?? null} testId="signup-birthday-error" />
        </label>
        <label className="field">
          <span>
            {t('loyalty.signUpForm.card')} <small>({t('loyalty.signUpForm.cardHint')})</small>
          </span>
          <input autoComplete="off" inputMode="numeric" data-testid="signup-card" value={cardNo} onChange={edit(setCardNo)} onKeyDown={onEnter} />
          <FieldError text={errors.cardNo ?? null} testId="signup-card-error" />
        </label>
        <label className="field">
          <span>
            {t('loyalty.signUpForm.referrer')} <small>({t('loyalty.signUpForm.optional')})</small>
          </span>
          <input autoComplete="off" data-testid="signup-referrer" value={referrer} onChange={edit(setReferrer)} onKeyDown={onEnter} />
          <FieldError text={errors.referrer ?? null} testId="signup-referrer-error" />
        </label>
      </div>
      <fieldset className="consents" data-testid="signup-consents">
        <legend>{t('loyalty.consents.title')}</legend>
        <label className="consent">
          <input type="checkbox" data-testid="signup-consent-loyalty" checked={consents.loyalty} onChange={(e) => setConsents({ ...consents, loyalty: e.target.checked })} />
          <span>
            <strong>{t('loyalty.consents.loyalty')}</strong> <small className="muted">({t('loyalty.consents.required')})</small>
            <br />
            <small className="muted">{t('loyalty.consents.loyaltyExplain')}</small>
          </span>
        </label>
        <label className="consent">
          <input type="checkbox" data-testid="signup-consent-service" checked={consents.service} onChange={(e) => setConsents({ ...consents, service: e.target.checked })} />
          <span>
            {t('loyalty.consents.service')}
            <br />
            <small className="muted">{t('loyalty.consents.serviceExplain')}</small>
          </span>
        </label>
        <label className="consent">
          <input type="checkbox" data-testid="signup-consent-advertising" checked={consents.advertising} onChange={(e) => setConsents({ ...consents, advertising: e.target.checked })} />
          <span>
            {t('loyalty.consents.advertising')}
            <br />
            <small className="muted">{t('loyalty.consents.advertisingExplain')}</small>
          </span>
        </label>
        <FieldError text={errors.consents ?? null} testId="signup-consent-error" />
      </fieldset>
      <FieldError text={errors.form ?? null} testId="signup-error" />
      <div className="dialog-actions">
        <button type="submit" className="primary" data-testid="signup-submit" disabled={busy || !consents.loyalty}>
          {t('loyalty.signUpForm.submit')} <kbd>Enter</kbd>
        </button>
      </div>
    </form>
  );
}
