import { memo, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptLineView, SystemInfo } from '../../../src-common/rpc/schemas.js';
import { money, quantity } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';
import { linesCommitted } from './scan.js';

interface Props {
  lines: ReceiptLineView[];
  selectedId: string | null;
  info: SystemInfo | null;
  lang: Language;
  onSelect: (id: string) => void;
}

interface RowProps {
  line: ReceiptLineView;
  index: number;
  selected: boolean;
  info: SystemInfo | null;
  lang: Language;
  onSelect: (id: string) => void;
  selectedRef: RefObject<HTMLTableRowElement | null>;
}

/** Every answer carries fresh line objects: compare what a row shows, so a scan repaints only its own row. */
function sameLine(a: ReceiptLineView, b: ReceiptLineView): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.qty === b.qty &&
    a.unit === b.unit &&
    a.price === b.price &&
    a.priceOverridden === b.priceOverridden &&
    a.discountTotal === b.discountTotal &&
    a.amount === b.amount
  );
}

const LineRow = memo(
  function LineRow({ line: l, index, selected, info, lang, onSelect, selectedRef }: RowProps) {
    const { t } = useTranslation();
    const m = (a: number) => money(a, info, lang);
    return (
      <tr
        ref={selected ? selectedRef : undefined}
        className={selected ? 'selected' : undefined}
        aria-selected={selected}
        data-testid="line-row"
        data-line-id={l.id}
        onClick={() => onSelect(l.id)}
      >
        <td className="num muted">{index + 1}</td>
        <td data-testid="line-name">
          {l.name}
          {l.priceOverridden && <span className="badge">{t('checkout.overridden')}</span>}
        </td>
        <td className="num" data-testid="line-qty">
          {quantity(l.qty, l.unit, lang)} {t(`checkout.${l.unit}`)}
        </td>
        <td className="num" data-testid="line-price">
          {m(l.price)}
        </td>
        <td className="num discount" data-testid="line-discount">
          {l.discountTotal !== 0 ? `−${m(l.discountTotal)}` : ''}
        </td>
        <td className="num strong" data-testid="line-amount">
          {m(l.amount)}
        </td>
      </tr>
    );
  },
  (a, b) =>
    a.index === b.index && a.selected === b.selected && a.info === b.info && a.lang === b.lang && a.onSelect === b.onSelect && sameLine(a.line, b.line),
);

export const LinesTable = memo(function LinesTable({ lines, selectedId, info, lang, onSelect }: Props) {
  const { t } = useTranslation();
  const selectedRef = useRef<HTMLTableRowElement | null>(null);
  // Layout effect: runs once the new rows are in the DOM, before the browser paints them.
  useLayoutEffect(linesCommitted, [lines]);
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, lines.length]);
  if (lines.length === 0) {
    return (
      <div className="lines-empty" data-testid="lines-empty">
        {t('checkout.empty')}
      </div>
    );
  }
  return (
    <div className="lines-scroll">
      <table className="lines" data-testid="lines">
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
            <LineRow key={l.id} line={l} index={i} selected={l.id === selectedId} info={info} lang={lang} onSelect={onSelect} selectedRef={selectedRef} />
          ))}
        </tbody>
      </table>
    </div>
  );
});
