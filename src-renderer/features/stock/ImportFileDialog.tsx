import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  IMPORT_CHUNK_BYTES,
  IMPORT_FIELDS,
  type CommerceMLPreview,
  type ImportFieldName,
  type ImportIssueView,
  type ImportPreview,
  type StockDocView,
} from '../../../src-common/rpc/schemas.js';
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

/** One file up in pieces; resolves with its upload id once the till has read it (or says why it cannot). */
async function uploadFile(file: File, progress: (sent: number, size: number) => void, rowsRead: (n: number) => void): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const begun = await call('imports.begin', { name: file.name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += IMPORT_CHUNK_BYTES) {
    progress(offset, bytes.length);
    await call('imports.chunk', { importId: begun.id, offset, data: base64(bytes.subarray(offset, offset + IMPORT_CHUNK_BYTES)) });
  }
  await call('imports.finish', { importId: begun.id });
  await readDone(begun.id, (n) => rowsRead(n));
  return begun.id;
}

/** The till reads a file in the background: wait for it, telling how many rows it has read (a failure throws its reason). */
async function readDone(importId: string, rows?: (n: number) => void): Promise<void> {
  for (;;) {
    const s = await call('imports.status', { importId });
    if (s.state === 'ready') return;
    if (s.state === 'failed') throw new Error(s.error?.code ?? 'file_damaged');
    rows?.(s.rowsRead);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type ImportTarget = { kind: 'receiving'; docId: string } | { kind: 'catalog' };

type Stage =
  | { kind: 'choose' }
  | { kind: 'working'; text: string }
  | { kind: 'table'; importId: string; preview: ImportPreview }
  | { kind: 'commerceml'; importId: string; offersId: string | null; preview: CommerceMLPreview };

/**
 * A file into the till: a supplier's price list (XLSX or CSV) into a delivery's invoice, or a price
 * list or a 1C CommerceML exchange (import.xml with offers.xml) into the catalog. The file goes up
 * in pieces, the till reads it, the person checks the columns (or the price type) and sees every
 * refused row with its reason, then the good rows are applied in one transaction.
 */
export function ImportFileDialog(props: {
  target: ImportTarget;
  lang: Language;
  onClose: () => void;
  onReceiving?: (doc: StockDocView) => void;
  onCatalog?: () => void;
}) {
  const { t } = useTranslation();
  const { lang, target } = props;
  const info = useApp((s) => s.info);
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [override, setOverride] = useState<Partial<Record<ImportFieldName, number | null>>>({});
  const [busy, setBusy] = useState(false);

  const fail = (e: unknown) => {
    const reason = e instanceof Error && /^[a-z_]+$/.test(e.message) ? e.message : null;
    showToast(reason ? t(`import.reasons.${reason}`, { defaultValue: t('errors.import_failed') }) : errorText(e));
    setStage({ kind: 'choose' });
  };
  const progress = (sent: number, size: number) => setStage({ kind: 'working', text: t('import.uploading', { percent: Math.floor((sent / size) * 100) }) });
  const reading = (rows: number) => setStage({ kind: 'working', text: rows > 0 ? t('import.readingRows', { rows }) : t('import.reading') });

  const previewTable = async (importId: string, o = override) => {
    const preview = await attempt('imports.preview', { importId, override: o });
    setStage(preview ? { kind: 'table', importId, preview } : { kind: 'choose' });
  };
  const readExchange = async (importId: string, offersId: string | null, priceType?: { id: string }) => {
    setStage({ kind: 'working', text: t('import.reading') });
    await call('imports.commerceml', { importId, offersId, ...(priceType ? { priceType } : {}) });
    await readDone(importId, reading);
    const preview = await call('imports.commercemlPreview', { importId });
    setStage({ kind: 'commerceml', importId, offersId, preview });
  };

  const choose = async (files: File[]) => {
    try {
      const xml = files.filter((f) => /\.xml$/i.test(f.name));
      if (xml.length > 0 && target.kind === 'catalog') {
        const offers = xml.find((f) => /offers/i.test(f.name)) ?? null;
        const main = xml.find((f) => f !== offers) ?? null;
        if (!main) return fail(new Error('file_format'));
        const importId = await uploadFile(main, progress, reading);
        const offersId = offers ? await uploadFile(offers, progress, reading) : null;
        await readExchange(importId, offersId);
        return;
      }
      const file = files[0];
      if (!file) return;
      const importId = await uploadFile(file, progress, reading);
      setStage({ kind: 'working', text: t('import.reading') });
      await previewTable(importId, {});
    } catch (e) {
      fail(e);
    }
  };

  const apply = async (importId: string) => {
    setBusy(true);
    if (target.kind === 'receiving') {
      const r = await attempt('imports.toReceiving', { docId: target.docId, importId, override });
      setBusy(false);
      if (!r) return;
      showToast(t('import.applied', { lines: r.lines, created: r.created, rejected: r.rejected }), 'info');
      props.onReceiving?.(r.doc);
    } else {
      const r = await attempt('imports.toCatalog', { importId, ...(stage.kind === 'table' ? { override } : {}) });
      setBusy(false);
      if (!r) return;
      showToast(t('import.appliedCatalog', r), 'info');
      props.onCatalog?.();
    }
  };

  const setColumn = (field: ImportFieldName, value: string, importId: string) => {
    const next = { ...override, [field]: value === '' ? null : Number(value) };
    setOverride(next);
    void previewTable(importId, next);
  };

  const applyButton = (importId: string, count: number, disabled: boolean) => (
    <div className="actions">
      <button onClick={props.onClose}>{t('stock.back')}</button>
      <button className="primary" data-testid="import-apply" disabled={busy || disabled || count === 0} onClick={() => void apply(importId)}>
        {t(target.kind === 'receiving' ? 'import.apply' : 'import.applyCatalog', { count })}
      </button>
    </div>
  );

  return (
    <Dialog title={t(target.kind === 'receiving' ? 'import.title' : 'import.titleCatalog')} onClose={props.onClose} testId="import-dialog" wide>
      {stage.kind === 'choose' && (
        <label>
          {t(target.kind === 'receiving' ? 'import.choose' : 'import.chooseCatalog')}
          <input
            type="file"
            data-testid="import-file"
            multiple={target.kind === 'catalog'}
            accept={target.kind === 'catalog' ? '.xlsx,.csv,.txt,.xml' : '.xlsx,.csv,.txt'}
            onChange={(e) => void choose([...(e.target.files ?? [])])}
          />
        </label>
      )}
      {stage.kind === 'working' && <p data-testid="import-progress">{stage.text}</p>}
      {stage.kind === 'table' && (
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
          <Issues issues={stage.preview.issues} />
          <Sample rows={stage.preview.rows} lang={lang} money={(a) => money(a, info, lang)} />
          {applyButton(stage.importId, stage.preview.goodCount, stage.preview.missingFields.length > 0)}
        </div>
      )}
      {stage.kind === 'commerceml' && (
        <div className="import-preview" data-testid="import-preview">
          <p data-testid="import-summary">{t('import.summary', { good: stage.preview.goodCount, rejected: stage.preview.rejected, total: stage.preview.total })}</p>
          {stage.preview.priceTypes.length > 0 && (
            <label>
              {t('import.priceType')}
              <select
                data-testid="import-price-type"
                value={stage.preview.priceType?.id ?? ''}
                onChange={(e) => void readExchange(stage.importId, stage.offersId, { id: e.target.value }).catch(fail)}
              >
                {stage.preview.priceType === null && <option value="">—</option>}
                {stage.preview.priceTypes.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <Issues issues={stage.preview.issues} />
          <Sample rows={stage.preview.products} lang={lang} money={(a) => money(a, info, lang)} />
          {applyButton(stage.importId, stage.preview.goodCount, false)}
        </div>
      )}
    </Dialog>
  );
}

function Issues(props: { issues: ImportIssueView[] }) {
  const { t } = useTranslation();
  if (props.issues.length === 0) return null;
  return (
    <>
      <h4>{t('import.refused')}</h4>
      <table className="admin-table" data-testid="import-issues">
        <tbody>
          {props.issues.map((i, k) => (
            <tr key={k} data-testid="import-issue" data-row={i.row} data-code={i.code}>
              <td>{t('import.row', { row: i.row })}</td>
              <td>{i.field ? t(`import.fields.${i.field}`) : ''}</td>
              <td>{t(`import.issues.${i.code}`, { ...i.details, defaultValue: i.code })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Sample(props: { rows: ImportPreview['rows']; lang: Language; money: (a: number) => string }) {
  const { t } = useTranslation();
  return (
    <>
      <h4>{t('import.sample')}</h4>
      <table className="admin-table" data-testid="import-rows">
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.row}>
              <td>{r.barcodes[0] ?? r.sku ?? ''}</td>
              <td>{r.name}</td>
              <td className="num">{r.qty === null ? '' : quantity(r.qty, r.unit ?? 'pcs', props.lang)}</td>
              <td className="num">{r.cost === null ? '' : props.money(r.cost)}</td>
              <td className="num">{r.price === null ? '' : props.money(r.price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
