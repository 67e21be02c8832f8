import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import { ApprovalCancelled, command, errorText } from '../../app/rpc.js';
import { showToast } from '../../app/store.js';
import { Dialog } from '../../ui/Dialog.js';
import { FieldError } from '../../ui/FieldError.js';
import { DriverOptions } from './DriverOptions.js';
import { FormField } from './FormField.js';
import { TransportFields } from './TransportFields.js';
import { DEVICE_KINDS, draftToInput, driversFor, fieldOfServerError, withDriver, withKind, type DeviceDraft, type FieldErrors, type FieldKey } from './device-form.js';
import { usePorts } from './usePorts.js';

/** The message a field shows when the till refuses its value (the same as the form's own check). */
const serverMessage = (field: FieldKey): string => (field === 'openCommand' || field === 'statusCommand' ? 'hex' : field);
const FIELD_REFUSALS = new Set(['device_invalid', 'validation', 'input_too_long']);

/**
 * Add or change a device: kind → driver → name → connection → driver settings → in use. Nothing
 * is sent while a field is wrong; a refusal from the till is shown under the field it names.
 */
export function DeviceForm(props: { initial: DeviceDraft; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(props.initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { ports, error: portsError } = usePorts();
  const editing = draft.id !== undefined;
  const defaultName = (d: DeviceDraft) => t(`devices.kinds.${d.kind}`);

  const change = (next: DeviceDraft) => {
    setDraft(next);
    setErrors({});
    setGeneral(null);
  };

  const refused = (e: unknown) => {
    if (e instanceof ApprovalCancelled) return;
    const field = e instanceof RpcError && FIELD_REFUSALS.has(e.code) ? fieldOfServerError(e.details?.field, draft.transport) : null;
    if (field) setErrors({ [field]: serverMessage(field) });
    else setGeneral(errorText(e));
  };

  const save = async () => {
    const checked = draftToInput(draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setGeneral(null);
      return;
    }
    setBusy(true);
    try {
      const saved = await command('devices.save', { device: checked.input });
      showToast(t('devices.form.saved', { name: saved.name }), 'info');
      props.onSaved();
    } catch (e) {
      refused(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (draft.id === undefined) return;
    setBusy(true);
    try {
      await command('devices.remove', { deviceId: draft.id });
      showToast(t('devices.form.removed', { name: props.initial.name }), 'info');
      props.onSaved();
    } catch (e) {
      setConfirmRemove(false);
      refused(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={editing ? t('devices.form.editTitle', { name: props.initial.name }) : t('devices.form.addTitle')} onClose={props.onClose} testId="device-form" wide>
      <form
        className="device-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <FormField label={t('devices.form.kind')}>
          <select
            value={draft.kind}
            disabled={editing}
            data-testid="device-kind"
            onChange={(e) => {
              const next = withKind(draft, e.target.value as DeviceDraft['kind']);
              change(draft.name === '' || draft.name === defaultName(draft) ? { ...next, name: defaultName(next) } : next);
            }}
          >
            {DEVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`devices.kinds.${k}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label={t('devices.form.driver')} error={errors.driver} testId="device-error-driver">
          <select value={draft.driver} data-testid="device-driver" onChange={(e) => change(withDriver(draft, e.target.value))}>
            {!driversFor(draft.kind).includes(draft.driver) && <option value={draft.driver}>{draft.driver}</option>}
            {driversFor(draft.kind).map((d) => (
              <option key={d} value={d}>
                {t(`devices.drivers.${d}`, { defaultValue: t(`labels.device.drivers.${d}`, { defaultValue: d }) })}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label={t('devices.form.name')} error={errors.name} testId="device-error-name" wide>
          <input value={draft.name} maxLength={60} data-testid="device-name-input" onChange={(e) => change({ ...draft, name: e.target.value })} />
        </FormField>
        <h3 className="device-form-wide">{t('devices.form.transport')}</h3>
        <TransportFields draft={draft} errors={errors} ports={ports} portsError={portsError} onChange={change} />
        <DriverOptions draft={draft} errors={errors} onChange={change} />
        <label className="device-field checkbox device-form-wide">
          <input type="checkbox" checked={draft.enabled} data-testid="device-enabled" onChange={(e) => change({ ...draft, enabled: e.target.checked })} />
          {t('devices.form.enabled')}
        </label>
        <div className="device-form-wide">
          <FieldError text={general} testId="device-form-error" />
        </div>
        {confirmRemove ? (
          <div className="dialog-actions device-form-wide notice alarm" data-testid="device-remove-confirm">
            <span className="grow">{t('devices.form.removeConfirm', { name: props.initial.name })}</span>
            <button type="button" data-testid="device-remove-no" onClick={() => setConfirmRemove(false)}>
              {t('devices.form.removeNo')}
            </button>
            <button type="button" className="danger" disabled={busy} data-testid="device-remove-yes" onClick={() => void remove()}>
              {t('devices.form.removeYes')}
            </button>
          </div>
        ) : (
          <div className="dialog-actions device-form-wide">
            {editing && (
              <button type="button" className="danger" data-testid="device-remove" onClick={() => setConfirmRemove(true)}>
                {t('devices.form.remove')}
              </button>
            )}
            <span className="grow" />
            <button type="button" data-testid="device-cancel" onClick={props.onClose}>
              {t('devices.form.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="device-save">
              {t('devices.form.save')}
            </button>
          </div>
        )}
      </form>
    </Dialog>
  );
}
