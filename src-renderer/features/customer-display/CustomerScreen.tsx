import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerView } from '../../../src-common/rpc/schemas.js';
import { followCustomerView, type LinkState } from './follow.js';
import './customer-screen.css';

/** A reconnect that succeeds within this long is not worth alarming the customer about. */
const OFFLINE_NOTICE_DELAY_MS = 1500;

/** True once `on` has held for `ms` without a break. */
function useHeld(on: boolean, ms: number): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!on) {
      setHeld(false);
      return;
    }
    const t = setTimeout(() => setHeld(true), ms);
    return () => clearTimeout(t);
  }, [on, ms]);
  return held;
}

function Lines(props: { lines: CustomerView['lines'] }) {
  // Newest at the bottom; the list is bottom-aligned and clipped at the top, so older lines slide away.
  return (
    <ol className="cs-lines" data-testid="customer-lines">
      {props.lines.map((line, i) => (
        <li className="cs-line" data-testid="customer-line" key={i}>
          <span className="cs-line-name" data-testid="customer-line-name">
            {line.name}
          </span>
          <span className="cs-line-amount" data-testid="customer-line-amount">
            {line.amount}
          </span>
          <span className="cs-line-detail" data-testid="customer-line-detail">
            {line.detail}
          </span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The customer-facing screen (a second monitor turned to the customer): what the till says, read
 * from `customer.view` and its event, already formatted in the store's language. Display only: no
 * login, no keys, no scanner; it shows the last view it had while the link is down, marked as such.
 */
export function CustomerScreen() {
  const { t } = useTranslation();
  const [view, setView] = useState<CustomerView | null>(null);
  const [link, setLink] = useState<LinkState>('connecting');
  useEffect(() => followCustomerView({ view: setView, link: setLink }), []);
  const offline = useHeld(link !== 'online', OFFLINE_NOTICE_DELAY_MS);
  const state = view?.state ?? 'idle';

  return (
    <div className={`cs cs-state-${state}${offline ? ' cs-offline' : ''}`} data-testid="customer-screen" data-state={view ? state : 'none'} data-link={link}>
      <header className="cs-head">
        <h1 className="cs-title" data-testid="customer-title">
          {view?.title ?? ''}
        </h1>
        {offline && (
          <span className="cs-offline-badge" role="status" data-testid="customer-offline">
            {t('customerScreen.offline')}
          </span>
        )}
      </header>
      {!view ? (
        <main className="cs-centre" />
      ) : state === 'basket' ? (
        <main className="cs-body">
          <Lines lines={view.lines} />
        </main>
      ) : (
        // Between customers the greeting; once paid the change due (or thanks), the largest thing on the screen.
        <main className="cs-centre">
          {view.note !== null && (
            <p className="cs-note" data-testid="customer-note">
              {view.note}
            </p>
          )}
        </main>
      )}
      {view && state !== 'idle' && (
        <footer className="cs-foot">
          {state === 'basket' && view.note !== null && (
            <p className="cs-note cs-note-small" data-testid="customer-note">
              {view.note}
            </p>
          )}
          <div className="cs-total-row">
            <span className="cs-total-label" data-testid="customer-total-label">
              {view.totalLabel}
            </span>
            <span className="cs-total" data-testid="customer-total">
              {view.total}
            </span>
          </div>
        </footer>
      )}
    </div>
  );
}
