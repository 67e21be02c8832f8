import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_CHUNK_BYTES, IMPORT_FIELDS, type ImportFieldName, type ImportPreview, type StockDocView } from '../../../src-common/rpc/schemas.js';
import { onEvent } from '../../app/events.js';
import { money, quantity } from '../../app/format.js';
import { attempt, call, errorText } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';

/** Bytes as base64 without a data: URL round trip (chunks are small). */
function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

type Stage = { kind: 'choose' } | { kind: 'uploading'; sent: number; size: number } | { kind: 'reading' } | { kind: 'preview'; importId: string; preview: ImportPreview };

/**
 * A supplier's price list (XLSX or CSV) into this delivery: the file goes up in pieces, the till
 * reads it, the clerk checks the columns and sees every refused row with its reason, then the good
 * rows become the invoice lines.
 */
export function SupplierFileDialog(props: { docId: string; lang: Language; onClose: () => void; onApplied: (doc: StockDocView) => void }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [override, setOverride] = useState<Partial<Record<ImportFieldName, number | null>>>({});
  const [busy, setBusy] = useState(false);

  const load = async (importId: string, o = override) => {
    const preview = await attempt('imports.preview', { importId, override: o });
    if (preview) setStage({ kind: 'preview', importId, preview });
    else setStage({ kind: 'choose' });
  };

  const upload = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const begun = await attempt('imports.begin', { name: file.name, size: bytes.length });
    if (!begun) return;
    try {
      for (let offset = 0; offset < bytes.length; offset += IMPORT_CHUNK_BYTES) {
        setStage({ kind: 'uploading', sent: offset, size: bytes.length });
        await call('imports.chunk', { importId: begun.id, offset, data: base64(bytes.subarray(offset, offset + IMPORT_CHUNK_BYTES)) });
      }
      setStage({ kind: 'reading' });
      const s = await call('imports.finish', { importId: begun.id });
      if (s.state === 'ready') await load(begun.id, {});
      else waitFor(begun.id);
    } catch (e) {
      showToast(errorText(e));
      setStage({ kind: 'choose' });
    }
  };

  // The till reads the file in the background and says when it is done.
  const [waiting, setWaiting] = useState<string | null>(null);
  const waitFor = (id: string) => setWaiting(id);
  useEffect(() => {
    if (!waiting) return;
    const off = onEvent('import.changed', (s) => {
      if (s.id !== waiting) return;
      setWaiting(null);
      if (s.state === 'ready') void load(s.id, {});
      else {
        showToast(t(`import.reasons.${s.error?.code ?? 'file_damaged'}`, { defaultValue: t('errors.import_failed') }));
        setStage({ kind: 'choose' });
      }
    });
    // It may have finished before we listened.
    void call('imports.status', { importId: waiting }).then((s) => {
      if (s.state === 'ready' || s.state === 'failed') {
        off();
        setWaiting(null);
        if (s.state === 'ready') void load(s.id, {});
        else {
          showToast(t(`import.reasons.${s.error?.code ?? 'file_damaged'}`, { defaultValue: t('errors.import_failed') }));
          setStage({ kind: 'choose' });
        }
      }
    }, () => undefined);
    return off;
  }, [waiting]);

  const apply = async (importId: string) => {
    setBusy(true);
    const r = await attempt('imports.toReceiving', { docId: props.docId, importId, override });
    setBusy(false);
    if (!r) return;
    showToast(t('import.applied', { lines: r.lines, created: r.created, rejected: r.rejected }), 'info');
    props.onApplied(r.doc);
  };

  const setColumn = (field: ImportFieldName, value: string, importId: string) => {
    const next = { ...override, [field]: value === '' ? null : Number(value) };
    setOverride(next);
    void load(importId, next);
  };

  return (
    <Dialog title={t('import.title')} onClose={props.onClose} testId="import-dialog" wide>
      {stage.kind === 'choose' && (
        <label>
          {t('import.choose')}
          <input
            type="file"
            data-testid="import-file"
            accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
            }}
          />
        </label>
      )}
      {stage.kind === 'uploading' && <p data-testid="import-progress">{t('import.uploading', { percent: Math.floor((stage.sent / stage.size) * 100) })}</p>}
      {stage.kind === 'reading' && <p data-testid="import-progress">{t('import.reading')}</p>}
      {stage.kind === 'preview' && (
        <div className="import-preview" data-testid="import-preview">
          <p data-testid="import-summary">{t('import.summary', { good: stage.preview.goodCount, rejected: stage.preview.rejected, total: stage.preview.total })}</p>
          <div className="import-mapping">
            {IMPORT_FIELDS.map((f) => (
              <label key={f}>
                {t(`import.fields.${f}`)}
                <select data-testid={`import-map-${f}`} value={stage.preview.mapping[f] ?? ''} onChange={(e) => setColumn(f, e.target.value, stage.importId)}>
                  <option value="">{t('import.notImported')}</option>
                  {stage.preview.header.map((h, i) => (
                    <option key={i} value={i}>
                      {h || t('import.column', { n: i + 1 })}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          {stage.preview.missingFields.length > 0 && (
            <p className="field-error">{t('import.reasons.mapping_incomplete', { fields: stage.preview.missingFields.map((f) => t(`import.fields.${f}`)).join(', ') })}</p>
          )}
          {stage.preview.issues.length > 0 && (
            <>
              <h4>{t('import.refused')}</h4>
              <table className="admin-table" data-testid="import-issues">
                <tbody>
                  {stage.preview.issues.map((i, k) => (
                    <tr key={k} data-testid="import-issue" data-row={i.row} data-code={i.code}>
                      <td>{t('import.row', { row: i.row })}</td>
                      <td>{i.field ? t(`import.fields.${i.field}`) : ''}</td>
                      <td>{t(`import.issues.${i.code}`, { ...i.details, defaultValue: i.code })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h4>{t('import.sample')}</h4>
          <table className="admin-table" data-testid="import-rows">
            <tbody>
              {stage.preview.rows.map((r) => (
                <tr key={r.row}>
                  <td>{r.barcodes[0] ?? r.sku ?? ''}</td>
                  <td>{r.name}</td>
                  <td className="num">{r.qty === null ? '' : quantity(r.qty, r.unit ?? 'pcs', lang)}</td>
                  <td className="num">{r.cost === null ? '' : money(r.cost, info, lang)}</td>
                  <td className="num">{r.price === null ? '' : money(r.price, info, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button onClick={props.onClose}>{t('stock.back')}</button>
            <button
              className="primary"
              data-testid="import-apply"
              disabled={busy || stage.preview.goodCount === 0 || stage.preview.missingFields.length > 0}
              onClick={() => void apply(stage.importId)}
            >
              {t('import.apply', { count: stage.preview.goodCount })}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
