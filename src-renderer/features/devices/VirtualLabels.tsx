import { useTranslation } from 'react-i18next';
import type { EmulatedLabels } from '../../../src-common/rpc/label-schemas.js';

/**
 * What the emulated label printers printed (the demo's virtual label printer): each label as the
 * paper would look (its barcode drawn from the bytes the printer got) and the text the printer
 * decoded, newest last.
 */
export function VirtualLabels(props: { printers: Record<string, EmulatedLabels> }) {
  const { t } = useTranslation();
  return (
    <>
      {Object.entries(props.printers).map(([id, p]) => (
        <section key={id} className="virtual-paper" data-testid="virtual-label-printer" data-device-id={id} data-printed={p.printed}>
          <h3>
            {t('labels.device.virtual')} · {t('labels.device.virtualSummary', { printed: p.printed })}
            {p.waiting > 0 || p.faults.length > 0 ? ` · ${t('labels.device.virtualHeld', { count: p.waiting, faults: p.faults.join(', ') })}` : ''}
          </h3>
          {p.labels.length === 0 && <p className="muted">{t('labels.device.virtualEmpty')}</p>}
          <div className="virtual-labels">
            {p.labels.map((l, i) => (
              <figure key={i} className="virtual-label" data-testid="virtual-label" data-count={l.count}>
                <img
                  data-testid="virtual-label-image"
                  alt={t('labels.device.virtualImage')}
                  src={`data:image/png;base64,${l.png}`}
                  width={l.widthDots ?? undefined}
                  height={l.heightDots ?? undefined}
                  style={{ border: '1px solid #ccc', background: '#fff', maxWidth: '100%', height: 'auto', imageRendering: 'pixelated' }}
                />
                <figcaption>
                  <pre className="paper" data-testid="virtual-label-text">
                    {l.texts.join('\n')}
                    {l.barcodes.map((b) => `\n[${b.symbology} ${b.data}]`).join('')}
                  </pre>
                  {l.count > 1 && <span className="muted">{t('labels.device.virtualCopies', { count: l.count })}</span>}
                </figcaption>
              </figure>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
