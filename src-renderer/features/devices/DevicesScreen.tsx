import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseQty } from '../../../src-common/money.js';
import type { DeviceView } from '../../../src-common/rpc/schemas.js';
import { call, errorText } from '../../app/rpc.js';
import { toCheckout, useEscapeToCheckout } from '../../app/store.js';
import { FieldError } from '../../ui/FieldError.js';

interface Paper {
  receipts: { lines: string[]; cut: boolean; qrs: string[]; barcodes: string[] }[];
  drawerKicks: number;
}

/** Demo: put a load on the emulated scale's pan, as a customer puts apples on a real one. */
function EmulatedScaleLoad(props: { deviceId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const place = async () => {
    const kg = parseQty(text);
    if (kg === null) return setError(t('dialog.invalidNumber'));
    setError(null);
    try {
      await call('devices.emulatorLoad', { deviceId: props.deviceId, grams: kg });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <span className="scale-load">
      <label>
        {t('scale.load')}{' '}
        <input value={text} inputMode="decimal" size={7} data-testid="scale-load-input" onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void place()} />
      </label>
      <button className="small" data-testid="scale-load-place" onClick={() => void place()}>
        {t('scale.place')}
      </button>
      <FieldError text={error} testId="scale-load-error" />
    </span>
  );
}

/**
 * The till's devices with their live connection state, and for an emulated printer its paper:
 * the demo's "virtual printer", showing exactly what the ESC/POS bytes printed.
 */
export function DevicesScreen() {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [paper, setPaper] = useState<Record<string, Paper>>({});
  const [screens, setScreens] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  useEscapeToCheckout();

  const load = useCallback(async () => {
    try {
      const list = await call('devices.list', {});
      setDevices(list);
      const papers: Record<string, Paper> = {};
      for (const d of list.filter((x) => x.emulated && x.kind === 'printer')) papers[d.id] = await call('devices.paper', { deviceId: d.id, last: 3 });
      setPaper(papers);
      const shown: Record<string, string[]> = {};
      for (const d of list.filter((x) => x.emulated && x.kind === 'display')) shown[d.id] = (await call('devices.display', { deviceId: d.id })).lines;
      setScreens(shown);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 1_000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <main className="admin-screen" data-testid="devices-screen">
      <header className="admin-head">
        <h2>{t('devices.title')}</h2>
        <span className="spacer" />
        <button data-testid="devices-back" onClick={toCheckout}>
          {t('admin.back')} <kbd>Esc</kbd>
        </button>
      </header>
      <section className="admin-panel">
        <FieldError text={error} testId="devices-error" />
        {devices.length === 0 && <p className="muted">{t('devices.none')}</p>}
        <table className="admin-table">
          <tbody>
            {devices.map((d) => (
              <tr key={d.id} data-testid="device-row" data-status={d.status}>
                <td>{d.name}</td>
                <td>{t(`devices.kinds.${d.kind}`, { defaultValue: d.kind })}</td>
                <td className="muted">{d.connection}</td>
                <td data-testid="device-status">
                  <span className={d.status === 'connected' ? 'dot ok' : 'dot bad'} /> {t(`devices.status.${d.status}`)}
                  {d.message && d.status !== 'connected' ? ` — ${d.message}` : ''}
                </td>
                <td>{d.kind === 'scale' && d.emulated && <EmulatedScaleLoad deviceId={d.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {Object.entries(screens).map(([id, lines]) => (
          <section key={id} className="virtual-paper">
            <h3>{t('devices.display')}</h3>
            <pre className="pole-display" data-testid="virtual-display">
              {lines.join('\n')}
            </pre>
          </section>
        ))}
        {Object.entries(paper).map(([id, p]) => (
          <section key={id} className="virtual-paper" data-testid="virtual-printer">
            <h3>
              {t('devices.paper')} · {t('devices.drawerKicks', { count: p.drawerKicks })}
            </h3>
            {p.receipts.length === 0 && <p className="muted">{t('devices.paperEmpty')}</p>}
            {p.receipts.map((r, i) => (
              <pre key={i} className="paper" data-testid="virtual-receipt">
                {r.lines.join('\n')}
                {r.barcodes.map((b) => `\n[${b}]`).join('')}
                {r.qrs.map((q) => `\n[QR ${q}]`).join('')}
                {r.cut ? '\n✂ ─ ─ ─ ─ ─ ─' : ''}
              </pre>
            ))}
          </section>
        ))}
      </section>
    </main>
  );
}
