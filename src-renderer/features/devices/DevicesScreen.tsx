import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../src-common/rpc/contract.js';
import type { DeviceView } from '../../../src-common/rpc/schemas.js';
import type { EmulatedLabels } from '../../../src-common/rpc/label-schemas.js';
import { useEvent } from '../../app/events.js';
import { call, errorText } from '../../app/rpc.js';
import { toCheckout, useEscapeToCheckout, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { CustomerScreenLink } from '../customer-display/CustomerScreenLink.js';
import { DeviceCard } from './DeviceCard.js';
import { DeviceForm } from './DeviceForm.js';
import type { ScannedCode } from './DeviceTests.js';
import { VirtualDisplays, VirtualPrinters } from './VirtualPanels.js';
import { VirtualLabels } from './VirtualLabels.js';
import { draftFromDevice, newDraft, type DeviceDraft } from './device-form.js';

const POLL_MS = 1_000;
/** Codes kept per scanner in its scan test. */
const SCANS_SHOWN = 5;

/**
 * The till's devices with their live state, last fault and test actions; who holds `settings`
 * adds, edits and removes them. An emulated printer shows its paper and an emulated display its
 * text: the demo's virtual devices.
 */
export function DevicesScreen() {
  const { t, i18n } = useTranslation();
  const lang: Language = i18n.language === 'en' ? 'en' : 'ru';
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [paper, setPaper] = useState<Record<string, Result<'devices.paper'>>>({});
  const [screens, setScreens] = useState<Record<string, string[]>>({});
  const [labels, setLabels] = useState<Record<string, EmulatedLabels>>({});
  const [scans, setScans] = useState<Record<string, ScannedCode[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<DeviceDraft | null>(null);
  const permissions = useMyPermissions();
  const canEdit = permissions.includes('settings');
  // The emulated label printer's labels are price tags: shown to whoever works with stock.
  const canSeeLabels = useRef(false);
  canSeeLabels.current = permissions.includes('stock');
  useEscapeToCheckout(form === null);

  const loads = useRef(0);
  const load = useCallback(async () => {
    const seq = ++loads.current;
    try {
      const list = await call('devices.list', {});
      const papers: Record<string, Result<'devices.paper'>> = {};
      for (const d of list.filter((x) => x.emulated && x.kind === 'printer')) papers[d.id] = await call('devices.paper', { deviceId: d.id, last: 3 });
      const shown: Record<string, string[]> = {};
      for (const d of list.filter((x) => x.emulated && x.kind === 'display')) shown[d.id] = (await call('devices.display', { deviceId: d.id })).lines;
      const printed: Record<string, EmulatedLabels> = {};
      if (canSeeLabels.current) {
        for (const d of list.filter((x) => x.emulated && x.kind === 'label' && x.enabled)) {
          // One printer that cannot say (not started) must not blank the whole screen.
          const p = await call('labels.emulated', { deviceId: d.id, last: 3 }).catch(() => null);
          if (p) printed[d.id] = p;
        }
      }
      // An older answer that arrives late must not replace a newer one.
      if (seq !== loads.current) return;
      setDevices(list);
      setPaper(papers);
      setScreens(shown);
      setLabels(printed);
      setError(null);
    } catch (e) {
      if (seq === loads.current) setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEvent('devices.changed', () => void load());
  useEvent('device.status', () => void load());
  useEvent('scanner.scan', ({ deviceId, code, symbology }) =>
    setScans((prev) => ({ ...prev, [deviceId]: [{ code, symbology, at: Date.now() }, ...(prev[deviceId] ?? [])].slice(0, SCANS_SHOWN) })),
  );

  const closeForm = useCallback(() => setForm(null), []);
  const saved = useCallback(() => {
    setForm(null);
    void load();
  }, [load]);

  return (
    <main className="admin-screen" data-testid="devices-screen">
      <header className="admin-head">
        <h2>{t('devices.title')}</h2>
        <span className="spacer" />
        <CustomerScreenLink />
        {canEdit && (
          <button className="primary" data-testid="device-add" onClick={() => setForm({ ...newDraft(), name: t('devices.kinds.printer') })}>
            {t('devices.add')}
          </button>
        )}
        <button data-testid="devices-back" onClick={toCheckout}>
          {t('admin.back')} <kbd>Esc</kbd>
        </button>
      </header>
      <section className="admin-panel">
        <FieldError text={error} testId="devices-error" />
        {devices.length === 0 && <p className="muted">{t('devices.none')}</p>}
        <div className="device-list">
          {devices.map((d) => (
            <DeviceCard key={d.id} device={d} lang={lang} scans={scans[d.id] ?? []} onEdit={canEdit ? () => setForm(draftFromDevice(d)) : null} />
          ))}
        </div>
        <VirtualDisplays screens={screens} />
        <VirtualPrinters paper={paper} />
        <VirtualLabels printers={labels} />
      </section>
      {form && <DeviceForm key={form.id ?? 'new'} initial={form} onClose={closeForm} onSaved={saved} />}
    </main>
  );
}
