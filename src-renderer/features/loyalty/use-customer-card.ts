import { useCallback, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import type { CustomerCard } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { call, errorText } from '../../app/rpc.js';

/**
 * A customer's card (customers.get), read again when the backend says the customer changed (the
 * head office answered with the balance, a feed arrived, someone erased them). `onChanged` runs on
 * that event too, for what else shows the customer (the basket's loyalty view).
 */
export function useCustomerCard(customerId: string | null, onChanged?: () => void): { card: CustomerCard | null; error: string | null; reload: () => void; setCard: (c: CustomerCard) => void } {
  const [card, setCard] = useState<CustomerCard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    if (customerId === null) {
      setCard(null);
      return;
    }
    call('customers.get', { id: customerId }).then(
      (c) => {
        // A slower answer about an earlier customer must not replace the current one.
        if (mine !== seq.current) return;
        setCard(c);
        setError(null);
      },
      (e: unknown) => {
        if (mine === seq.current) setError(errorText(e));
      },
    );
  }, [customerId]);
  useEffect(() => {
    setCard(null);
    reload();
  }, [reload]);
  useEvent('customer.changed', (e) => {
    if (e.customerId !== customerId) return;
    reload();
    onChanged?.();
  });
  return { card, error, reload, setCard };
}

/** A ledger entry's reason in words (the programme writes a few fixed ones; a person's correction keeps its text). */
export function historyReason(reason: string, t: TFunction): string {
  if (reason.startsWith('adjust: ')) return t('loyalty.history.adjust', { reason: reason.slice('adjust: '.length) });
  const birthday = /^birthday-(\d{4})$/.exec(reason);
  if (birthday) return t('loyalty.history.birthday', { year: birthday[1] });
  if (['welcome', 'referral', 'purchase', 'return-earned', 'return-spent', 'expiry'].includes(reason)) return t(`loyalty.history.${reason.replace('-', '_')}`);
  return reason;
}
