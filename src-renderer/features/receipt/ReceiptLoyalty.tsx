import { useTranslation } from 'react-i18next';
import type { ReceiptLoyalty, SystemInfo } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';
import { pointsText } from '../loyalty/loyalty-format.js';

/**
 * A completed sale's loyalty, for the cashier to tell the customer: points spent and what they
 * were worth, the coupon, points earned and the balance now. Nothing without a customer (a promo
 * code alone is already in the discount).
 */
export function ReceiptLoyaltyBlock(props: { loyalty: ReceiptLoyalty | null; info: SystemInfo | null; lang: Language }) {
  const { t } = useTranslation();
  const l = props.loyalty;
  if (!l || l.customerId === '') return null;
  const { lang } = props;
  const points = (n: number) => t('loyalty.points', { count: n, points: pointsText(n, lang) });
  const m = (a: number) => money(a, props.info, lang, true);
  const coupon = l.coupon && l.coupon.problem === null ? l.coupon : null;
  return (
    <section className="receipt-loyalty" data-testid="receipt-loyalty" data-customer-id={l.customerId}>
      <h3>{t('receipt.loyalty.title')}</h3>
      <dl className="receipt-loyalty-figures">
        {l.tier && (
          <div className="row">
            <dt>{t('receipt.loyalty.tier', { tier: l.tier })}</dt>
            <dd data-testid="receipt-loyalty-tier">{l.tierDiscount > 0 ? `−${m(l.tierDiscount)}` : '—'}</dd>
          </div>
        )}
        {coupon && (
          <div className="row">
            <dt>{t('receipt.loyalty.coupon', { code: coupon.code })}</dt>
            <dd data-testid="receipt-loyalty-coupon" data-code={coupon.code}>
              −{m(coupon.amount)}
            </dd>
          </div>
        )}
        {l.pointsSpent > 0 && (
          <div className="row">
            <dt>{t('receipt.loyalty.spent')}</dt>
            <dd data-testid="receipt-loyalty-spent" data-points={l.pointsSpent}>
              {t('receipt.loyalty.spentValue', { points: points(l.pointsSpent), value: m(l.pointsValue) })}
            </dd>
          </div>
        )}
        <div className="row">
          <dt>{t('receipt.loyalty.earned')}</dt>
          <dd data-testid="receipt-loyalty-earned" data-points={l.pointsEarned}>
            +{points(l.pointsEarned)}
          </dd>
        </div>
        <div className="row big">
          <dt>{t('receipt.loyalty.balance')}</dt>
          <dd data-testid="receipt-loyalty-balance" data-points={l.balance}>
            {points(l.balance)}
          </dd>
        </div>
      </dl>
    </section>
  );
}
