import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney } from '../../../src-common/money.js';
import type { Discount } from '../../../src-common/rpc/schemas.js';
import { Dialog } from '../../ui/Dialog.js';

/** Percent (to hundredths) or amount; null removes the discount. */
export function DiscountDialog(props: { title: string; current: Discount | null; onApply: (d: Discount | null) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Discount['kind']>(props.current?.kind ?? 'percent');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const apply = () => {
    if (kind === 'percent') {
      const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
      const bp = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0') : 0;
      if (!m || bp <= 0 || bp > 10_000) return setInvalid(true);
      props.onApply({ kind: 'percent', bp });
    } else {
      const amount = parseMoney(text);
      if (amount === null || amount <= 0) return setInvalid(true);
      props.onApply({ kind: 'amount', amount });
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="discount-dialog">
      <div className="segmented">
        <button className={kind === 'percent' ? 'on' : ''} data-testid="discount-kind-percent" onClick={() => setKind('percent')}>
          {t('dialog.percent')} %
        </button>
        <button className={kind === 'amount' ? 'on' : ''} data-testid="discount-kind-amount" onClick={() => setKind('amount')}>
          {t('dialog.amount')}
        </button>
      </div>
      <input
        className={invalid ? 'big-input invalid' : 'big-input'}
        autoFocus
        inputMode="decimal"
        value={text}
        data-testid={kind === 'percent' ? 'discount-percent-input' : 'discount-amount-input'}
        onChange={(e) => {
          setInvalid(false);
          setText(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
        }}
      />
      {invalid && <div className="field-error">{t('errors.invalid_discount')}</div>}
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
