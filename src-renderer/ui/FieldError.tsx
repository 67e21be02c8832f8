/** A translated message under a form, announced to screen readers; nothing when there is none. */
export function FieldError(props: { text: string | null; testId: string }) {
  if (!props.text) return null;
  return (
    <div className="field-error" role="alert" data-testid={props.testId}>
      {props.text}
    </div>
  );
}
