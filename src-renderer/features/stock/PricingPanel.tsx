import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarkupRule, SupplierView } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat, money } from '../../app/format.js';
import { attempt, call } from '../../app/rpc.js';
import { useApp, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';

type Scheduled = Awaited<ReturnType<typeof call<'pricing.scheduled'>>>;

/** Markup rules (what a delivery's cost proposes as the retail price) and the price changes waiting for their moment. */
export function PricingPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const canPrice = useMyPermissions().includes('prices_manage');
  const [rules, setRules] = useState<MarkupRule[]>([]);
  const [scheduled, setScheduled] = useState<Scheduled>([]);
  const [suppliers, setSuppliers] = useState<SupplierView[]>([]);
  const [categories, setCategories] = useState<{ id: number; name: string }[]>([]);
  const [form, setForm] = useState({ supplierId: '', categoryId: '', percent: '30', rounding: '1', ending: '0' });

  useEffect(() => {
    void call('pricing.rules', {}).then(setRules, () => undefined);
    void call('pricing.scheduled', {}).then(setScheduled, () => undefined);
    void call('suppliers.list', {}).then(setSuppliers, () => undefined);
    void call('catalog.references', {}).then((r) => setCategories(r.categories), () => undefined);
  }, []);

  const digits = info?.minorDigits ?? 2;
  const minorOf = (text: string) => Math.round(Number(text.replace(',', '.')) * 10 ** digits);
  const add = async () => {
    const next = await attempt('pricing.setRule', {
      supplierId: form.supplierId ? Number(form.supplierId) : null,
      categoryId: form.categoryId ? Number(form.categoryId) : null,
      markupBp: Math.round(Number(form.percent.replace(',', '.')) * 100),
      rounding: Math.max(1, minorOf(form.rounding)),
      ending: minorOf(form.ending),
    });
    if (next) setRules(next);
  };

  return (
    <div className="admin-panel" data-testid="pricing-panel">
      <h3>{t('pricing.rules')}</h3>
      <p className="muted">{t('pricing.rulesHint')}</p>
      <table className="admin-table" data-testid="pricing-rules">
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} data-testid="pricing-rule">
              <td>{r.supplier?.name ?? t('pricing.anySupplier')}</td>
              <td>{r.category?.name ?? t('pricing.anyCategory')}</td>
              <td className="num">+{r.markupBp / 100} %</td>
              <td>{t('pricing.roundingText', { step: money(r.rounding, info, lang), ending: money(r.ending, info, lang) })}</td>
              <td>
                {canPrice && (
                  <button className="small" onClick={() => void attempt('pricing.deleteRule', { id: r.id }).then((n) => n && setRules(n))}>
                    ✕
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canPrice && (
        <div className="admin-filters">
          <select data-testid="pricing-supplier" value={form.supplierId} onChange={(e) => setForm({ ...form, supplierId: e.target.value })}>
            <option value="">{t('pricing.anySupplier')}</option>
            {suppliers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <select data-testid="pricing-category" value={form.categoryId} onChange={(e) => setForm({ ...form, categoryId: e.target.value })}>
            <option value="">{t('pricing.anyCategory')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <label>
            {t('pricing.markup')} <input data-testid="pricing-percent" className="stock-cell" value={form.percent} onChange={(e) => setForm({ ...form, percent: e.target.value })} />
          </label>
          <label>
            {t('pricing.rounding')} <input data-testid="pricing-rounding" className="stock-cell" value={form.rounding} onChange={(e) => setForm({ ...form, rounding: e.target.value })} />
          </label>
          <label>
            {t('pricing.ending')} <input data-testid="pricing-ending" className="stock-cell" value={form.ending} onChange={(e) => setForm({ ...form, ending: e.target.value })} />
          </label>
          <button className="primary" data-testid="pricing-add" onClick={() => void add()}>
            {t('pricing.add')}
          </button>
        </div>
      )}
      <h3>{t('pricing.scheduled')}</h3>
      {scheduled.length === 0 ? (
        <p className="muted">{t('pricing.noneScheduled')}</p>
      ) : (
        <table className="admin-table" data-testid="pricing-scheduled">
          <tbody>
            {scheduled.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td className="num">
                  <s>{money(s.oldPrice, info, lang)}</s> → <strong>{money(s.newPrice, info, lang)}</strong>
                </td>
                <td>{dateTimeFormat(lang).format(s.effectiveAt)}</td>
                <td>
                  {canPrice && (
                    <button className="small" onClick={() => void attempt('pricing.cancelScheduled', { id: s.id }).then((n) => n && setScheduled(n))}>
                      {t('pricing.cancel')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
