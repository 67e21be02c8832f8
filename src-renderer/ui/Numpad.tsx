const DIGITS = ['7', '8', '9', '4', '5', '6', '1', '2', '3'];

/**
 * On-screen digits for touch screens; the physical keyboard works alongside it. Buttons cancel
 * mousedown so the field being edited keeps focus (and Enter still submits it).
 */
export function Numpad(props: {
  value: string;
  onChange: (v: string) => void;
  onEnter?: () => void;
  /** The decimal key; omit for whole numbers (PIN, pieces). */
  decimal?: ',' | '.';
  enterLabel?: string;
  testIdPrefix?: string;
}) {
  const { value, onChange, decimal, testIdPrefix } = props;
  const press = (k: string) => {
    if (k === '⌫') onChange(value.slice(0, -1));
    else if (k === decimal) {
      if (!/[.,]/.test(value)) onChange((value === '' ? '0' : value) + k);
    } else onChange(value + k);
  };
  const keys = [...DIGITS, decimal ?? 'C', '0', '⌫'];
  return (
    <div className="numpad">
      {keys.map((k) => (
        <button
          key={k}
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => (k === 'C' ? onChange('') : press(k))}
          data-testid={testIdPrefix ? `${testIdPrefix}-${k === '⌫' ? 'back' : k === 'C' ? 'clear' : k === decimal ? 'decimal' : k}` : undefined}
        >
          {k}
        </button>
      ))}
      {props.onEnter && (
        <button type="button" className="primary enter" onMouseDown={(e) => e.preventDefault()} onClick={props.onEnter}>
          {props.enterLabel ?? '⏎'}
        </button>
      )}
    </div>
  );
}
