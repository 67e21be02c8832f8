import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DenominationCount } from '../../../src-common/rpc/schemas.js';
import { denominationLabel, money } from '../../app/format.js';
import { useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { Numpad } from '../../ui/Numpad.js';
import { parseCount, summarizeCount, type CountTexts } from './count.js';

/**
 * The drawer counted note by note and coin by coin (system.info's denominations, largest first):
 * a count per row, the row's sum and the grand total. Enter or ↓ moves to the next row, ↑ back;
 * Enter on the last row goes to the submit button. The on-screen pad types into the active row.
 */
export function CountDialog(props: {
  title: string;
  testId: string;
  submitLabel: string;
  lang: Language;
  texts: CountTexts;
  onTexts: (t: CountTexts) => void;
  busy: boolean;
  error: string | null;
  /** Above the rows: what this count is for (opening float, blind closing count). */
  hint?: ReactNode;
  onSubmit: (count: DenominationCount, total: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const denominations = info?.denominations ?? [];
  const [active, setActive] = useState(0);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const submitRef = useRef<HTMLButtonElement | null>(null);
  const summary = summarizeCount(denominations, props.texts);
  const m = (a: number, sym = false) => money(a, info, props.lang, sym);

  const activeValue = denominations[active];
  const half = Math.ceil(denominations.length / 2);
  const indexed = denominations.map((value, i) => ({ value, i }));
  const columns = [indexed.slice(0, half), indexed.slice(half)].filter((c) => c.length > 0);
  const setText = (value: number, text: string) => props.onTexts({ ...props.texts, [value]: text });
  const focusRow = (i: number) => {
    if (i >= denominations.length) {
      submitRef.current?.focus();
      return;
    }
    const el = inputs.current[Math.max(0, i)];
    el?.focus();
    el?.select();
  };
  const submit = () => {
    if (props.busy || summary.invalid.length > 0) return;
    props.onSubmit(summary.count, summary.total);
  };

  return (
    <Dialog title={props.title} onClose={props.onClose} testId={props.testId} wide>
      {props.hint && <div className="count-hint">{props.hint}</div>}
      <div className="count-grid">
        {/* Notes and coins side by side, so the whole drawer fits on one screen. */}
        {columns.map((col, c) => (
          <table className="count-table" key={c}>
            <thead>
              <tr>
                <th>{t('shift.denomination')}</th>
                <th className="num">{t('shift.count')}</th>
                <th className="num">{t('shift.sum')}</th>
              </tr>
            </thead>
            <tbody>
              {col.map(({ value, i }) => {
                const text = props.texts[value] ?? '';
                const n = parseCount(text);
                return (
                  <tr key={value} className={i === active ? 'active' : undefined} data-testid="count-row" data-value={value}>
                    <th scope="row">{denominationLabel(value, info, props.lang)}</th>
                    <td>
                      <input
                        ref={(el) => {
                          inputs.current[i] = el;
                        }}
                        className={n === null ? 'count-input invalid' : 'count-input'}
                        inputMode="numeric"
                        autoComplete="off"
                        autoFocus={i === 0}
                        aria-label={denominationLabel(value, info, props.lang)}
                        data-testid={`count-input-${value}`}
                        value={text}
                        placeholder="0"
                        onFocus={(e) => {
                          setActive(i);
                          e.currentTarget.select();
                        }}
                        onChange={(e) => setText(value, e.target.value)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter' || e.key === 'ArrowDown') {
                            e.preventDefault();
                            focusRow(i + 1);
                          } else if (e.key === 'ArrowUp') {
                            e.preventDefault();
                            focusRow(i - 1);
                          }
                        }}
                      />
                    </td>
                    <td className="num" data-testid={`count-line-${value}`}>
                      {n ? m(value * n) : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
        <aside className="count-side">
          <div className="count-total">
            <span>{t('shift.total')}</span>
            <strong data-testid="count-total">{m(summary.total, true)}</strong>
          </div>
          {activeValue !== undefined && (
            <Numpad
              value={props.texts[activeValue] ?? ''}
              onChange={(v) => setText(activeValue, v)}
              onEnter={() => focusRow(active + 1)}
              enterLabel={t('shift.nextRow')}
              testIdPrefix="count-key"
            />
          )}
        </aside>
      </div>
      {(props.error || summary.invalid.length > 0) && (
        <div className="field-error" role="alert" data-testid="count-error">
          {props.error ?? t('shift.invalidCount')}
        </div>
      )}
      <div className="dialog-actions">
        <button data-testid="count-cancel" onClick={props.onClose}>
          {t('dialog.close')} <kbd>Esc</kbd>
        </button>
        <button
          ref={submitRef}
          className="primary big"
          data-testid="count-submit"
          disabled={props.busy || summary.invalid.length > 0}
          onClick={submit}
        >
          {props.submitLabel}
        </button>
      </div>
    </Dialog>
  );
}
