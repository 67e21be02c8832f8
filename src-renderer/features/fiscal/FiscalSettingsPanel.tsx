import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { FiscalSettings } from '../../../src-common/rpc/schemas.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast } from '../../app/store.js';
import { FieldError } from '../../ui/FieldError.js';

const TAX_SYSTEMS: FiscalSettings['taxSystem'][] = ['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent'];

/**
 * The owner's fiscal settings: whether fiscal law applies (and through which registrar kind), the
 * tax system printed on receipts, the cashier's INN, and what to do with a marking code the
 * registrar cannot check. The backend checks the INN's digits and that the registrar exists.
 */
export function FiscalSettingsPanel() {
  const { t } = useTranslation();
  const [s, setS] = useState<FiscalSettings | null>(null);
  const [errors, setErrors] = useState<{ mode?: string; cashierInn?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call('fiscal.settings', {})
      .then(setS)
      .catch((e: unknown) => setErrors({ form: errorText(e) }));
  }, []);
  if (!s) return <section className="admin-panel">{errors.form && <FieldError text={errors.form} testId="fiscal-settings-error" />}</section>;

  const save = async () => {
    const inn = s.cashierInn.trim();
    if (inn !== '' && !/^\d{12}$/.test(inn)) return setErrors({ cashierInn: t('fiscal.settings.innFormat') });
    setBusy(true);
    setErrors({});
    try {
      await call('fiscal.settingsSave', { settings: { ...s, cashierInn: inn } });
      showToast(t('fiscal.settings.saved'), 'info');
    } catch (e) {
      const d = e instanceof RpcError ? (e.details ?? {}) : {};
      if (d.reason === 'inn') setErrors({ cashierInn: t('fiscal.settings.innInvalid') });
      else if (d.reason === 'no_registrar') setErrors({ mode: t('fiscal.settings.noRegistrar') });
      else setErrors({ form: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="admin-panel fiscal-settings" data-testid="fiscal-settings">
      <label className="field">
        <span>{t('fiscal.settings.mode')}</span>
        <select data-testid="fiscal-mode" value={s.mode} onChange={(e) => setS({ ...s, mode: e.target.value as FiscalSettings['mode'] })}>
          {(['none', 'shtrih', 'atol'] as const).map((m) => (
            <option key={m} value={m}>
              {t(`fiscal.settings.modes.${m}`)}
            </option>
          ))}
        </select>
        <FieldError text={errors.mode ?? null} testId="fiscal-mode-error" />
      </label>
      <label className="field">
        <span>{t('fiscal.settings.taxSystem')}</span>
        <select data-testid="fiscal-tax-system" value={s.taxSystem} onChange={(e) => setS({ ...s, taxSystem: e.target.value as FiscalSettings['taxSystem'] })}>
          {TAX_SYSTEMS.map((x) => (
            <option key={x} value={x}>
              {t(`fiscal.settings.taxSystems.${x}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('fiscal.settings.cashierInn')}</span>
        <input data-testid="fiscal-inn" inputMode="numeric" maxLength={12} value={s.cashierInn} onChange={(e) => setS({ ...s, cashierInn: e.target.value })} />
        <FieldError text={errors.cashierInn ?? null} testId="fiscal-inn-error" />
      </label>
      <label className="field">
        <span>{t('fiscal.settings.markingOffline')}</span>
        <select data-testid="fiscal-marking-offline" value={s.markingOfflinePolicy} onChange={(e) => setS({ ...s, markingOfflinePolicy: e.target.value as FiscalSettings['markingOfflinePolicy'] })}>
          <option value="allow">{t('fiscal.settings.markingAllow')}</option>
          <option value="refuse">{t('fiscal.settings.markingRefuse')}</option>
        </select>
      </label>
      <FieldError text={errors.form ?? null} testId="fiscal-settings-error" />
      <button className="primary" data-testid="fiscal-settings-save" disabled={busy} onClick={() => void save()}>
        {t('fiscal.settings.save')}
      </button>
    </section>
  );
}
