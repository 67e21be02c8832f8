import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { FiscalSettings, PermitSettings } from '../../../src-common/rpc/schemas.js';
import { call, errorText } from '../../app/rpc.js';
import { showToast } from '../../app/store.js';
import { FieldError } from '../../ui/FieldError.js';

const TAX_SYSTEMS: FiscalSettings['taxSystem'][] = ['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent'];
const PERMIT_PROVIDERS: PermitSettings['provider'][] = ['none', 'local_module'];
const NO_PERMIT_CHECK: PermitSettings = { provider: 'none', url: '', login: '', passwordSet: false };

/**
 * What is sent for the permit check: the password only when one was typed (or removal asked for);
 * `passwordSet` is the till's to say, not ours.
 */
function permitToSave(p: PermitSettings, password: string, clearPassword: boolean): PermitSettings {
  const { provider, url, login } = p;
  return { provider, url: url.trim(), login: login.trim(), ...(clearPassword ? { password: '' } : password !== '' ? { password } : {}) };
}

/**
 * The owner's fiscal settings: whether fiscal law applies (and through which registrar kind), the
 * tax system printed on receipts, the cashier's INN, what to do with a marking code that cannot be
 * checked, and the permit check of marked goods (the Честный знак local module's address and login;
 * its password is write-only: the screen only learns whether one is stored). The backend checks the
 * INN's digits, that the registrar exists, and the module's address.
 */
export function FiscalSettingsPanel() {
  const { t } = useTranslation();
  const [s, setS] = useState<FiscalSettings | null>(null);
  const [errors, setErrors] = useState<{ mode?: string; cashierInn?: string; permitUrl?: string; warnOfdDays?: string; warnFnDays?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  useEffect(() => {
    call('fiscal.settings', {})
      .then(setS)
      .catch((e: unknown) => setErrors({ form: errorText(e) }));
  }, []);
  if (!s) return <section className="admin-panel">{errors.form && <FieldError text={errors.form} testId="fiscal-settings-error" />}</section>;

  const permit = s.permit ?? NO_PERMIT_CHECK;
  const setPermit = (p: Partial<PermitSettings>) => setS({ ...s, permit: { ...permit, ...p } });

  const save = async () => {
    const inn = s.cashierInn.trim();
    if (inn !== '' && !/^\d{12}$/.test(inn)) return setErrors({ cashierInn: t('fiscal.settings.innFormat') });
    if (permit.provider === 'local_module' && !/^https?:\/\/[^\s/@]+/i.test(permit.url.trim())) return setErrors({ permitUrl: t('fiscal.settings.permitUrlInvalid') });
    const inRange = (v: number | undefined, max: number) => v === undefined || (Number.isInteger(v) && v >= 1 && v <= max);
    if (!inRange(s.warnOfdDays, 29)) return setErrors({ warnOfdDays: t('fiscal.settings.daysRange', { max: 29 }) });
    if (!inRange(s.warnFnDays, 365)) return setErrors({ warnFnDays: t('fiscal.settings.daysRange', { max: 365 }) });
    setBusy(true);
    setErrors({});
    try {
      await call('fiscal.settingsSave', { settings: { ...s, cashierInn: inn, permit: permitToSave(permit, password, clearPassword) } });
      showToast(t('fiscal.settings.saved'), 'info');
      setPassword('');
      setClearPassword(false);
      setS(await call('fiscal.settings', {}));
    } catch (e) {
      const d = e instanceof RpcError ? (e.details ?? {}) : {};
      if (d.reason === 'inn') setErrors({ cashierInn: t('fiscal.settings.innInvalid') });
      else if (d.reason === 'no_registrar') setErrors({ mode: t('fiscal.settings.noRegistrar') });
      else if (d.reason === 'permit_url') setErrors({ permitUrl: t('fiscal.settings.permitUrlInvalid') });
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
      <label className="field">
        <span>{t('fiscal.settings.warnOfdDays')}</span>
        <input
          data-testid="fiscal-warn-ofd"
          type="number"
          min={1}
          max={29}
          value={s.warnOfdDays ?? 25}
          onChange={(e) => setS({ ...s, warnOfdDays: Math.trunc(Number(e.target.value)) })}
        />
        <FieldError text={errors.warnOfdDays ?? null} testId="fiscal-warn-ofd-error" />
      </label>
      <label className="field">
        <span>{t('fiscal.settings.warnFnDays')}</span>
        <input
          data-testid="fiscal-warn-fn"
          type="number"
          min={1}
          max={365}
          value={s.warnFnDays ?? 30}
          onChange={(e) => setS({ ...s, warnFnDays: Math.trunc(Number(e.target.value)) })}
        />
        <FieldError text={errors.warnFnDays ?? null} testId="fiscal-warn-fn-error" />
      </label>
      <fieldset className="fiscal-permit" data-testid="fiscal-permit">
        <legend>{t('fiscal.settings.permit')}</legend>
        <label className="field">
          <span>{t('fiscal.settings.permitProvider')}</span>
          <select data-testid="fiscal-permit-provider" value={permit.provider} onChange={(e) => setPermit({ provider: e.target.value as PermitSettings['provider'] })}>
            {PERMIT_PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {t(`fiscal.settings.permitProviders.${p}`)}
              </option>
            ))}
          </select>
        </label>
        {permit.provider === 'local_module' && (
          <>
            <label className="field">
              <span>{t('fiscal.settings.permitUrl')}</span>
              <input data-testid="fiscal-permit-url" inputMode="url" placeholder="http://192.168.1.20:5995" value={permit.url} onChange={(e) => setPermit({ url: e.target.value })} />
              <FieldError text={errors.permitUrl ?? null} testId="fiscal-permit-url-error" />
            </label>
            <label className="field">
              <span>{t('fiscal.settings.permitLogin')}</span>
              <input data-testid="fiscal-permit-login" autoComplete="off" value={permit.login} onChange={(e) => setPermit({ login: e.target.value })} />
            </label>
            <div className="field">
              <span>{t('fiscal.settings.permitPassword')}</span>
              <input
                data-testid="fiscal-permit-password"
                type="password"
                autoComplete="new-password"
                aria-label={t('fiscal.settings.permitPassword')}
                disabled={clearPassword}
                placeholder={permit.passwordSet ? t('fiscal.settings.permitPasswordKeep') : ''}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <span data-testid="fiscal-permit-password-state">
                {permit.passwordSet && !clearPassword ? t('fiscal.settings.permitPasswordSet') : t('fiscal.settings.permitPasswordNotSet')}
              </span>
              {permit.passwordSet && (
                <label>
                  <input type="checkbox" data-testid="fiscal-permit-password-clear" checked={clearPassword} onChange={(e) => setClearPassword(e.target.checked)} />{' '}
                  {t('fiscal.settings.permitPasswordClear')}
                </label>
              )}
            </div>
          </>
        )}
        <p className="muted">{t('fiscal.settings.permitHint')}</p>
      </fieldset>
      <FieldError text={errors.form ?? null} testId="fiscal-settings-error" />
      <button className="primary" data-testid="fiscal-settings-save" disabled={busy} onClick={() => void save()}>
        {t('fiscal.settings.save')}
      </button>
    </section>
  );
}
