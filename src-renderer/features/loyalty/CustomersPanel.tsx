import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerRecord } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import type { Language } from '../../i18n/index.js';
import { FieldError } from '../../ui/FieldError.js';
import { CustomerCardView } from './CustomerCardView.js';
import { birthdayText, phoneText } from './loyalty-format.js';

const SEARCH_DEBOUNCE_MS = 200;

/** Loyalty → Customers: find a customer by card, phone or name, and open their card. */
export function CustomersPanel(props: { lang: Language }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [list, setList] = useState<CustomerRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const q = text.trim();
    const mine = ++seq.current;
    if (q.length < 2) {
      setList(null);
      return;
    }
    const timer = setTimeout(() => {
      call('customers.find', { text: q, limit: 20 }).then(
        (r) => {
          if (mine !== seq.current) return;
          setList(r);
          setError(null);
        },
        (e: unknown) => mine === seq.current && setError(errorText(e)),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  if (open !== null) return <CustomerCardView customerId={open} lang={props.lang} onClose={() => setOpen(null)} />;
  const date = dateTimeFormat(props.lang, { dateStyle: 'short' });
  return (
    <section className="admin-panel" data-testid="loyalty-customers">
      <div className="admin-filters">
        <input
          className="grow"
          autoFocus
          data-testid="loyalty-customer-search"
          placeholder={t('loyalty.findPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && list && list.length === 1 && list[0]) setOpen(list[0].id);
          }}
        />
      </div>
      <FieldError text={error} testId="loyalty-customers-error" />
      {list === null && <p className="muted">{t('loyalty.admin.searchHint')}</p>}
      {list?.length === 0 && (
        <p className="muted" data-testid="loyalty-customers-empty">
          {t('loyalty.admin.nobody')}
        </p>
      )}
      {list && list.length > 0 && (
        <table className="admin-table" data-testid="loyalty-customer-list">
          <thead>
            <tr>
              <th>{t('loyalty.name')}</th>
              <th>{t('loyalty.phone')}</th>
              <th>{t('loyalty.card')}</th>
              <th>{t('loyalty.birthday')}</th>
              <th>{t('loyalty.admin.since')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id} className="clickable" data-testid="loyalty-customer-row" data-customer-id={c.id} tabIndex={0} onClick={() => setOpen(c.id)} onKeyDown={(e) => e.key === 'Enter' && setOpen(c.id)}>
                <td>{c.name ?? t('loyalty.noName')}</td>
                <td>{phoneText(c.phone)}</td>
                <td>{c.cardNo}</td>
                <td>{birthdayText(c.birthday)}</td>
                <td>{date.format(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
