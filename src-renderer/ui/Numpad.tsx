const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '0', ',', '⌫'];

/** On-screen digits for touch screens; the physical keyboard works alongside it. */
export function Numpad(props: { value: string; onChange: (v: string) => void; onEnter?: () => void; testIdPrefix?: string }) {
  const press = (k: string) => {
    if (k === '⌫') props.onChange(props.value.slice(0, -1));
    else if (k === ',' && props.value.includes(',')) return;
    else props.onChange(props.value + k);
  };
  return (
    <div className="numpad">
      {KEYS.map((k) => (
        <button key={k} type="button" onClick={() => press(k)} data-testid={props.testIdPrefix ? `${props.testIdPrefix}-${k}` : undefined}>
          {k}
        </button>
      ))}
      {props.onEnter && (
        <button type="button" className="primary enter" onClick={props.onEnter}>
          ⏎
        </button>
      )}
    </div>
  );
}
