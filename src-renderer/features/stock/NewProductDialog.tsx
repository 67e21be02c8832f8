import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney } from '../../../src-common/money.js';
import type { Unit } from '../../../src-common/rpc/schemas.js';
import { attempt, call } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import { Dialog } from '../../ui/Dialog.js';

/**
 * A barcode the catalog does not know, met on a delivery: the product made on the spot with the
 * essentials (name, unit, VAT, category; the retail price for whoever may set prices). Without a
 * price it is counted into stock but not sold until a manager prices it.
 */
export function NewProductDialog(props: { barcode: string; canPrice: boolean; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [refs, setRefs] = useState<{ taxRates: { code: string; bp: number }[]; categories: { id: number; name: string }[] } | null>(null);
  const [name, setName] = useState('');
  const [unit, setUnit] = useState<Unit>('pcs');
  const [taxCode, setTaxCode] = useState('');
  const [category, setCategory] = useState('');
  const [price, setPrice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void call('catalog.references', {}).then((r) => {
      setRefs(r);
      setTaxCode((c) => c || (r.taxRates[0]?.code ?? ''));
    }, () => undefined);
  }, []);

  const save = async () => {
    const amount = price.trim() === '' ? undefined : parseMoney(price.trim(), info?.minorDigits ?? 2);
    if (amount === null) return showToast(t('stock.badMoney', { text: price }));
    setBusy(true);
    const created = await attempt('catalog.createProduct', {
      name: name.trim(),
      unit,
      weighed: unit !== 'pcs',
      taxCode,
      barcode: props.barcode,
      ...(category.trim() ? { category: category.trim() } : {}),
      ...(amount !== undefined ? { price: amount } : {}),
    });
    setBusy(false);
    if (created) props.onCreated();
  };

  return (
    <Dialog title={t('stock.newProduct', { barcode: props.barcode })} onClose={props.onClose} testId="new-product-dialog">
      <p className="muted">{t('stock.newProductHint')}</p>
      <label>
        {t('stock.productName')}
        <input autoFocus data-testid="new-product-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="segmented" role="radiogroup">
        {(['pcs', 'kg', 'l'] as const).map((u) => (
          <button key={u} role="radio" aria-checked={unit === u} className={unit === u ? 'on' : ''} data-testid={`new-product-unit-${u}`} onClick={() => setUnit(u)}>
            {t(`stock.units.${u}`)}
          </button>
        ))}
      </div>
      <label>
        {t('stock.vat')}
        <select data-testid="new-product-vat" value={taxCode} onChange={(e) => setTaxCode(e.target.value)}>
          {(refs?.taxRates ?? []).map((r) => (
            <option key={r.code} value={r.code}>
              {r.bp === 0 ? t('stock.vatNone', { code: r.code }) : `${r.bp / 100} %`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('stock.category')}
        <input data-testid="new-product-category" list="new-product-categories" value={category} maxLength={100} onChange={(e) => setCategory(e.target.value)} />
        <datalist id="new-product-categories">
          {(refs?.categories ?? []).map((c) => (
            <option key={c.id} value={c.name} />
          ))}
        </datalist>
      </label>
      {props.canPrice && (
        <label>
          {t('stock.price')}
          <input data-testid="new-product-price" value={price} inputMode="decimal" onChange={(e) => setPrice(e.target.value)} />
        </label>
      )}
      <div className="actions">
        <button onClick={props.onClose}>{t('stock.back')}</button>
        <button className="primary" data-testid="new-product-save" disabled={busy || name.trim() === '' || !taxCode} onClick={() => void save()}>
          {t('stock.createAndCount')}
        </button>
      </div>
    </Dialog>
  );
}
