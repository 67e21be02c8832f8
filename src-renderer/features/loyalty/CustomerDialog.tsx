import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizePhone } from '../../../src-common/phone.js';
import type { CustomerRecord } from '../../../src-common/rpc/schemas.js';
import { call, reportError } from '../../app/rpc.js';
import { useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { attachCustomer } from './attach.js';
import { maskCard, maskPhone } from './loyalty-format.js';
import { closeCustomerDialog, openCustomerDialog, useCustomerDialog } from './loyalty-ui.js';
import { SignUpForm, type SignUpPrefill } from './SignUpForm.js';

const FIND_DEBOUNCE_MS = 120;
const FIND_LIMIT = 8;

/** What was typed in the find box, as the sign-up form's first guess (a phone, a card or a name). */
function prefillFrom(text: string): SignUpPrefill {
  const q = text.trim();
  if (q === '') return {};
  if (/\p{L}/u.test(q)) return { name: q };
  // Loyalty cards are EAN-13 (12 digits and more); a phone is 10 or 11 digits.
  if (/^\d{12,20}$/.test(q)) return { cardNo: q };
  if (normalizePhone(q)) return { phone: q };
  return /^\d{6,20}$/.test(q) ? { cardNo: q } : {};
}

/**
 * F1 at the till: find the customer by card, phone or name (Enter takes the first, ↑/↓ choose), or
 * sign them up on the spot (F2). A scanned card lands in the find box and Enter takes it.
 */
export function CustomerDialog(props: { lang: Language }) {
  const { t } = useTranslation();
  const mode = useCustomerDialog((s) => s.mode);
  const [text, setText] = useState('');
  const [prefill, setPrefill] = useState<SignUpPrefill>({});
  // A loyalty card scanned while the dialog is open (focus off the find box) attaches its customer: done.
  const customerId = useApp((s) => s.receipt?.loyalty?.customerId || null);
  const initialCustomer = useRef(customerId);
  useEffect(() => {
    if (customerId !== null && customerId !== initialCustomer.current) closeCustomerDialog();
  }, [customerId]);
  // What was typed in the find box goes to the sign-up form (once: the form is the cashier's after).
  const toSignUp = useCallback(() => {
    if (useCustomerDialog.getState().mode === 'find') setPrefill(prefillFrom(text));
    openCustomerDialog('signUp');
  }, [text]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.code === 'F2') {
        e.preventDefault();
        toSignUp();
      } else if (e.code === 'F1') {
        e.preventDefault();
        openCustomerDialog('find');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toSignUp]);

  return (
    <Dialog title={t('loyalty.dialogTitle')} onClose={closeCustomerDialog} testId="customer-dialog" wide>
      <div className="segmented" role="tablist">
        <button role="tab" aria-selected={mode === 'find'} className={mode === 'find' ? 'on' : ''} data-testid="customer-mode-find" onClick={() => openCustomerDialog('find')}>
          {t('loyalty.find')} <kbd>F1</kbd>
        </button>
        <button role="tab" aria-selected={mode === 'signUp'} className={mode === 'signUp' ? 'on' : ''} data-testid="customer-mode-signup" onClick={toSignUp}>
          {t('loyalty.signUp')} <kbd>F2</kbd>
        </button>
      </div>
      {mode === 'find' ? <FindCustomer text={text} onText={setText} onSignUp={toSignUp} /> : <SignUpForm lang={props.lang} prefill={prefill} />}
    </Dialog>
  );
}

function FindCustomer(props: { text: string; onText: (text: string) => void; onSignUp: () => void }) {
  const { t } = useTranslation();
  const { text, onText: setText } = props;
  const [found, setFound] = useState<{ query: string; list: CustomerRecord[] } | null>(null);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  const find = useCallback(async (q: string): Promise<CustomerRecord[]> => {
    const mine = ++seq.current;
    const list = await call('customers.find', { text: q, limit: FIND_LIMIT });
    if (mine === seq.current) {
      setFound({ query: q, list });
      setActive(0);
    }
    return list;
  }, []);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      ++seq.current;
      setFound(null);
      return;
    }
    const timer = setTimeout(() => void find(q).catch(() => {}), FIND_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, find]);

  const pick = async (c: CustomerRecord) => {
    setBusy(true);
    await attachCustomer(c.id);
    setBusy(false);
  };

  // Enter right after a scan or fast typing: ask now rather than wait for the debounce.
  const submit = async () => {
    const q = text.trim();
    if (q === '' || busy) return;
    let list: CustomerRecord[];
    try {
      list = found?.query === q ? found.list : await find(q);
    } catch (e) {
      reportError(e);
      return;
    }
    const c = list[active] ?? list[0];
    if (c) await pick(c);
    else props.onSignUp();
  };

  const list = found?.query === text.trim() ? found.list : (found?.list ?? null);
  return (
    <div className="customer-find">
      <input
        className="big-input customer-find-input"
        autoFocus
        data-testid="customer-find-input"
        placeholder={t('loyalty.findPlaceholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void submit();
          } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && list && list.length > 0) {
            e.preventDefault();
            setActive((a) => (e.key === 'ArrowDown' ? Math.min(list.length - 1, a + 1) : Math.max(0, a - 1)));
          }
        }}
      />
      <p className="muted customer-find-hint">{t('loyalty.findHint')}</p>
      {list && list.length === 0 && (
        <p className="customer-find-empty" data-testid="customer-find-empty">
          {t('loyalty.nothingFound')}
        </p>
      )}
      {list && list.length > 0 && (
        <ul className="customer-results" data-testid="customer-results" role="listbox">
          {list.map((c, i) => (
            <li key={c.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} data-testid="customer-result" data-customer-id={c.id} onMouseDown={(e) => e.preventDefault()} onClick={() => void pick(c)}>
              <strong className="grow">{c.name ?? t('loyalty.noName')}</strong>
              <span className="muted">{maskPhone(c.phone)}</span>
              <span className="muted">{maskCard(c.cardNo)}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button data-testid="customer-signup-button" onClick={props.onSignUp}>
          {t('loyalty.signUp')} <kbd>F2</kbd>
        </button>
        <button className="primary" data-testid="customer-find-submit" disabled={text.trim() === '' || busy} onClick={() => void submit()}>
          {t('loyalty.pick')} <kbd>Enter</kbd>
        </button>
      </div>
    </div>
  );
}
