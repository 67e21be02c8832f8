import { useTranslation } from 'react-i18next';
import { BAUD_RATES, type PortsView } from '../../../src-common/rpc/schemas.js';
import { FormField } from './FormField.js';
import { hidKey, transportsFor, usbIds, usbKey, type DeviceDraft, type FieldErrors, type TransportKind } from './device-form.js';

interface Props {
  draft: DeviceDraft;
  errors: FieldErrors;
  ports: PortsView | null;
  portsError: string | null;
  onChange: (d: DeviceDraft) => void;
}

/** How the till reaches the device: a serial port, a network address, a USB printer or a HID scanner. */
export function TransportFields(props: Props) {
  const { t } = useTranslation();
  const { draft, errors, ports, onChange } = props;
  if (draft.transport === 'emulator') {
    return (
      <p className="muted device-form-wide" data-testid="device-transport-emulator">
        {t('devices.form.emulatorNote')}
      </p>
    );
  }
  const kinds = transportsFor(draft.kind, draft.driver);
  const set = (patch: Partial<DeviceDraft>) => onChange({ ...draft, ...patch });
  return (
    <>
      {kinds.length > 1 && (
        <div className="segmented device-form-wide" role="radiogroup" aria-label={t('devices.form.transport')}>
          {kinds.map((k: TransportKind) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={draft.transport === k}
              className={draft.transport === k ? 'on' : ''}
              data-testid={`device-transport-${k}`}
              onClick={() => set({ transport: k })}
            >
              {t(`devices.transports.${k}`)}
            </button>
          ))}
        </div>
      )}
      {draft.transport === 'serial' && <SerialFields {...props} />}
      {draft.transport === 'tcp' && (
        <>
          <FormField label={t('devices.form.host')} error={errors.host} testId="device-error-host">
            <input value={draft.host} maxLength={253} placeholder="192.168.1.50" data-testid="device-tcp-host" onChange={(e) => set({ host: e.target.value })} />
          </FormField>
          <FormField label={t('devices.form.tcpPort')} error={errors.port} testId="device-error-port">
            <input value={draft.port} inputMode="numeric" maxLength={5} data-testid="device-tcp-port" onChange={(e) => set({ port: e.target.value })} />
          </FormField>
        </>
      )}
      {draft.transport === 'usb' && (
        <FormField label={t('devices.form.usb')} error={errors.usb} testId="device-error-usb">
          <select
            value={draft.usb ? usbKey(draft.usb) : ''}
            data-testid="device-usb"
            onChange={(e) => {
              const found = ports?.usb.find((u) => usbKey(u) === e.target.value);
              set({ usb: found ? { vendorId: found.vendorId, productId: found.productId, ...(found.serialNumber ? { serialNumber: found.serialNumber } : {}) } : null });
            }}
          >
            <option value="">{t('devices.form.pickUsb')}</option>
            {draft.usb && !ports?.usb.some((u) => usbKey(u) === usbKey(draft.usb!)) && (
              <option value={usbKey(draft.usb)}>{t('devices.form.notFound', { label: usbIds(draft.usb.vendorId, draft.usb.productId) })}</option>
            )}
            {ports?.usb.map((u) => {
              const key = usbKey(u);
              return (
                <option key={key} value={key}>
                  {u.label} ({usbIds(u.vendorId, u.productId)}
                  {u.serialNumber ? ` #${u.serialNumber}` : ''})
                </option>
              );
            })}
          </select>
        </FormField>
      )}
      {draft.transport === 'hid' && (
        <FormField label={t('devices.form.hid')} error={errors.hid} testId="device-error-hid">
          <select
            value={draft.hid ? hidKey(draft.hid) : ''}
            data-testid="device-hid"
            onChange={(e) => {
              const found = ports?.hid.find((h) => hidKey(h) === e.target.value);
              set({ hid: found ? { path: found.path, vendorId: found.vendorId, productId: found.productId } : null });
            }}
          >
            <option value="">{t('devices.form.pickHid')}</option>
            {draft.hid && !ports?.hid.some((h) => hidKey(h) === hidKey(draft.hid!)) && (
              <option value={hidKey(draft.hid)}>{t('devices.form.notFound', { label: draft.hid.path ?? usbIds(draft.hid.vendorId, draft.hid.productId) })}</option>
            )}
            {ports?.hid.map((h) => (
              <option key={hidKey(h)} value={hidKey(h)}>
                {h.label} ({usbIds(h.vendorId, h.productId)})
              </option>
            ))}
          </select>
        </FormField>
      )}
      <PortsNote {...props} />
    </>
  );
}

function SerialFields(props: Props) {
  const { t } = useTranslation();
  const { draft, errors, ports, onChange } = props;
  const set = (patch: Partial<DeviceDraft>) => onChange({ ...draft, ...patch });
  const listed = ports?.serial.some((p) => p.path === draft.path) ?? false;
  return (
    <>
      <FormField label={t('devices.form.foundPort')}>
        <select value={listed ? draft.path : ''} data-testid="device-serial-port" onChange={(e) => e.target.value && set({ path: e.target.value })}>
          <option value="">{t('devices.form.pickPort')}</option>
          {ports?.serial.map((p) => (
            <option key={p.path} value={p.path}>
              {p.label || p.path}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label={t('devices.form.path')} error={errors.path} testId="device-error-path">
        <input value={draft.path} maxLength={200} placeholder={t('devices.form.pathHint')} data-testid="device-serial-path" onChange={(e) => set({ path: e.target.value })} />
      </FormField>
      <FormField label={t('devices.form.baud')} error={errors.baudRate} testId="device-error-baud">
        <select value={draft.baudRate} data-testid="device-baud" onChange={(e) => set({ baudRate: Number(e.target.value) })}>
          {BAUD_RATES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </FormField>
    </>
  );
}

/** Whether the list is being refreshed, found nothing, or could not be read (a native module missing). */
function PortsNote(props: Props) {
  const { t } = useTranslation();
  const { draft, ports, portsError } = props;
  if (draft.transport === 'tcp') return null;
  const found = !ports ? 0 : draft.transport === 'serial' ? ports.serial.length : draft.transport === 'usb' ? ports.usb.length : ports.hid.length;
  const errors = [...(ports?.errors ?? []), ...(portsError ? [portsError] : [])];
  return (
    <div className="muted device-form-wide device-ports-note">
      {(!ports || ports.scanning) && <span data-testid="device-ports-scanning">{t('devices.form.scanning')} </span>}
      {ports && !ports.scanning && found === 0 && <span data-testid="device-ports-none">{t('devices.form.noneFound')} </span>}
      {errors.length > 0 && <span data-testid="device-ports-errors">{t('devices.form.portErrors', { errors: errors.join('; ') })}</span>}
    </div>
  );
}
