import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParkedReceipt } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat, money } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { setReceipt, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';

/** Parked receipts, newest first as the backend lists them; resuming parks the current one if it has lines. */
export function ParkedDialog(props: { lang: Language; onClose: () => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [list, setList] = useState<ParkedReceipt[] | null>(null);
  useEffect(() => {
    let alive = true;
    void attempt('checkout.parked', {}).then((l) => alive && setList(l ?? []));
    return () => {
      alive = false;
    };
  }, []);
  const resume = async (id: string) => {
    const r = await attempt('checkout.resume', { receiptId: id });
    if (r) {
      setReceipt(r, 'last');
      props.onClose();
    }
  };
  const time = dateTimeFormat(props.lang, { timeStyle: 'short' });
  return (
    <Dialog title={t('parked.title')} onClose={props.onClose} testId="parked-dialog" wide>
      {list && list.length === 0 && (
        <p className="muted" data-testid="parked-empty">
          {t('parked.empty')}
        </p>
      )}
      <ul className="parked-list">
        {list?.map((p, i) => (
          <li key={p.id}>
            <button autoFocus={i === 0} data-testid="parked-item" data-receipt-id={p.id} onClick={() => void resume(p.id)}>
              <span className="muted">{time.format(p.parkedAt)}</span>
              <span className="grow">{p.firstItem ?? ''}</span>
              <span>{t('parked.items', { count: p.lines })}</span>
              <strong>{money(p.total, info, props.lang, true)}</strong>
              <span className="muted">{p.cashier}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
