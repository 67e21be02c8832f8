import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { moneyInput } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast, useApp, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { percentInput } from './loyalty-format.js';
import { fromDraft, toDraft, type Formats, type ProgrammeDraft, type TierDraft } from './programme-draft.js';

const NEW_TIER: TierDraft = { name: '', minSpend: '', earn: '', discount: '0' };

/** A labelled input of the programme form, with its unit and the message for its schema path. */
function Field(props: { label: string; unit?: string; hint?: string; error: string | undefined; testId: string; value: string; onChange: (v: string) => void; inputMode?: 'numeric' | 'decimal' }) {
  return (
    <label className="programme-field">
      <span>{props.label}</span>
      <span className="row-inline">
        <input className={props.error ? 'invalid' : undefined} inputMode={props.inputMode ?? 'decimal'} data-testid={props.testId} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
        {props.unit && <span className="muted unit-label">{props.unit}</span>}
      </span>
      {props.hint && <small className="muted">{props.hint}</small>}
      <FieldError text={props.error ?? null} testId={`${props.testId}-error`} />
    </label>
  );
}

function Group(props: { title: string; children: ReactNode }) {
  return (
    <fieldset className="programme-group">
      <legend>{props.title}</legend>
      {props.children}
    </fieldset>
  );
}

/**
 * Loyalty → Programme: every rule of the programme, checked here by the same schema the backend
 * uses (messages in the screen's language). Read-only when the head office sets it for the chain.
 */
export function ProgrammePanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const canManage = useMyPermissions().includes('loyalty_manage');
  const f: Formats = useMemo(
    () => ({ money: (n) => moneyInput(n, info, lang), percent: (bp) => percentInput(bp, lang), minorDigits: info?.minorDigits ?? 2 }),
    [info, lang],
  );
  const [managed, setManaged] = useState(false);
  const [draft, setDraft] = useState<ProgrammeDraft | null>(null);
  const [categories, setCategories] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    call('loyalty.programme', {}).then(
      (r) => {
        setManaged(r.managed);
        setDraft(toDraft(r.programme, f));
        setErrors({});
      },
      (e: unknown) => setFailure(errorText(e)),
    );
  }, [f]);
  useEffect(load, [load]);
  useEffect(() => {
    call('catalog.references', {}).then(
      (r) => setCategories(r.categories.map((c) => c.name)),
      () => {},
    );
  }, []);

  if (!draft) {
    return (
      <section className="admin-panel" data-testid="loyalty-programme-loading">
        <FieldError text={failure} testId="programme-load-error" />
      </section>
    );
  }
  const set = (patch: Partial<ProgrammeDraft>) => setDraft({ ...draft, ...patch });
  const setTier = (i: number, patch: Partial<TierDraft>) => set({ tiers: draft.tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const err = (path: string) => errors[path];
  const currency = info?.currency === 'RUB' || !info ? '₽' : info.currency;
  const readOnly = managed || !canManage;

  const save = async () => {
    const r = fromDraft(draft, f, t);
    if ('errors' in r) {
      setErrors(r.errors);
      setFailure(t('loyalty.form.fix'));
      // The first field to correct may be far up the form: take the manager there.
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="loyalty-programme"] input.invalid')?.focus());
      return;
    }
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const saved = await call('loyalty.saveProgramme', { programme: r.programme });
      setManaged(saved.managed);
      setDraft(toDraft(saved.programme, f));
      showToast(t('loyalty.programme.saved'), 'info');
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const allCategories = [...new Set([...categories, ...draft.excluded])].sort((a, b) => a.localeCompare(b, 'ru'));
  return (
    <section className="admin-panel loyalty-programme" data-testid="loyalty-programme" data-managed={managed}>
      {managed && (
        <p className="notice alarm" data-testid="programme-managed">
          {t('loyalty.programme.managed')}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className="programme-form" disabled={readOnly}>
          <Group title={t('loyalty.programme.general')}>
            <label className="checkbox-line">
              <input type="checkbox" data-testid="programme-enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
              {t('loyalty.programme.enabled')}
            </label>
            <Field label={t('loyalty.programme.pointValue')} unit={currency} hint={t('loyalty.programme.pointValueHint')} error={err('pointValue')} testId="programme-point-value" value={draft.pointValue} onChange={(v) => set({ pointValue: v })} />
            <Field label={t('loyalty.programme.earn')} unit="%" hint={t('loyalty.programme.earnHint')} error={err('earnBp')} testId="programme-earn" value={draft.earn} onChange={(v) => set({ earn: v })} />
            <Field label={t('loyalty.programme.redeemMax')} unit="%" hint={t('loyalty.programme.redeemMaxHint')} error={err('redeemMaxBp')} testId="programme-redeem-max" value={draft.redeemMax} onChange={(v) => set({ redeemMax: v })} />
            <label className="checkbox-line">
              <input type="checkbox" data-testid="programme-expires" checked={draft.expires} onChange={(e) => set({ expires: e.target.checked })} />
              {t('loyalty.programme.expires')}
            </label>
            {draft.expires && (
              <Field label={t('loyalty.programme.expiryDays')} unit={t('loyalty.programme.days')} inputMode="numeric" error={err('expiryDays')} testId="programme-expiry-days" value={draft.expiryDays} onChange={(v) => set({ expiryDays: v })} />
            )}
          </Group>
          <Group title={t('loyalty.programme.rewards')}>
            <Field label={t('loyalty.programme.welcome')} unit={t('loyalty.programme.pointsUnit')} inputMode="numeric" error={err('welcomePoints')} testId="programme-welcome" value={draft.welcomePoints} onChange={(v) => set({ welcomePoints: v })} />
            <Field label={t('loyalty.programme.referral')} unit={t('loyalty.programme.pointsUnit')} hint={t('loyalty.programme.referralHint')} inputMode="numeric" error={err('referralPoints')} testId="programme-referral" value={draft.referralPoints} onChange={(v) => set({ referralPoints: v })} />
            <Field label={t('loyalty.programme.birthdayPoints')} unit={t('loyalty.programme.pointsUnit')} inputMode="numeric" error={err('birthday.points')} testId="programme-birthday-points" value={draft.birthdayPoints} onChange={(v) => set({ birthdayPoints: v })} />
            <label className="programme-field">
              <span>{t('loyalty.programme.birthdayCoupon')}</span>
              <select data-testid="programme-birthday-coupon-kind" value={draft.birthdayCoupon} onChange={(e) => set({ birthdayCoupon: e.target.value as ProgrammeDraft['birthdayCoupon'] })}>
                <option value="none">{t('loyalty.programme.noCoupon')}</option>
                <option value="percent">{t('loyalty.coupons.percent')}</option>
                <option value="amount">{t('loyalty.coupons.amount')}</option>
              </select>
            </label>
            {draft.birthdayCoupon !== 'none' && (
              <Field
                label={t('loyalty.programme.birthdayCouponValue')}
                unit={draft.birthdayCoupon === 'percent' ? '%' : currency}
                error={err(draft.birthdayCoupon === 'percent' ? 'birthday.coupon.bp' : 'birthday.coupon.amount')}
                testId="programme-birthday-coupon-value"
                value={draft.birthdayCouponValue}
                onChange={(v) => set({ birthdayCouponValue: v })}
              />
            )}
            <Field label={t('loyalty.programme.daysBefore')} unit={t('loyalty.programme.days')} inputMode="numeric" error={err('birthday.daysBefore')} testId="programme-birthday-before" value={draft.daysBefore} onChange={(v) => set({ daysBefore: v })} />
            <Field label={t('loyalty.programme.daysAfter')} unit={t('loyalty.programme.days')} inputMode="numeric" error={err('birthday.daysAfter')} testId="programme-birthday-after" value={draft.daysAfter} onChange={(v) => set({ daysAfter: v })} />
          </Group>
          <Group title={t('loyalty.programme.offline')}>
            <Field label={t('loyalty.programme.offlineCap')} unit={t('loyalty.programme.pointsUnit')} hint={t('loyalty.programme.offlineCapHint')} inputMode="numeric" error={err('offlineBurnCapPerDay')} testId="programme-offline-cap" value={draft.offlineCap} onChange={(v) => set({ offlineCap: v })} />
            <Field label={t('loyalty.programme.confirmFresh')} unit={t('loyalty.programme.seconds')} hint={t('loyalty.programme.confirmFreshHint')} inputMode="numeric" error={err('confirmFreshSeconds')} testId="programme-confirm-fresh" value={draft.confirmFresh} onChange={(v) => set({ confirmFresh: v })} />
          </Group>
          <fieldset className="programme-group programme-tiers" data-testid="programme-tiers">
            <legend>{t('loyalty.programme.tiers')}</legend>
            <p className="muted">{t('loyalty.programme.tiersHint')}</p>
            {draft.tiers.length > 0 && (
              <table className="admin-table">
                <thead>
                  <tr>
                    <th>{t('loyalty.programme.tierName')}</th>
                    <th>
                      {t('loyalty.programme.tierFrom')}, {currency}
                    </th>
                    <th>{t('loyalty.programme.tierEarn')}, %</th>
                    <th>{t('loyalty.programme.tierDiscount')}, %</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {draft.tiers.map((tier, i) => (
                    <tr key={i} data-testid={`programme-tier-${i}`}>
                      {(
                        [
                          ['name', 'name', tier.name],
                          ['minSpend', 'minSpend', tier.minSpend],
                          ['earn', 'earnBp', tier.earn],
                          ['discount', 'discountBp', tier.discount],
                        ] as const
                      ).map(([field, path, value]) => (
                        <td key={field}>
                          <input
                            className={err(`tiers.${i}.${path}`) ? 'invalid' : undefined}
                            data-testid={`programme-tier-${i}-${field}`}
                            inputMode={field === 'name' ? 'text' : 'decimal'}
                            value={value}
                            onChange={(e) => setTier(i, { [field]: e.target.value })}
                          />
                          <FieldError text={err(`tiers.${i}.${path}`) ?? null} testId={`programme-tier-${i}-${field}-error`} />
                        </td>
                      ))}
                      <td>
                        <button type="button" className="small danger" data-testid={`programme-tier-${i}-remove`} aria-label={t('loyalty.programme.tierRemove')} onClick={() => set({ tiers: draft.tiers.filter((_, j) => j !== i) })}>
                          ✕
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <FieldError text={err('tiers') ?? null} testId="programme-tiers-error" />
            <button type="button" className="small" data-testid="programme-tier-add" disabled={draft.tiers.length >= 10} onClick={() => set({ tiers: [...draft.tiers, NEW_TIER] })}>
              + {t('loyalty.programme.tierAdd')}
            </button>
          </fieldset>
          <fieldset className="programme-group" data-testid="programme-excluded">
            <legend>{t('loyalty.programme.excluded')}</legend>
            <p className="muted">{t('loyalty.programme.excludedHint')}</p>
            {allCategories.length === 0 && <p className="muted">{t('loyalty.programme.noCategories')}</p>}
            <div className="category-checks">
              {allCategories.map((name) => (
                <label key={name} className="checkbox-line">
                  <input
                    type="checkbox"
                    data-testid="programme-excluded-category"
                    data-category={name}
                    checked={draft.excluded.includes(name)}
                    onChange={(e) => set({ excluded: e.target.checked ? [...draft.excluded, name] : draft.excluded.filter((x) => x !== name) })}
                  />
                  {name}
                </label>
              ))}
            </div>
            <FieldError text={err('excludedCategories') ?? null} testId="programme-excluded-error" />
          </fieldset>
        </fieldset>
        <FieldError text={failure} testId="programme-error" />
        {!readOnly && (
          <div className="dialog-actions">
            <button type="button" data-testid="programme-reset" onClick={load}>
              {t('loyalty.programme.reset')}
            </button>
            <button type="submit" className="primary" data-testid="programme-save" disabled={busy}>
              {t('admin.save')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
