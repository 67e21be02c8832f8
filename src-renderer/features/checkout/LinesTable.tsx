import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptLineView, SystemInfo } from '../../../src-common/rpc/schemas.js';
import { money, quantity } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';

interface Props {
  lines: ReceiptLineView[];
  selectedId: string | null;
  info: SystemInfo | null;
  lang: Language;
  onSelect: (id: string) => void;
}

function discountText(l: ReceiptLineView, info: SystemInfo | null, lang: Language): string {
  if (l.discountTotal === 0) return '';
  return `−${money(l.discountTotal, info, lang)}`;
}

export const LinesTable = memo(function LinesTable({ lines, selectedId, info, lang, onSelect }: Props) {
  const { t } = useTranslation();
  const selectedRef = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, lines.length]);
  if (lines.length === 0) return <div className="lines-empty">{t('checkout.empty')}</div>;
  return (
    <div className="lines-scroll">
      <table className="lines">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t('checkout.name')}</th>
            <th className="num">{t('checkout.qty')}</th>
            <th className="num">{t('checkout.price')}</th>
            <th className="num">{t('checkout.discount')}</th>
            <th className="num">{t('checkout.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr
              key={l.id}
              ref={l.id === selectedId ? selectedRef : undefined}
              className={l.id === selectedId ? 'selected' : undefined}
              data-testid="line-row"
              data-line-id={l.id}
              onClick={() => onSelect(l.id)}
            >
              <td className="num muted">{i + 1}</td>
              <td data-testid="line-name">
                {l.name}
                {l.priceOverridden && <span className="badge">{t('checkout.overridden')}</span>}
              </td>
              <td className="num" data-testid="line-qty">
                {quantity(l.qty, l.unit, lang)} {t(`checkout.${l.unit}`)}
              </td>
              <td className="num">{money(l.price, info, lang)}</td>
              <td className="num discount">{discountText(l, info, lang)}</td>
              <td className="num strong" data-testid="line-amount">
                {money(l.amount, info, lang)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
