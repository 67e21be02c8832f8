import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParkedReceipt } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { setReceipt, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';

export function ParkedDialog(props: { lang: Language; onClose: () => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const [list, setList] = useState<ParkedReceipt[] | null>(null);
  useEffect(() => {
    void attempt('checkout.parked', {}).then((l) => setList(l ?? []));
  }, []);
  const resume = async (id: string) => {
    const r = await attempt('checkout.resume', { receiptId: id });
    if (r) {
      setReceipt(r, 'last');
      props.onClose();
    }
  };
  const time = new Intl.DateTimeFormat(props.lang === 'ru' ? 'ru-RU' : 'en-US', { timeStyle: 'short' });
  return (
    <Dialog title={t('parked.title')} onClose={props.onClose} testId="parked-dialog" wide>
      {list && list.length === 0 && <p className="muted">{t('parked.empty')}</p>}
      <ul className="parked-list">
        {list?.map((p) => (
          <li key={p.id}>
            <button data-testid="parked-item" onClick={() => void resume(p.id)}>
              <span>{time.format(p.parkedAt)}</span>
              <span>{p.firstItem ?? ''}</span>
              <span>{t('parked.items', { count: p.lines })}</span>
              <strong>{money(p.total, info, props.lang, true)}</strong>
              <span>{p.cashier}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
