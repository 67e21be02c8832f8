import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SupplierView } from '../../../src-common/rpc/schemas.js';
import { attempt, call } from '../../app/rpc.js';
import { Dialog } from '../../ui/Dialog.js';

/** The delivery's supplier: one from the list, or a new one added on the spot (name, and ИНН when known). */
export function SupplierPicker(props: { value: SupplierView | null; disabled: boolean; onChange: (s: SupplierView | null) => void }) {
  const { t } = useTranslation();
  const [suppliers, setSuppliers] = useState<SupplierView[]>([]);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [inn, setInn] = useState('');

  useEffect(() => {
    void call('suppliers.list', {}).then(setSuppliers, () => undefined);
  }, []);

  const add = async () => {
    const created = await attempt('suppliers.create', { name: name.trim(), ...(inn.trim() ? { inn: inn.trim() } : {}) });
    if (!created) return;
    setSuppliers((list) => [...list, created].sort((a, b) => a.name.localeCompare(b.name)));
    setAdding(false);
    setName('');
    setInn('');
    props.onChange(created);
  };

  return (
    <label>
      {t('stock.supplier')}
      <span className="row-inline">
        <select
          data-testid="stock-supplier"
          value={props.value?.id ?? ''}
          disabled={props.disabled}
          onChange={(e) => props.onChange(suppliers.find((s) => s.id === Number(e.target.value)) ?? null)}
        >
          <option value="">{t('stock.noSupplier')}</option>
          {suppliers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        {!props.disabled && (
          <button className="small" type="button" data-testid="stock-supplier-add" onClick={() => setAdding(true)}>
            {t('stock.newSupplier')}
          </button>
        )}
      </span>
      {adding && (
        <Dialog title={t('stock.newSupplier')} onClose={() => setAdding(false)} testId="supplier-dialog">
          <label>
            {t('stock.supplierName')}
            <input autoFocus data-testid="supplier-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t('stock.supplierInn')}
            <input data-testid="supplier-inn" value={inn} maxLength={12} inputMode="numeric" onChange={(e) => setInn(e.target.value.replace(/\D/g, ''))} />
          </label>
          <div className="actions">
            <button onClick={() => setAdding(false)}>{t('stock.back')}</button>
            <button className="primary" data-testid="supplier-save" disabled={name.trim() === ''} onClick={() => void add()}>
              {t('stock.save')}
            </button>
          </div>
        </Dialog>
      )}
    </label>
  );
}
