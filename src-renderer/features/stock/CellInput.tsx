/**
 * A table cell's value edited in place: shown as it is stored, saved when the field is left (Enter
 * leaves it). Keyed by the value, so a saved change shown by the backend replaces what was typed.
 */
export function CellInput(props: { testId: string; value: string; onSave: (text: string) => void; disabled?: boolean; numeric?: boolean; maxLength?: number }) {
  return (
    <input
      key={props.value}
      className="stock-cell"
      data-testid={props.testId}
      defaultValue={props.value}
      disabled={props.disabled ?? false}
      inputMode={props.numeric ? 'decimal' : 'text'}
      maxLength={props.maxLength}
      onBlur={(e) => props.onSave(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
      }}
    />
  );
}
