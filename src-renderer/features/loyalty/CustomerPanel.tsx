import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Programme } from '../../../src-common/loyalty.js';
import type { CustomerCard, ReceiptLoyalty } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import { call, reportError } from '../../app/rpc.js';
import { setReceipt, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { basketCommand } from './attach.js';
import { CouponField } from './CouponField.js';
import { couponValueText, maskCard, pointsText } from './loyalty-format.js';
import { openCustomerDialog } from './loyalty-ui.js';
import { PointsControl } from './PointsControl.js';
import { useCustomerCard } from './use-customer-card.js';

/** The basket's loyalty view again (the head office's answer can change what may be spent). */
function refreshBasket(): void {
  if (!useApp.getState().receipt) return;
  call('checkout.current', {}).then(
    (r) => setReceipt(r),
    () => {},
  );
}

/** The programme's rules the panel explains (the offline cap, the share of a receipt), read once per customer. */
function useProgramme(customerId: string | null): Programme | null {
  const [programme, setProgramme] = useState<Programme | null>(null);
  useEffect(() => {
    if (customerId === null) return;
    let alive = true;
    call('loyalty.programme', {}).then(
      (p) => alive && setProgramme(p.programme),
      () => {},
    );
    return () => {
      alive = false;
    };
  }, [customerId]);
  return programme;
}

/**
 * Under the scan box: the customer on the basket, compact (who, tier, balance and whether it is
 * confirmed, coupons, points to spend), or the button that finds one (F1). The coupon field is
 * always there: a promo code needs no customer. `onDone` gives the keyboard back to the scan box.
 */
export function CustomerStrip(props: { lang: Language; onDone: () => void }) {
  const { t } = useTranslation();
  const loyalty = useApp((s) => s.receipt?.loyalty ?? null);
  const customerId = loyalty?.customerId ? loyalty.customerId : null;
  const { card } = useCustomerCard(customerId, refreshBasket);
  const programme = useProgramme(customerId);

  if (!loyalty || !customerId) {
    return (
      <section className="customer-strip empty" data-testid="customer-strip">
        <button className="small" data-testid="customer-button" aria-keyshortcuts="F1" onMouseDown={(e) => e.preventDefault()} onClick={() => openCustomerDialog()}>
          {t('loyalty.customer')} <kbd>F1</kbd>
        </button>
        <span className="muted grow">{t('loyalty.customerHint')}</span>
        <CouponField lang={props.lang} onDone={props.onDone} />
      </section>
    );
  }
  return <CustomerPanel lang={props.lang} loyalty={loyalty} card={card} programme={programme} onDone={props.onDone} />;
}

function CustomerPanel(props: { lang: Language; loyalty: ReceiptLoyalty; card: CustomerCard | null; programme: Programme | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { lang, loyalty, card, programme } = props;
  const info = useApp((s) => s.info);
  const m = (a: number) => money(a, info, lang, true);
  const balance = card?.points ?? loyalty.balance;

  const remove = async () => {
    await basketCommand('checkout.setCustomer', { customerId: null });
    props.onDone();
  };
  const confirm = () => {
    call('customers.confirm', { id: loyalty.customerId }).catch(reportError);
    props.onDone();
  };
  const applyCoupon = async (code: string) => {
    await basketCommand('checkout.applyCoupon', { code });
    props.onDone();
  };

  const offlineNote =
    loyalty.limit === 'offline_cap'
      ? t('loyalty.panel.offlineToday', { count: loyalty.redeemable, points: pointsText(loyalty.redeemable, lang) })
      : programme
        ? t('loyalty.panel.offlinePerDay', { count: programme.offlineBurnCapPerDay, points: pointsText(programme.offlineBurnCapPerDay, lang) })
        : t('loyalty.panel.offline');
  const coupons = (card?.coupons ?? []).filter((c) => c.code !== loyalty.coupon?.code);

  return (
    <section className="customer-strip customer-panel" data-testid="customer-panel" data-customer-id={loyalty.customerId} data-online={loyalty.online}>
      <div className="customer-head">
        <button
          className="customer-who"
          data-testid="customer-change"
          title={t('loyalty.panel.change')}
          aria-keyshortcuts="F1"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => openCustomerDialog()}
        >
          <strong data-testid="customer-name">{card ? (card.erased ? t('loyalty.panel.erased') : (card.name ?? maskCard(card.cardNo))) : '…'}</strong>
          {card?.name && card.cardNo && <span className="muted">{maskCard(card.cardNo)}</span>}
        </button>
        {loyalty.tier && (
          <span className="tier-badge" data-testid="customer-tier">
            {loyalty.tier}
          </span>
        )}
        <span className="customer-balance">
          <strong data-testid="customer-balance">{t('loyalty.points', { count: balance, points: pointsText(balance, lang) })}</strong>
          {card && (
            <span className="muted" data-testid="customer-balance-value">
              {' '}
              = {m(card.pointsValue)}
            </span>
          )}
        </span>
        <span className={loyalty.online ? 'online-badge online' : 'online-badge offline'} data-testid="customer-online" data-state={loyalty.online ? 'online' : 'offline'}>
          {loyalty.online ? t('loyalty.panel.online') : offlineNote}
        </span>
        {!loyalty.online && (
          <button className="small" data-testid="customer-confirm" title={t('loyalty.panel.confirmHint')} aria-label={t('loyalty.panel.confirmHint')} onMouseDown={(e) => e.preventDefault()} onClick={confirm}>
            ↻
          </button>
        )}
        <span className="spacer" />
        <button className="small danger" data-testid="customer-remove" title={t('loyalty.panel.remove')} aria-label={t('loyalty.panel.remove')} onMouseDown={(e) => e.preventDefault()} onClick={() => void remove()}>
          ✕ {t('loyalty.panel.removeShort')}
        </button>
      </div>
      {!card?.erased && (
        <div className="customer-body">
          <PointsControl lang={lang} loyalty={loyalty} programme={programme} onDone={props.onDone} />
          <div className="customer-coupons">
            {coupons.map((c) => (
              <button key={c.code} className="small coupon-offer" data-testid={`customer-coupon-${c.label}`} data-code={c.code} onMouseDown={(e) => e.preventDefault()} onClick={() => void applyCoupon(c.code)}>
                🎁 {t(`loyalty.couponLabels.${c.label}`, { defaultValue: c.label })}
                {c.label === 'birthday' && programme?.birthday.coupon ? ` ${couponValueText(programme.birthday.coupon, info, lang)}` : ''} · {t('loyalty.apply')}
              </button>
            ))}
            <CouponField lang={lang} onDone={props.onDone} />
          </div>
        </div>
      )}
    </section>
  );
}
