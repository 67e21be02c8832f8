import { useTranslation } from 'react-i18next';
import type { DeviceView } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';
import { DeviceTests, ScanTest, type ScannedCode } from './DeviceTests.js';
import { EmulatedScaleLoad } from './EmulatedScaleLoad.js';
import { isConfigurableKind, transportText } from './device-form.js';

/** One device: its live status, how it is connected, its last fault, its test actions. */
export function DeviceCard(props: { device: DeviceView; lang: Language; scans: readonly ScannedCode[]; onEdit: (() => void) | null }) {
  const { t } = useTranslation();
  const d = props.device;
  const connection = d.transport.kind === 'emulator' ? t('devices.transports.emulator') : `${t(`devices.transports.${d.transport.kind}`)}: ${transportText(d.transport)}`;
  const time = dateTimeFormat(props.lang, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <article className={d.enabled ? 'device-card' : 'device-card muted'} data-testid="device-row" data-status={d.status} data-device-id={d.id} data-kind={d.kind}>
      <header className="device-card-head">
        <strong data-testid="device-name">{d.name}</strong>
        <span className="muted">
          {t(`devices.kinds.${d.kind}`, { defaultValue: d.kind })} · {t(`devices.drivers.${d.driver}`, { defaultValue: t(`labels.device.drivers.${d.driver}`, { defaultValue: d.driver }) })}
        </span>
        <span className="spacer" />
        <span data-testid="device-status" className="device-status">
          <span className={d.status === 'connected' ? 'dot ok' : d.status === 'off' ? 'dot' : 'dot bad'} /> {t(`devices.status.${d.status}`)}
          {d.message && d.status !== 'connected' ? ` — ${d.message}` : ''}
        </span>
        {props.onEdit && isConfigurableKind(d.kind) && (
          <button className="small" data-testid="device-edit" onClick={props.onEdit}>
            {t('devices.edit')}
          </button>
        )}
      </header>
      <div className="muted" data-testid="device-connection">
        {connection}
      </div>
      {d.lastError && (
        <div className="device-last-error" data-testid="device-last-error">
          {t('devices.lastError', { time: time.format(d.lastError.at), message: d.lastError.message })}
        </div>
      )}
      {(d.drawerOpen !== null || d.paperNearEnd) && (
        <div className="device-sensors" data-testid="device-sensors">
          {d.drawerOpen !== null && <span data-testid="device-drawer-state" data-open={d.drawerOpen}>{t(d.drawerOpen ? 'devices.drawerOpen' : 'devices.drawerClosed')}</span>}
          {d.paperNearEnd && <span className="device-paper-low" data-testid="device-paper-low">{t('devices.paperNearEnd')}</span>}
        </div>
      )}
      <DeviceTests device={d} />
      {d.kind === 'scanner' && <ScanTest codes={props.scans} />}
      {d.kind === 'scale' && d.emulated && <EmulatedScaleLoad deviceId={d.id} />}
    </article>
  );
}
