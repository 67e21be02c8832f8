import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CouponView } from '../../../src-common/rpc/schemas.js';
import { localeOf, money, moneyInput } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast, useApp, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { couponDraft, couponFromDraft, NEW_COUPON, type CouponDraft } from './coupon-draft.js';
import { couponValueText, percentInput } from './loyalty-format.js';
import type { Formats } from './programme-draft.js';

/** Loyalty → Coupons: promo codes with their limits; a new one or a change of one. The head office's are read-only here. */
export function CouponsPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const canManage = useMyPermissions().includes('loyalty_manage');
  const f: Formats = useMemo(() => ({ money: (n) => moneyInput(n, info, lang), percent: (bp) => percentInput(bp, lang), minorDigits: info?.minorDigits ?? 2 }), [info, lang]);
  const [coupons, setCoupons] = useState<CouponView[]>([]);
  const [draft, setDraft] = useState<CouponDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(() => {
    call('loyalty.coupons', {}).then(setCoupons, (e: unknown) => setFailure(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const edit = (d: CouponDraft | null) => {
    setDraft(d);
    setErrors({});
    setFailure(null);
  };
  const save = async () => {
    if (!draft) return;
    const r = couponFromDraft(draft, f, t);
    if ('errors' in r) return setErrors(r.errors);
    try {
      setCoupons(await call('loyalty.saveCoupon', r.coupon));
      showToast(t('loyalty.coupons.saved', { code: r.coupon.code }), 'info');
      edit(null);
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  // A calendar date, not an instant: read in UTC so no time zone moves it to another day.
  const dates = new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'short', timeZone: 'UTC' });
  const date = (d: string | null) => (d ? dates.format(new Date(`${d}T00:00:00Z`)) : '…');
  return (
    <section className="admin-panel" data-testid="loyalty-coupons">
      <div className="admin-filters">
        <span className="spacer" />
        {canManage && (
          <button data-testid="coupon-new" onClick={() => edit(NEW_COUPON)}>
            + {t('loyalty.coupons.new')}
          </button>
        )}
      </div>
      {draft && <CouponForm draft={draft} errors={errors} failure={failure} currency={info?.currency === 'RUB' || !info ? '₽' : info.currency} onChange={setDraft} onSave={() => void save()} onCancel={() => edit(null)} />}
      {!draft && <FieldError text={failure} testId="coupons-error" />}
      {coupons.length === 0 ? (
        <p className="muted" data-testid="coupons-empty">
          {t('loyalty.coupons.none')}
        </p>
      ) : (
        <table className="admin-table" data-testid="coupon-list">
          <thead>
            <tr>
              <th>{t('loyalty.coupons.code')}</th>
              <th>{t('loyalty.coupons.value')}</th>
              <th>{t('loyalty.coupons.valid')}</th>
              <th>{t('loyalty.coupons.minTotal')}</th>
              <th className="num">{t('loyalty.coupons.uses')}</th>
              <th>{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {coupons.map((c) => {
              const editable = canManage && c.origin === 'local';
              return (
                <tr
                  key={c.code}
                  className={[editable ? 'clickable' : '', c.active ? '' : 'muted'].join(' ').trim() || undefined}
                  data-testid="coupon-row"
                  data-code={c.code}
                  tabIndex={editable ? 0 : undefined}
                  onClick={() => editable && edit(couponDraft(c, f))}
                  onKeyDown={(e) => editable && e.key === 'Enter' && edit(couponDraft(c, f))}
                >
                  <td>
                    <code>{c.code}</code>
                    {c.origin === 'head_office' && <span className="badge">{t('loyalty.coupons.headOffice')}</span>}
                  </td>
                  <td data-testid="coupon-row-value">{couponValueText(c.value, info, lang)}</td>
                  <td>{c.validFrom || c.validTo ? `${date(c.validFrom)} — ${date(c.validTo)}` : t('loyalty.coupons.always')}</td>
                  <td>{c.minTotal > 0 ? money(c.minTotal, info, lang, true) : '—'}</td>
                  <td className="num">
                    {c.used}
                    {c.maxUses !== null ? ` / ${c.maxUses}` : ''}
                    {c.oncePerCustomer && <span className="badge">{t('loyalty.coupons.oncePerCustomerShort')}</span>}
                  </td>
                  <td>{c.active ? t('admin.active') : t('loyalty.coupons.off')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CouponForm(props: {
  draft: CouponDraft;
  errors: Record<string, string>;
  failure: string | null;
  currency: string;
  onChange: (d: CouponDraft) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { draft: d, errors } = props;
  const set = (patch: Partial<CouponDraft>) => props.onChange({ ...d, ...patch });
  const valuePath = d.kind === 'percent' ? 'value.bp' : 'value.amount';
  return (
    <form
      className="admin-form coupon-form"
      data-testid="coupon-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
    >
      <label>
        <span>{t('loyalty.coupons.code')}</span>
        <input autoFocus={!d.existing} disabled={d.existing} data-testid="coupon-code" maxLength={40} value={d.code} onChange={(e) => set({ code: e.target.value.toUpperCase() })} />
        <FieldError text={errors.code ?? null} testId="coupon-code-error" />
      </label>
      <label>
        <span>{t('loyalty.coupons.kind')}</span>
        <select data-testid="coupon-kind" value={d.kind} onChange={(e) => set({ kind: e.target.value as CouponDraft['kind'], value: '' })}>
          <option value="percent">{t('loyalty.coupons.percent')}</option>
          <option value="amount">{t('loyalty.coupons.amount')}</option>
        </select>
      </label>
      <label>
        <span>
          {t('loyalty.coupons.value')}, {d.kind === 'percent' ? '%' : props.currency}
        </span>
        <input inputMode="decimal" data-testid="coupon-value" value={d.value} onChange={(e) => set({ value: e.target.value })} />
        <FieldError text={errors[valuePath] ?? null} testId="coupon-value-error" />
      </label>
      <label>
        <span>
          {t('loyalty.coupons.minTotal')}, {props.currency}
        </span>
        <input inputMode="decimal" data-testid="coupon-min-total" placeholder="0" value={d.minTotal} onChange={(e) => set({ minTotal: e.target.value })} />
        <FieldError text={errors.minTotal ?? null} testId="coupon-min-total-error" />
      </label>
      <label>
        <span>{t('loyalty.coupons.maxUses')}</span>
        <input inputMode="numeric" data-testid="coupon-max-uses" placeholder={t('loyalty.coupons.unlimited')} value={d.maxUses} onChange={(e) => set({ maxUses: e.target.value })} />
        <FieldError text={errors.maxUses ?? null} testId="coupon-max-uses-error" />
      </label>
      <label>
        <span>{t('loyalty.coupons.validFrom')}</span>
        <input type="date" data-testid="coupon-valid-from" value={d.validFrom} onChange={(e) => set({ validFrom: e.target.value })} />
        <FieldError text={errors.validFrom ?? null} testId="coupon-valid-from-error" />
      </label>
      <label>
        <span>{t('loyalty.coupons.validTo')}</span>
        <input type="date" data-testid="coupon-valid-to" value={d.validTo} onChange={(e) => set({ validTo: e.target.value })} />
        <FieldError text={errors.validTo ?? null} testId="coupon-valid-to-error" />
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="coupon-once" checked={d.oncePerCustomer} onChange={(e) => set({ oncePerCustomer: e.target.checked })} />
        {t('loyalty.coupons.oncePerCustomer')}
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="coupon-active" checked={d.active} onChange={(e) => set({ active: e.target.checked })} />
        {t('loyalty.coupons.active')}
      </label>
      <div className="dialog-actions">
        <FieldError text={props.failure} testId="coupon-error" />
        <button type="button" data-testid="coupon-cancel" onClick={props.onCancel}>
          {t('admin.cancel')}
        </button>
        <button type="submit" className="primary" data-testid="coupon-save">
          {t('admin.save')}
        </button>
      </div>
    </form>
  );
}
