import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import { parseMoney } from '../../../src-common/money.js';
import type { Discount } from '../../../src-common/rpc/schemas.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { Numpad } from '../../ui/Numpad.js';
import { parsePercent } from './discount.js';

/** Percent (to hundredths) or amount; "remove" sends null. The backend checks it against the amount. */
export function DiscountDialog(props: {
  title: string;
  testId: string;
  current: Discount | null;
  lang: Language;
  onApply: (d: Discount | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Discount['kind']>(props.current?.kind ?? 'percent');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const edit = (v: string) => {
    setError(null);
    setText(v);
  };
  const apply = () => {
    if (kind === 'percent') {
      const bp = parsePercent(text);
      if (bp === null) return setError(t('dialog.invalidPercent'));
      props.onApply({ kind: 'percent', bp });
    } else {
      const amount = parseMoney(text);
      if (amount === null || amount <= 0) return setError(t('dialog.invalidNumber'));
      props.onApply({ kind: 'amount', amount });
    }
  };
  const switchKind = (k: Discount['kind']) => {
    setKind(k);
    edit('');
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId={props.testId}>
      <div className="segmented" role="radiogroup">
        <button role="radio" aria-checked={kind === 'percent'} className={kind === 'percent' ? 'on' : ''} data-testid="discount-kind-percent" onMouseDown={(e) => e.preventDefault()} onClick={() => switchKind('percent')}>
          {t('dialog.percent')} %
        </button>
        <button role="radio" aria-checked={kind === 'amount'} className={kind === 'amount' ? 'on' : ''} data-testid="discount-kind-amount" onMouseDown={(e) => e.preventDefault()} onClick={() => switchKind('amount')}>
          {t('dialog.amount')}
        </button>
      </div>
      <div className="input-with-unit">
        <input
          className={error ? 'big-input invalid' : 'big-input'}
          autoFocus
          inputMode="decimal"
          value={text}
          data-testid={kind === 'percent' ? 'discount-percent-input' : 'discount-amount-input'}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              apply();
            }
          }}
        />
        <span className="unit">{kind === 'percent' ? '%' : ''}</span>
      </div>
      <FieldError text={error} testId="discount-error" />
      <Numpad value={text} onChange={edit} decimal={props.lang === 'ru' ? ',' : '.'} testIdPrefix="discount-key" />
      <div className="dialog-actions">
        {props.current && (
          <button data-testid="discount-remove" onClick={() => props.onApply(null)}>
            {t('dialog.remove')}
          </button>
        )}
        <button className="primary" data-testid="discount-apply" onClick={apply}>
          {t('dialog.apply')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
