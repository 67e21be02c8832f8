import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockDocSummary, StockLevel, SupplierView } from '../../../src-common/rpc/schemas.js';
import { Dialog } from '../../ui/Dialog.js';
import { dateTimeFormat, money, quantity } from '../../app/format.js';
import { attempt, call } from '../../app/rpc.js';
import { showToast, toCheckout, useApp, useEscapeToCheckout, useMyPermissions } from '../../app/store.js';
import { parseQty } from '../../../src-common/money.js';
import type { Language } from '../../i18n/index.js';
import { DOC_TITLE } from './doc-kinds.js';
import { downloadExport } from './download.js';
import { CellInput } from './CellInput.js';
import { ImportFileDialog } from './ImportFileDialog.js';
import { PricingPanel } from './PricingPanel.js';
import { PriceTagsPanel } from '../labels/PriceTagsPanel.js';
import { StockDocEditor } from './StockDocEditor.js';

type Tab = 'documents' | 'levels' | 'tags' | 'catalog';

/** The stock clerk's screen: deliveries and counts (drafts first), and stock levels. */
export function StockScreen(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const [tab, setTab] = useState<Tab>('documents');
  const [open, setOpen] = useState<string | null>(null);
  const canSell = useMyPermissions().includes('sale');
  useEscapeToCheckout(canSell && open === null);

  const [writeoff, setWriteoff] = useState(false);
  const [ordering, setOrdering] = useState<'blank' | 'low' | null>(null);
  const [sending, setSending] = useState(false);
  const [counting, setCounting] = useState(false);
  const create = async (kind: NewDocKind) => {
    if (kind === 'writeoff') return setWriteoff(true);
    if (kind === 'transfer') return setSending(true);
    if (kind === 'order' || kind === 'orderLow') return setOrdering(kind === 'order' ? 'blank' : 'low');
    if (kind === 'count') return setCounting(true);
    const doc = await attempt('receiving.create', {});
    if (doc) setOpen(doc.id);
  };

  return (
    <main className="admin-screen" data-testid="stock-screen">
      <header className="admin-head">
        <h2>{t('stock.title')}</h2>
        <div className="segmented" role="tablist">
          {(['documents', 'levels', 'tags', 'catalog'] as const).map((k) => (
            <button
              key={k}
              role="tab"
              aria-selected={tab === k}
              className={tab === k ? 'on' : ''}
              data-testid={`stock-tab-${k}`}
              onClick={() => {
                setTab(k);
                setOpen(null);
              }}
            >
              {t(`stock.tabs.${k}`)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {canSell && (
          <button data-testid="stock-back" onClick={toCheckout}>
            {t('stock.toCheckout')} <kbd>Esc</kbd>
          </button>
        )}
      </header>
      {tab === 'documents' && open !== null && <StockDocEditor key={open} docId={open} lang={lang} onClose={() => setOpen(null)} onOpen={setOpen} />}
      {tab === 'documents' && open === null && <DocumentList lang={lang} onOpen={setOpen} onCreate={(k) => void create(k)} />}
      {tab === 'levels' && <Levels lang={lang} />}
      {tab === 'tags' && <PriceTagsPanel lang={lang} />}
      {tab === 'catalog' && <CatalogImport lang={lang} />}
      {tab === 'catalog' && <PricingPanel lang={lang} />}
      {counting && (
        <NewCount
          onClose={() => setCounting(false)}
          onCreated={(id) => {
            setCounting(false);
            setOpen(id);
          }}
        />
      )}
      {sending && (
        <NewTransfer
          onClose={() => setSending(false)}
          onCreated={(id) => {
            setSending(false);
            setOpen(id);
          }}
        />
      )}
      {ordering && (
        <NewOrder
          low={ordering === 'low'}
          onClose={() => setOrdering(null)}
          onCreated={(id) => {
            setOrdering(null);
            setOpen(id);
          }}
        />
      )}
      {writeoff && (
        <NewWriteoff
          onClose={() => setWriteoff(false)}
          onCreated={(id) => {
            setWriteoff(false);
            setOpen(id);
          }}
        />
      )}
    </main>
  );
}

/** Bring a catalog in: a price list or a 1C CommerceML exchange. */
function CatalogImport(props: { lang: Language }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div className="admin-panel">
      <p>{t('import.catalogHint')}</p>
      <div className="actions">
        <button className="primary" data-testid="catalog-import" onClick={() => setOpen(true)}>
          {t('import.titleCatalog')}
        </button>
      </div>
      {open && <ImportFileDialog target={{ kind: 'catalog' }} lang={props.lang} onClose={() => setOpen(false)} onCatalog={() => setOpen(false)} />}
    </div>
  );
}

const REASONS = ['damage', 'expiry', 'theft', 'own_use', 'other'] as const;

/** A write-off starts with its reason (and a note, which "other" needs). */
function NewWriteoff(props: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<(typeof REASONS)[number]>('damage');
  const [note, setNote] = useState('');
  const create = async () => {
    const doc = await attempt('writeoffs.create', { reason, ...(note.trim() ? { note: note.trim() } : {}) });
    if (doc) props.onCreated(doc.id);
  };
  return (
    <Dialog title={t('stock.newWriteoff')} onClose={props.onClose} testId="writeoff-dialog">
      <div className="segmented" role="radiogroup">
        {REASONS.map((r) => (
          <button key={r} role="radio" aria-checked={reason === r} className={reason === r ? 'on' : ''} data-testid={`writeoff-reason-${r}`} onClick={() => setReason(r)}>
            {t(`stock.reasons.${r}`)}
          </button>
        ))}
      </div>
      <label>
        {t('stock.note')}
        <input data-testid="writeoff-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="actions">
        <button onClick={props.onClose}>{t('stock.back')}</button>
        <button className="primary" data-testid="writeoff-create" disabled={reason === 'other' && note.trim() === ''} onClick={() => void create()}>
          {t('stock.newWriteoff')}
        </button>
      </div>
    </Dialog>
  );
}

/** An order starts with its supplier: blank, or with what is low at its reorder suggestion. */
function NewOrder(props: { low: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [suppliers, setSuppliers] = useState<SupplierView[]>([]);
  const [supplierId, setSupplierId] = useState('');
  useEffect(() => {
    void call('suppliers.list', {}).then((list) => {
      setSuppliers(list);
      if (list[0]) setSupplierId(String(list[0].id));
    }, () => undefined);
  }, []);
  const create = async () => {
    const id = Number(supplierId);
    const doc = props.low ? await attempt('orders.fromLowStock', { supplierId: id }) : await attempt('orders.create', { supplierId: id });
    if (doc) props.onCreated(doc.id);
  };
  return (
    <Dialog title={t(props.low ? 'stock.orderLow' : 'stock.newOrder')} onClose={props.onClose} testId="order-dialog">
      <label>
        {t('stock.supplier')}
        <select data-testid="order-supplier" value={supplierId} onChange={(e) => setSupplierId(e.target.value)}>
          {suppliers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      {suppliers.length === 0 && <p className="field-error">{t('stock.noSuppliers')}</p>}
      <div className="actions">
        <button onClick={props.onClose}>{t('stock.back')}</button>
        <button className="primary" data-testid="order-create" disabled={supplierId === ''} onClick={() => void create()}>
          {t(props.low ? 'stock.orderLow' : 'stock.newOrder')}
        </button>
      </div>
    </Dialog>
  );
}

/** A count: everything, or one location; blind (the book hidden) unless unticked. */
function NewCount(props: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [location, setLocation] = useState('');
  const [blind, setBlind] = useState(true);
  const create = async () => {
    const doc = await attempt('counts.create', { blind, location: location.trim() === '' ? null : location.trim() });
    if (doc) props.onCreated(doc.id);
  };
  return (
    <Dialog title={t('stock.newCount')} onClose={props.onClose} testId="count-dialog">
      <label>
        {t('stock.countLocation')}
        <input data-testid="count-location" value={location} maxLength={64} placeholder={t('stock.countAll')} onChange={(e) => setLocation(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" data-testid="count-blind" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> {t('stock.blindLabel')}
      </label>
      <div className="actions">
        <button onClick={props.onClose}>{t('stock.back')}</button>
        <button className="primary" data-testid="count-create" onClick={() => void create()}>
          {t('stock.newCount')}
        </button>
      </div>
    </Dialog>
  );
}

type NewDocKind = 'receiving' | 'count' | 'writeoff' | 'order' | 'orderLow' | 'transfer';

/** A transfer starts with the store it goes to (the chain's stores come from the head office). */
function NewTransfer(props: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [stores, setStores] = useState<{ id: string; name: string }[] | null>(null);
  const [storeId, setStoreId] = useState('');
  useEffect(() => {
    void call('stores.list', {}).then((list) => {
      setStores(list);
      if (list[0]) setStoreId(list[0].id);
    }, () => setStores([]));
  }, []);
  const create = async () => {
    const doc = await attempt('transfers.create', { toStoreId: storeId });
    if (doc) props.onCreated(doc.id);
  };
  return (
    <Dialog title={t('stock.newTransfer')} onClose={props.onClose} testId="transfer-dialog">
      <label>
        {t('stock.transferToStore')}
        <select data-testid="transfer-store" value={storeId} onChange={(e) => setStoreId(e.target.value)}>
          {(stores ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      {stores !== null && stores.length === 0 && <p className="field-error">{t('stock.noStores')}</p>}
      <div className="actions">
        <button onClick={props.onClose}>{t('stock.back')}</button>
        <button className="primary" data-testid="transfer-create" disabled={storeId === ''} onClick={() => void create()}>
          {t('stock.newTransfer')}
        </button>
      </div>
    </Dialog>
  );
}

function DocumentList(props: { lang: Language; onOpen: (id: string) => void; onCreate: (kind: NewDocKind) => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [docs, setDocs] = useState<StockDocSummary[] | null>(null);
  useEffect(() => {
    void call('stockDocs.list', { limit: 100 }).then(setDocs, () => setDocs([]));
  }, []);
  const sorted = (docs ?? []).slice().sort((a, b) => Number(b.state === 'draft') - Number(a.state === 'draft'));
  return (
    <div className="admin-panel">
      <div className="actions">
        <button className="primary" data-testid="stock-new-receiving" onClick={() => props.onCreate('receiving')}>
          {t('stock.newReceiving')}
        </button>
        <button data-testid="stock-new-count" onClick={() => props.onCreate('count')}>
          {t('stock.newCount')}
        </button>
        <button data-testid="stock-new-writeoff" onClick={() => props.onCreate('writeoff')}>
          {t('stock.newWriteoff')}
        </button>
        <button data-testid="stock-new-transfer" onClick={() => props.onCreate('transfer')}>
          {t('stock.newTransfer')}
        </button>
        <button data-testid="stock-new-order" onClick={() => props.onCreate('order')}>
          {t('stock.newOrder')}
        </button>
        <button data-testid="stock-order-low" onClick={() => props.onCreate('orderLow')}>
          {t('stock.orderLow')}
        </button>
      </div>
      <table className="admin-table" data-testid="stock-docs">
        <thead>
          <tr>
            <th>{t('stock.document')}</th>
            <th>{t('stock.supplier')}</th>
            <th>{t('stock.created')}</th>
            <th>{t('stock.stateLabel')}</th>
            <th className="num">{t('stock.receivedCost')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((d) => (
            <tr key={d.id} className="clickable" data-testid={`stock-doc-${d.number}-${d.kind}`} onClick={() => props.onOpen(d.id)}>
              <td>{t(DOC_TITLE[d.kind], { number: d.number })}</td>
              <td>{d.store?.name ?? d.supplier?.name ?? (d.invoiceNo ? '' : '—')} {d.invoiceNo ? `· ${d.invoiceNo}` : ''}</td>
              <td>{dateTimeFormat(props.lang).format(d.createdAt)}</td>
              <td>{t(`stock.state.${d.state}`)}</td>
              <td className="num">{d.kind !== 'count' && d.state !== 'draft' ? money(d.totals.receivedCost, info, props.lang) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {docs !== null && docs.length === 0 && <p className="muted">{t('stock.noDocs')}</p>}
    </div>
  );
}

function Levels(props: { lang: Language }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [text, setText] = useState('');
  const [lowOnly, setLowOnly] = useState(false);
  const [rows, setRows] = useState<StockLevel[]>([]);
  useEffect(() => {
    const timer = setTimeout(() => {
      void call('stock.levels', { ...(text.trim() ? { text: text.trim() } : {}), lowOnly, limit: 200 }).then(setRows, () => setRows([]));
    }, 120);
    return () => clearTimeout(timer);
  }, [text, lowOnly]);
  const saveLocation = async (r: StockLevel, text: string) => {
    const location = text.trim() === '' ? null : text.trim();
    if (location === r.location) return;
    const next = await attempt('stock.setLocation', { productId: r.productId, location });
    if (next) setRows((list) => list.map((x) => (x.productId === next.productId ? next : x)));
  };
  const printTag = async (productId: number) => {
    const job = await attempt('labels.print', { items: [{ productId, copies: 1 }] });
    if (job) showToast(t('stock.tagQueued', { printer: job.deviceName }), 'info');
  };
  const saveMinimum = async (r: StockLevel, field: 'minQty' | 'orderPack', text: string) => {
    const trimmed = text.trim();
    const value = trimmed === '' ? null : parseQty(trimmed);
    if (value === null && trimmed !== '') return showToast(t('stock.badQty', { text: trimmed }));
    if (value === r[field]) return;
    const next = await attempt('stock.setMinimum', {
      productId: r.productId,
      minQty: field === 'minQty' ? value : r.minQty,
      orderPack: field === 'orderPack' ? (value === 0 ? null : value) : r.orderPack,
    });
    if (next) setRows((list) => list.map((x) => (x.productId === next.productId ? next : x)));
  };
  const minimumInput = (r: StockLevel, field: 'minQty' | 'orderPack') => (
    <CellInput
      testId={`stock-level-${field}-${r.productId}`}
      value={r[field] === null ? '' : quantity(r[field], r.unit, props.lang)}
      numeric
      onSave={(text) => void saveMinimum(r, field, text)}
    />
  );
  return (
    <div className="admin-panel">
      <div className="admin-filters">
        <input data-testid="stock-levels-search" placeholder={t('stock.levelsSearch')} value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={lowOnly} onChange={(e) => setLowOnly(e.target.checked)} /> {t('stock.lowOnly')}
        </label>
        <span className="spacer" />
        <button className="small" data-testid="stock-levels-csv" onClick={() => void downloadExport({ what: 'stock_levels', format: 'csv' })}>
          CSV
        </button>
        <button className="small" data-testid="stock-levels-xlsx" onClick={() => void downloadExport({ what: 'stock_levels', format: 'xlsx' })}>
          XLSX
        </button>
      </div>
      <table className="admin-table" data-testid="stock-levels">
        <thead>
          <tr>
            <th>{t('stock.product')}</th>
            <th className="num">{t('stock.onHand')}</th>
            <th className="num">{t('stock.avgCost')}</th>
            <th className="num">{t('stock.price')}</th>
            <th>{t('stock.location')}</th>
            <th className="num">{t('stock.minimum')}</th>
            <th className="num">{t('stock.orderPack')}</th>
            <th className="num">{t('stock.toOrder')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.productId} className={r.low ? 'low' : ''} data-testid={`stock-level-${r.productId}`}>
              <td>
                {r.name}
                {r.barcode && <div className="muted small">{r.barcode}</div>}
              </td>
              <td className="num" data-testid={`stock-level-qty-${r.productId}`}>
                {quantity(r.qty, r.unit, props.lang)}
              </td>
              <td className="num" data-testid={`stock-level-cost-${r.productId}`}>
                {r.avgCost === null ? '—' : money(r.avgCost, info, props.lang)}
              </td>
              <td className="num">{money(r.price, info, props.lang)}</td>
              <td>
                <CellInput testId={`stock-level-location-${r.productId}`} value={r.location ?? ''} maxLength={64} onSave={(text) => void saveLocation(r, text)} />
              </td>
              <td className="num">{minimumInput(r, 'minQty')}</td>
              <td className="num">{minimumInput(r, 'orderPack')}</td>
              <td className="num" data-testid={`stock-level-reorder-${r.productId}`}>
                {r.reorder > 0 ? quantity(r.reorder, r.unit, props.lang) : ''}
              </td>
              <td>
                <button className="small" data-testid={`stock-level-tag-${r.productId}`} title={t('stock.printTag')} onClick={() => void printTag(r.productId)}>
                  🏷
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
