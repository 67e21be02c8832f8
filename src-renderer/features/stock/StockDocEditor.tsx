import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney, parseQty } from '../../../src-common/money.js';
import type { StockDocLineView, StockDocView, SupplierView } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat, money, moneyInput, quantity } from '../../app/format.js';
import { RpcError } from '../../../src-common/rpc/client.js';
import { attempt, call, reportError } from '../../app/rpc.js';
import { showToast, useApp, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { setScanInterceptor } from '../checkout/scan.js';
import { CellInput } from './CellInput.js';
import { DOC_POST_HINT, DOC_POSTED, DOC_TITLE } from './doc-kinds.js';
import { downloadExport } from './download.js';
import { NewProductDialog } from './NewProductDialog.js';
import { ImportFileDialog } from './ImportFileDialog.js';
import { SupplierPicker } from './SupplierPicker.js';

/**
 * One stock document being filled in: a supplier's delivery counted against the invoice, or a
 * count. Scans (a wedge or an attached scanner, anywhere on the screen) count one unit each; the
 * table shows what differs from the invoice as it goes; posting asks once and is final.
 */
export function StockDocEditor(props: { docId: string; lang: Language; onClose: () => void; onOpen?: (docId: string) => void }) {
  const { t } = useTranslation();
  const { lang, onClose } = props;
  const info = useApp((s) => s.info);
  const mine = useMyPermissions();
  const [doc, setDoc] = useState<StockDocView | null>(null);
  const [code, setCode] = useState('');
  const [confirm, setConfirm] = useState<'post' | 'cancel' | null>(null);
  const [zeroUncounted, setZeroUncounted] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void attempt('stockDocs.get', { id: props.docId }).then((d) => d && setDoc(d));
  }, [props.docId]);

  const draft = doc?.state === 'draft';
  const [unknown, setUnknown] = useState<string | null>(null);
  const [fileDialog, setFileDialog] = useState(false);
  const scan = useCallback(
    async (c: string) => {
      try {
        setDoc(await call('stockDocs.scan', { docId: props.docId, code: c }));
      } catch (e) {
        // A barcode the catalog does not know: make the product on the spot, then count it.
        if (e instanceof RpcError && e.code === 'unknown_barcode' && /^\d{8,14}$/.test(c)) setUnknown(c);
        else reportError(e);
      }
    },
    [props.docId],
  );

  // Scans anywhere on this screen count goods into the document.
  useEffect(() => {
    if (!draft) return;
    setScanInterceptor((c) => void scan(c));
    return () => setScanInterceptor(null);
  }, [draft, scan]);

  if (!doc) return <div className="admin-panel muted">{t('stock.loading')}</div>;
  const m = (a: number | null) => (a === null ? '' : money(a, info, lang));
  const receiving = doc.kind === 'receiving';
  const order = doc.kind === 'order';
  const titleKey = DOC_TITLE[doc.kind];
  const receiveOrder = async () => {
    const delivery = await attempt('receiving.create', { orderId: doc.id });
    if (delivery) props.onOpen?.(delivery.id);
  };

  const post = async () => {
    setBusy(true);
    const posted = await attempt('stockDocs.post', { docId: doc.id, zeroUncounted });
    setBusy(false);
    setConfirm(null);
    if (posted) {
      setDoc(posted);
      showToast(t(DOC_POSTED[doc.kind], { number: posted.number }), 'info');
    }
  };
  const cancel = async () => {
    const done = await attempt('stockDocs.cancel', { docId: doc.id });
    setConfirm(null);
    if (done) setDoc(done);
  };
  const setSupplier = async (s: SupplierView | null) => {
    const next = await attempt('stockDocs.update', { docId: doc.id, supplierId: s?.id ?? null });
    if (next) setDoc(next);
  };
  const setPricesFrom = async (value: string) => {
    const at = value === '' ? null : new Date(value).getTime();
    if (at !== null && !Number.isFinite(at)) return;
    if (at === doc.pricesFrom) return;
    const next = await attempt('stockDocs.update', { docId: doc.id, pricesFrom: at });
    if (next) setDoc(next);
  };
  const applyProposed = async () => {
    const next = await attempt('stockDocs.applyProposedPrices', { docId: doc.id });
    if (next) setDoc(next);
  };
  const anyProposal = doc.lines.some((l) => l.proposedPrice !== null);
  const setHeader = async (field: 'invoiceNo' | 'invoiceDate', value: string) => {
    const v = value.trim() === '' ? null : value.trim();
    if ((doc[field] ?? null) === v) return;
    const next = await attempt('stockDocs.update', { docId: doc.id, [field]: v });
    if (next) setDoc(next);
  };

  return (
    <div className="admin-panel stock-doc" data-testid="stock-doc" data-state={doc.state} data-kind={doc.kind} data-counted={doc.lines.reduce((n, l) => n + l.qty + (order ? (l.expectedQty ?? 0) : 0), 0)}>
      <header className="stock-doc-head">
        <h3>
          {t(titleKey, { number: doc.number })} · <span data-testid="stock-doc-state">{t(`stock.state.${doc.state}`)}</span>
        </h3>
        <span className="spacer" />
        <button className="small" data-testid="stock-doc-csv" onClick={() => void downloadExport({ what: 'stock_doc', docId: doc.id, format: 'csv' })}>
          CSV
        </button>
        <button className="small" data-testid="stock-doc-xlsx" onClick={() => void downloadExport({ what: 'stock_doc', docId: doc.id, format: 'xlsx' })}>
          XLSX
        </button>
        <button data-testid="stock-doc-close" onClick={onClose}>
          {t('stock.backToList')}
        </button>
      </header>
      {order && <p className="muted">{t('stock.supplier')}: {doc.supplier?.name ?? '—'}</p>}
      {doc.store && (
        <p className="muted" data-testid="stock-doc-store">
          {t(doc.kind === 'transfer_out' ? 'stock.transferTo' : 'stock.transferFrom', { store: doc.store.name })}
        </p>
      )}
      {receiving && (
        <div className="stock-doc-fields">
          <SupplierPicker value={doc.supplier} disabled={!draft} onChange={(s) => void setSupplier(s)} />
          <label>
            {t('stock.invoiceNo')}
            <input data-testid="stock-invoice-no" defaultValue={doc.invoiceNo ?? ''} disabled={!draft} maxLength={64} onBlur={(e) => void setHeader('invoiceNo', e.target.value)} />
          </label>
          <label>
            {t('stock.pricesFrom')}
            <input
              type="datetime-local"
              data-testid="stock-prices-from"
              defaultValue={doc.pricesFrom === null ? '' : localInput(doc.pricesFrom)}
              disabled={!draft || !mine.includes('prices_manage')}
              onBlur={(e) => void setPricesFrom(e.target.value)}
            />
          </label>
          <label>
            {t('stock.invoiceDate')}
            <input type="date" data-testid="stock-invoice-date" defaultValue={doc.invoiceDate ?? ''} disabled={!draft} onBlur={(e) => void setHeader('invoiceDate', e.target.value)} />
          </label>
        </div>
      )}
      {doc.kind === 'writeoff' && (
        <p className="muted" data-testid="stock-writeoff-reason">
          {t(`stock.reasons.${doc.reason ?? 'other'}`)}
          {doc.note ? ` · ${doc.note}` : ''}
        </p>
      )}
      {doc.kind === 'count' && (
        <p className="muted">
          {doc.location ? t('stock.countAt', { location: doc.location }) : doc.category ? t('stock.countCategory', { category: doc.category.name }) : t('stock.countAll')} ·{' '}
          {doc.blind && draft ? t('stock.blind') : ''}{' '}
          {t('stock.countStarted', { at: dateTimeFormat(lang).format(doc.createdAt) })}
        </p>
      )}
      {draft && receiving && (
        <div className="actions">
          <button data-testid="stock-import-file" onClick={() => setFileDialog(true)}>
            {t('import.fromFile')}
          </button>
        </div>
      )}
      {draft && (
        <div className="scan-box">
          <input
            autoFocus
            className="scan-input"
            data-testid="stock-scan"
            placeholder={t('stock.scanPlaceholder')}
            value={code}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            data-scan-target=""
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              const c = code.trim();
              setCode('');
              if (c) void scan(c);
            }}
          />
        </div>
      )}
      <div className="lines-scroll">
        <table className="admin-table stock-lines" data-testid="stock-lines">
          <thead>
            <tr>
              <th>{t('stock.product')}</th>
              {doc.kind !== 'writeoff' && <th className="num">{t(order ? 'stock.ordered' : receiving ? 'stock.expected' : 'stock.book')}</th>}
              {!order && <th className="num">{t('stock.counted')}</th>}
              {(receiving || order) && <th className="num">{t('stock.cost')}</th>}
              {receiving && <th className="num">{t('stock.price')}</th>}
              {receiving && anyProposal && <th className="num">{t('stock.proposed')}</th>}
              {receiving && <th className="num">{t('stock.newPrice')}</th>}
              {!order && <th>{t('stock.status')}</th>}
              {draft && <th />}
            </tr>
          </thead>
          <tbody>
            {doc.lines.map((l) => (
              <LineRow key={l.lineNo} doc={doc} line={l} lang={lang} canPrice={mine.includes('prices_manage')} showProposed={anyProposal} onChange={setDoc} />
            ))}
          </tbody>
        </table>
        {doc.lines.length === 0 && <div className="lines-empty">{t('stock.noLines')}</div>}
      </div>
      <footer className="stock-doc-foot">
        {doc.kind === 'writeoff' && doc.state === 'posted' && (
          <div className="stock-totals" data-testid="stock-totals">
            <span>
              {t('stock.writeoffValue')}: <strong data-testid="stock-received-cost">{m(doc.totals.receivedCost)}</strong>
            </span>
          </div>
        )}
        {order && (
          <div className="stock-totals" data-testid="stock-totals">
            <span>
              {t('stock.orderedCost')}: <strong data-testid="stock-ordered-cost">{m(doc.totals.expectedCost)}</strong>
            </span>
          </div>
        )}
        {order && doc.state === 'posted' && (
          <button className="primary" data-testid="stock-receive-order" onClick={() => void receiveOrder()}>
            {t('stock.receiveOrder')}
          </button>
        )}
        {receiving && (
          <div className="stock-totals" data-testid="stock-totals">
            <span>
              {t('stock.expectedCost')}: <strong>{m(doc.totals.expectedCost)}</strong>
            </span>
            <span>
              {t('stock.receivedCost')}: <strong data-testid="stock-received-cost">{m(doc.totals.receivedCost)}</strong>
            </span>
            <span>
              {t('stock.retailValue')}: <strong>{m(doc.totals.retailValue)}</strong>
            </span>
          </div>
        )}
        <div className="stock-diffs" data-testid="stock-diffs">
          {(['short', 'over', 'missing', 'unexpected'] as const).map((k) =>
            doc.totals[k] > 0 ? (
              <span key={k} className={`stock-status ${k}`}>
                {t(`stock.lineStatus.${k}`)}: {doc.totals[k]}
              </span>
            ) : null,
          )}
        </div>
        <span className="spacer" />
        {draft && receiving && anyProposal && mine.includes('prices_manage') && (
          <button data-testid="stock-apply-proposed" onClick={() => void applyProposed()}>
            {t('stock.applyProposed')}
          </button>
        )}
        {draft && (
          <>
            <button className="danger" data-testid="stock-cancel" onClick={() => setConfirm('cancel')}>
              {t('stock.cancelDoc')}
            </button>
            <button className="primary" data-testid="stock-post" disabled={busy} onClick={() => setConfirm('post')}>
              {t('stock.post')}
            </button>
          </>
        )}
      </footer>
      {confirm === 'post' && (
        <Dialog title={t('stock.postTitle', { number: doc.number })} onClose={() => setConfirm(null)} testId="stock-post-dialog">
          <p>{t(DOC_POST_HINT[doc.kind], { lines: doc.lines.length })}</p>
          {doc.totals.short + doc.totals.missing + doc.totals.over + doc.totals.unexpected > 0 && receiving && <p className="field-error">{t('stock.postDiffers')}</p>}
          {doc.kind === 'count' && (
            <label className="check">
              <input type="checkbox" data-testid="stock-zero-uncounted" checked={zeroUncounted} onChange={(e) => setZeroUncounted(e.target.checked)} /> {t('stock.zeroUncounted')}
            </label>
          )}
          <div className="actions">
            <button onClick={() => setConfirm(null)}>{t('stock.back')}</button>
            <button className="primary" data-testid="stock-post-confirm" disabled={busy} onClick={() => void post()}>
              {t('stock.postConfirm')}
            </button>
          </div>
        </Dialog>
      )}
      {fileDialog && (
        <ImportFileDialog
          target={{ kind: 'receiving', docId: doc.id }}
          lang={lang}
          onClose={() => setFileDialog(false)}
          onReceiving={(d) => {
            setFileDialog(false);
            setDoc(d);
          }}
        />
      )}
      {unknown !== null && (
        <NewProductDialog
          barcode={unknown}
          canPrice={mine.includes('prices_manage')}
          onClose={() => setUnknown(null)}
          onCreated={() => {
            const c = unknown;
            setUnknown(null);
            void scan(c);
          }}
        />
      )}
      {confirm === 'cancel' && (
        <Dialog title={t('stock.cancelTitle', { number: doc.number })} onClose={() => setConfirm(null)} testId="stock-cancel-dialog">
          <p>{t('stock.cancelHint')}</p>
          <div className="actions">
            <button onClick={() => setConfirm(null)}>{t('stock.back')}</button>
            <button className="danger" data-testid="stock-cancel-confirm" onClick={() => void cancel()}>
              {t('stock.cancelDoc')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

/** An instant as a datetime-local input shows it (the browser's own time zone). */
function localInput(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A line: counted quantity, and on a delivery the cost and the new retail price, saved on Enter or leaving the field. */
function LineRow(props: { doc: StockDocView; line: StockDocLineView; lang: Language; canPrice: boolean; showProposed: boolean; onChange: (d: StockDocView) => void }) {
  const { t } = useTranslation();
  const { doc, line: l, lang } = props;
  const info = useApp((s) => s.info);
  const draft = doc.state === 'draft';
  const receiving = doc.kind === 'receiving';
  const order = doc.kind === 'order';
  const digits = info?.minorDigits ?? 2;

  const save = async (field: 'qty' | 'expectedQty' | 'cost' | 'newPrice', text: string, current: number | null) => {
    const trimmed = text.trim();
    let value: number | null;
    if (trimmed === '') {
      if (field === 'qty') return;
      value = null;
    } else {
      const isQty = field === 'qty' || field === 'expectedQty';
      value = isQty ? parseQty(trimmed) : parseMoney(trimmed, digits);
      if (value === null) return showToast(t(isQty ? 'stock.badQty' : 'stock.badMoney', { text: trimmed }));
    }
    if (value === current) return;
    const next = await attempt('stockDocs.setLine', { docId: doc.id, productId: l.productId, [field]: value });
    if (next) props.onChange(next);
  };
  const input = (field: 'qty' | 'expectedQty' | 'cost' | 'newPrice', shown: string, current: number | null, enabled: boolean) => (
    <CellInput key={field} testId={`stock-${field}-${l.lineNo}`} value={shown} disabled={!enabled} numeric onSave={(text) => void save(field, text, current)} />
  );
  return (
    <tr className={`stock-line ${l.status}`} data-testid={`stock-line-${l.lineNo}`} data-status={l.status} data-product={l.productId}>
      <td>
        {l.name}
        {l.barcode && <div className="muted small">{l.barcode}</div>}
      </td>
      {doc.kind !== 'writeoff' && (
        <td className="num">
          {order && draft ? input('expectedQty', l.expectedQty === null ? '' : quantity(l.expectedQty, l.unit, lang), l.expectedQty, true) : l.expectedQty === null ? '—' : quantity(l.expectedQty, l.unit, lang)}
        </td>
      )}
      {!order && (
        <td className="num">
          {draft ? input('qty', quantity(l.qty, l.unit, lang), l.qty, true) : quantity(l.qty, l.unit, lang)}
          {draft && l.unit !== 'pcs' && info?.scale && (
            <button
              className="small"
              data-testid={`stock-weigh-${l.lineNo}`}
              title={t('stock.weigh')}
              onClick={() => void attempt('stockDocs.weigh', { docId: doc.id, productId: l.productId }).then((next) => next && props.onChange(next))}
            >
              ⚖
            </button>
          )}
        </td>
      )}
      {(receiving || order) && <td className="num">{draft ? input('cost', l.cost === null ? '' : moneyInput(l.cost, info, lang), l.cost, true) : l.cost === null ? '—' : money(l.cost, info, lang)}</td>}
      {receiving && <td className="num">{money(l.price, info, lang)}</td>}
      {receiving && props.showProposed && (
        <td className="num" data-testid={`stock-proposed-${l.lineNo}`}>
          {l.proposedPrice === null ? '' : money(l.proposedPrice, info, lang)}
        </td>
      )}
      {receiving && (
        <td className="num">
          {draft ? input('newPrice', l.newPrice === null ? '' : moneyInput(l.newPrice, info, lang), l.newPrice, props.canPrice) : l.newPrice === null ? '—' : money(l.newPrice, info, lang)}
        </td>
      )}
      {!order && <td>{doc.kind !== 'writeoff' && <span className={`stock-status ${l.status}`}>{t(`stock.lineStatus.${l.status}`)}</span>}</td>}
      {draft && (
        <td>
          <button
            className="small"
            data-testid={`stock-remove-${l.lineNo}`}
            onClick={() => void attempt('stockDocs.removeLine', { docId: doc.id, lineNo: l.lineNo }).then((next) => next && props.onChange(next))}
          >
            ✕
          </button>
        </td>
      )}
    </tr>
  );
}
