import { useTranslation } from 'react-i18next';
import type { Result } from '../../../src-common/rpc/contract.js';

type EmulatedPaper = Result<'devices.paper'>;

/** What the emulated customer displays show now: the demo's virtual pole display. */
export function VirtualDisplays(props: { screens: Record<string, string[]> }) {
  const { t } = useTranslation();
  return (
    <>
      {Object.entries(props.screens).map(([id, lines]) => (
        <section key={id} className="virtual-paper">
          <h3>{t('devices.display')}</h3>
          <pre className="pole-display" data-testid="virtual-display">
            {lines.join('\n')}
          </pre>
        </section>
      ))}
    </>
  );
}

/** The emulated printers' paper: exactly what the ESC/POS bytes printed (the demo's virtual printer). */
export function VirtualPrinters(props: { paper: Record<string, EmulatedPaper> }) {
  const { t } = useTranslation();
  return (
    <>
      {Object.entries(props.paper).map(([id, p]) => (
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
    </>
  );
}
