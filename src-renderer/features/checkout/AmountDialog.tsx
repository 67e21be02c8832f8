import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney, parseQty } from '../../../src-common/money.js';
import { Dialog } from '../../ui/Dialog.js';
import { Numpad } from '../../ui/Numpad.js';

export type AmountMode = 'qty-pcs' | 'qty-kg' | 'price';

/** Quantity (pieces or kg) or price entry with a numpad; returns thousandths or kopecks. */
export function AmountDialog(props: { title: string; mode: AmountMode; initial: string; onApply: (value: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(props.initial);
  const [invalid, setInvalid] = useState(false);
  const apply = () => {
    const v = props.mode === 'price' ? parseMoney(text) : parseQty(text);
    if (v === null || (props.mode !== 'price' && v <= 0) || (props.mode === 'qty-pcs' && v % 1000 !== 0)) {
      setInvalid(true);
      return;
    }
    props.onApply(v);
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="amount-dialog">
      <input
        className={invalid ? 'big-input invalid' : 'big-input'}
        autoFocus
        inputMode="decimal"
        value={text}
        data-testid="amount-input"
        onChange={(e) => {
          setInvalid(false);
          setText(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
        }}
      />
      {invalid && <div className="field-error">{t(props.mode === 'price' ? 'errors.invalid_price' : 'errors.invalid_quantity')}</div>}
      <Numpad value={text} onChange={setText} onEnter={apply} />
      <div className="dialog-actions">
        <button className="primary" data-testid="amount-apply" onClick={apply}>
          {t('dialog.apply')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
