import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { money } from '../../app/format.js';
import { useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { basketCommand, COUPON_INPUT_ID } from './attach.js';

/** A coupon or promo code for this basket; once applied: what it gives (or why nothing now) and ✕. */
export function CouponField(props: { lang: Language; onDone: () => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const hasReceipt = useApp((s) => s.receipt !== null && s.receipt.state === 'open');
  const coupon = useApp((s) => s.receipt?.loyalty?.coupon ?? null);
  const [code, setCode] = useState('');

  const apply = async (c: string | null) => {
    if (await basketCommand('checkout.applyCoupon', { code: c })) setCode('');
    props.onDone();
  };

  if (coupon) {
    return (
      <span className={coupon.problem ? 'coupon-chip problem' : 'coupon-chip'} data-testid="coupon-applied" data-code={coupon.code} data-problem={coupon.problem ?? ''}>
        <span>{t('loyalty.coupon.applied', { code: coupon.code })}</span>
        {coupon.problem ? (
          <span data-testid="coupon-problem">{t(`loyalty.couponProblem.${coupon.problem}`)}</span>
        ) : (
          <strong className="discount" data-testid="coupon-amount">
            −{money(coupon.amount, info, props.lang, true)}
          </strong>
        )}
        <button className="small" data-testid="coupon-remove" aria-label={t('loyalty.coupon.remove')} title={t('loyalty.coupon.remove')} onMouseDown={(e) => e.preventDefault()} onClick={() => void apply(null)}>
          ✕
        </button>
      </span>
    );
  }
  return (
    <span className="coupon-field">
      <input
        id={COUPON_INPUT_ID}
        className="coupon-input"
        autoComplete="off"
        data-testid="coupon-input"
        placeholder={t('loyalty.coupon.placeholder')}
        value={code}
        disabled={!hasReceipt}
        maxLength={40}
        onChange={(e) => setCode(e.target.value.toUpperCase())}
        aria-keyshortcuts="Alt+K"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && code.trim() !== '') {
            e.preventDefault();
            void apply(code.trim());
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setCode('');
            props.onDone();
          }
        }}
      />
      <button className="small" data-testid="coupon-apply" disabled={!hasReceipt || code.trim() === ''} onMouseDown={(e) => e.preventDefault()} onClick={() => void apply(code.trim())}>
        {t('loyalty.ok')}
      </button>
    </span>
  );
}
