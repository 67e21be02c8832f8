import { useTranslation } from 'react-i18next';
import type { ReceiptLoyalty, SystemInfo } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';
import { pointsText } from './loyalty-format.js';

/** The parts of the receipt's discount that loyalty gave (already in its discount total), one row each. */
export function LoyaltyTotals(props: { loyalty: ReceiptLoyalty | null; info: SystemInfo | null; lang: Language }) {
  const { t } = useTranslation();
  const l = props.loyalty;
  if (!l) return null;
  const m = (a: number) => `−${money(a, props.info, props.lang)}`;
  return (
    <>
      {l.tierDiscount > 0 && (
        <div className="row sub discount">
          <span>{t('loyalty.totals.tier', { tier: l.tier ?? '' })}</span>
          <span data-testid="total-tier-discount">{m(l.tierDiscount)}</span>
        </div>
      )}
      {l.coupon && (
        <div className={l.coupon.problem ? 'row sub muted' : 'row sub discount'}>
          <span>{t('loyalty.totals.coupon', { code: l.coupon.code })}</span>
          <span data-testid="total-coupon">{l.coupon.problem ? t(`loyalty.couponProblem.${l.coupon.problem}`) : m(l.coupon.amount)}</span>
        </div>
      )}
      {l.pointsSpent > 0 && (
        <div className="row sub discount">
          <span>{t('loyalty.totals.points', { count: l.pointsSpent, points: pointsText(l.pointsSpent, props.lang) })}</span>
          <span data-testid="total-points">{m(l.pointsValue)}</span>
        </div>
      )}
    </>
  );
}
