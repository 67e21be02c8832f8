import { useTranslation } from 'react-i18next';
import { FormField } from './FormField.js';
import { CODE_PAGES, DRAWER_PINS, LABEL_STOCKS, PRINTER_PROFILES, SCANNER_SUFFIXES, labelProfilesFor, type DeviceDraft, type FieldErrors } from './device-form.js';

/** The settings of the chosen driver: printer model and code page, scanner suffix, scale capacity… */
export function DriverOptions(props: { draft: DeviceDraft; errors: FieldErrors; onChange: (d: DeviceDraft) => void }) {
  const { t } = useTranslation();
  const { draft, errors } = props;
  const set = (patch: Partial<DeviceDraft>) => props.onChange({ ...draft, ...patch });
  switch (draft.driver) {
    case 'escpos':
      return (
        <>
          <FormField label={t('devices.form.profile')} error={errors.profile} testId="device-error-profile">
            <select value={draft.profile} data-testid="device-opt-profile" onChange={(e) => set({ profile: e.target.value })}>
              {!PRINTER_PROFILES.some((p) => p.id === draft.profile) && <option value={draft.profile}>{draft.profile}</option>}
              {PRINTER_PROFILES.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </FormField>
          <FormField label={t('devices.form.codePage')} error={errors.codePage} testId="device-error-code-page">
            <select value={draft.codePage} data-testid="device-opt-code-page" onChange={(e) => set({ codePage: e.target.value })}>
              <option value="">{t('devices.form.codePageDefault')}</option>
              {CODE_PAGES.map((c) => (
                <option key={c} value={c}>
                  {c.toUpperCase()}
                </option>
              ))}
            </select>
          </FormField>
          <label className="device-field checkbox">
            <input type="checkbox" checked={draft.drawer} data-testid="device-opt-drawer" onChange={(e) => set({ drawer: e.target.checked })} />
            {t('devices.form.drawer')}
          </label>
          {draft.drawer && (
            <FormField label={t('devices.form.drawerPin')} error={errors.drawerPin} testId="device-error-drawer-pin">
              <select value={draft.drawerPin} data-testid="device-opt-drawer-pin" onChange={(e) => set({ drawerPin: Number(e.target.value) })}>
                {DRAWER_PINS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </FormField>
          )}
        </>
      );
    case 'tspl':
    case 'zpl': {
      const models = labelProfilesFor(draft.driver);
      return (
        <>
          <FormField label={t('labels.device.profile')} error={errors.profile} testId="device-error-profile">
            <select value={draft.labelProfile} data-testid="device-opt-label-profile" onChange={(e) => set({ labelProfile: e.target.value })}>
              {!models.some((p) => p.id === draft.labelProfile) && <option value={draft.labelProfile}>{draft.labelProfile}</option>}
              {models.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </FormField>
          <FormField label={t('labels.device.stock')}>
            <select value={draft.labelStock} data-testid="device-opt-label-stock" onChange={(e) => set({ labelStock: e.target.value })}>
              {LABEL_STOCKS.map((s) => (
                <option key={s} value={s}>
                  {t(`labels.device.stocks.${s}`)}
                </option>
              ))}
            </select>
          </FormField>
        </>
      );
    }
    case 'serial-scanner':
      return (
        <FormField label={t('devices.form.suffix')} error={errors.suffix} testId="device-error-suffix">
          <select value={draft.suffix} data-testid="device-opt-suffix" onChange={(e) => set({ suffix: e.target.value })}>
            {SCANNER_SUFFIXES.map((s) => (
              <option key={s} value={s}>
                {t(`devices.form.suffixes.${s}`)}
              </option>
            ))}
          </select>
        </FormField>
      );
    case 'toledo8217':
    case 'cas':
    case 'massak100':
      return (
        <FormField label={t('devices.form.capacity')} error={errors.capacity} testId="device-error-capacity">
          <input value={draft.capacity} inputMode="decimal" maxLength={9} data-testid="device-opt-capacity" onChange={(e) => set({ capacity: e.target.value })} />
        </FormField>
      );
    case 'cd5220':
      return (
        <FormField label={t('devices.form.width')} error={errors.width} testId="device-error-width">
          <input value={draft.width} inputMode="numeric" maxLength={2} data-testid="device-opt-width" onChange={(e) => set({ width: e.target.value })} />
        </FormField>
      );
    case 'serial-drawer':
      return (
        <>
          <FormField label={t('devices.form.openCommand')} error={errors.openCommand} testId="device-error-open-command">
            <input value={draft.openCommand} maxLength={100} data-testid="device-opt-open-command" onChange={(e) => set({ openCommand: e.target.value })} />
          </FormField>
          <FormField label={t('devices.form.statusCommand')} error={errors.statusCommand} testId="device-error-status-command">
            <input value={draft.statusCommand} maxLength={100} data-testid="device-opt-status-command" onChange={(e) => set({ statusCommand: e.target.value })} />
          </FormField>
          {draft.statusCommand.trim() !== '' && (
            <FormField label={t('devices.form.statusOpen')} error={errors.statusOpen} testId="device-error-status-open">
              <input value={draft.statusOpen} maxLength={2} size={3} data-testid="device-opt-status-open" onChange={(e) => set({ statusOpen: e.target.value })} />
            </FormField>
          )}
        </>
      );
    default:
      return null;
  }
}
