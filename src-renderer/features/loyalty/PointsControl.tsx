import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Programme } from '../../../src-common/loyalty.js';
import type { ReceiptLoyalty } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { basketCommand } from './attach.js';
import { parseWhole, percentText, pointsText } from './loyalty-format.js';

/**
 * Points to spend on this basket: typed, or "max" (what the limits allow now: the balance, the
 * programme's share of the receipt, and offline the day's cap); the limit that caps it is named.
 */
export function PointsControl(props: { lang: Language; loyalty: ReceiptLoyalty; programme: Programme | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { lang, loyalty: l, programme } = props;
  const info = useApp((s) => s.info);
  const [text, setText] = useState(l.pointsAsked > 0 ? String(l.pointsAsked) : '');
  useEffect(() => setText(l.pointsAsked > 0 ? String(l.pointsAsked) : ''), [l.pointsAsked]);
  const p = (n: number) => pointsText(n, lang);

  const redeem = async (points: number) => {
    await basketCommand('checkout.redeemPoints', { points });
    props.onDone();
  };
  const apply = () => {
    const n = text.trim() === '' ? 0 : parseWhole(text);
    if (n === null) return showToast(t('loyalty.panel.pointsNumber'));
    void redeem(n);
  };

  const reason =
    l.limit === 'share'
      ? t('loyalty.limit.share', { percent: programme ? percentText(programme.redeemMaxBp, lang) : '…' })
      : l.limit === 'offline_cap'
        ? t('loyalty.limit.offline_cap')
        : l.limit === 'balance'
          ? t('loyalty.limit.balance')
          : '';
  const capped = l.limit === 'share' || l.limit === 'offline_cap';

  return (
    <div className="points-control" data-testid="points-control">
      <label className="points-input-label">
        <span>{t('loyalty.panel.spend')}</span>
        <input
          className="points-input"
          inputMode="numeric"
          autoComplete="off"
          data-testid="points-input"
          value={text}
          disabled={l.redeemable <= 0 && l.pointsAsked === 0}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              apply();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              setText(l.pointsAsked > 0 ? String(l.pointsAsked) : '');
              props.onDone();
            }
          }}
        />
      </label>
      <button className="small" data-testid="points-apply" disabled={l.redeemable <= 0 && l.pointsAsked === 0} onMouseDown={(e) => e.preventDefault()} onClick={apply}>
        {t('loyalty.ok')}
      </button>
      <button className="small" data-testid="points-max" aria-keyshortcuts="Alt+M" disabled={l.redeemable <= 0} onMouseDown={(e) => e.preventDefault()} onClick={() => void redeem(l.redeemable)}>
        {t('loyalty.panel.max', { points: p(l.redeemable) })} <kbd>Alt+M</kbd>
      </button>
      <span className="points-status">
        {l.pointsAsked > 0 && (
          <span className="row-inline">
            <strong className="discount" data-testid="points-spent">
              {t('loyalty.panel.spent', { count: l.pointsSpent, points: p(l.pointsSpent), value: money(l.pointsValue, info, lang, true) })}
            </strong>
            <button className="icon-small" data-testid="points-clear" aria-label={t('loyalty.panel.noPoints')} title={t('loyalty.panel.noPoints')} onMouseDown={(e) => e.preventDefault()} onClick={() => void redeem(0)}>
              ✕
            </button>
          </span>
        )}
        {l.pointsAsked > l.pointsSpent && (
          <span className="warn-text" data-testid="points-short">
            {t('loyalty.panel.short', { spent: p(l.pointsSpent), asked: p(l.pointsAsked) })}
          </span>
        )}
        {capped && (
          <span className="muted" data-testid="points-limit" data-limit={l.limit}>
            {t('loyalty.panel.maxBecause', { reason })}
          </span>
        )}
        <span className="muted" data-testid="points-earned">
          {t('loyalty.panel.willEarn', { count: l.pointsEarned, points: p(l.pointsEarned) })}
        </span>
      </span>
    </div>
  );
}
