/** Always-visible link state: green when the till backend answers, amber while (re)connecting. */
export function ConnectionBadge(props: { state: 'connecting' | 'online' | 'reconnecting'; label: string }) {
  return (
    <span className={`conn ${props.state}`} role="status" aria-live="polite" data-testid="connection-status" data-state={props.state}>
      <span className="dot" aria-hidden="true" />
      {props.label}
    </span>
  );
}
