import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney, parseQty } from '../../../src-common/money.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { Numpad } from '../../ui/Numpad.js';

export type AmountMode = 'qty-pcs' | 'qty-kg' | 'price';

/** Quantity (pieces or kg) or price entry with a numpad; hands back thousandths or kopecks. */
export function AmountDialog(props: {
  title: string;
  mode: AmountMode;
  initial: string;
  lang: Language;
  onApply: (value: number) => void;
  onClose: () => void;
  /** Shown above the input (the live weight from the scale). */
  extra?: ReactNode;
  /** Enter with nothing typed (take the weight from the scale). */
  onEmpty?: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(props.initial);
  const [invalid, setInvalid] = useState(false);
  const edit = (v: string) => {
    setInvalid(false);
    setText(v);
  };
  const apply = () => {
    if (text.trim() === '' && props.onEmpty) {
      props.onEmpty();
      return;
    }
    const v = props.mode === 'price' ? parseMoney(text) : parseQty(text);
    if (v === null || v <= 0 || (props.mode === 'qty-pcs' && v % 1000 !== 0)) {
      setInvalid(true);
      return;
    }
    props.onApply(v);
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="amount-dialog">
      {props.extra}
      <input
        className={invalid ? 'big-input invalid' : 'big-input'}
        autoFocus
        inputMode="decimal"
        value={text}
        data-testid="amount-input"
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => edit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            apply();
          }
        }}
      />
      {invalid && (
        <div className="field-error" role="alert" data-testid="amount-error">
          {t(props.mode === 'price' ? 'errors.invalid_price' : 'errors.invalid_quantity')}
        </div>
      )}
      <Numpad value={text} onChange={edit} decimal={props.mode === 'qty-pcs' ? undefined : props.lang === 'ru' ? ',' : '.'} testIdPrefix="amount-key" />
      <div className="dialog-actions">
        <button onClick={props.onClose}>
          {t('dialog.close')} <kbd>Esc</kbd>
        </button>
        <button className="primary" data-testid="amount-apply" onClick={apply}>
          {t('dialog.apply')} <kbd>Enter</kbd>
        </button>
      </div>
    </Dialog>
  );
}
