import { useEffect } from 'react';

export interface ToastData {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

/**
 * A message at the bottom of the screen. It never takes focus (mousedown is cancelled), so the
 * scanner input keeps it; it goes away on its own, on click or on the next message.
 */
export function Toast(props: { toast: ToastData | null; onDismiss: () => void }) {
  const { toast, onDismiss } = props;
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(onDismiss, toast.kind === 'error' ? 7000 : 4000);
    return () => clearTimeout(t);
  }, [toast, onDismiss]);
  if (!toast) return null;
  return (
    <div
      key={toast.id}
      className={`toast ${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      data-kind={toast.kind}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onDismiss}
    >
      <span className="toast-text">{toast.text}</span>
      <span className="dismiss" data-testid="toast-dismiss" aria-label="✕">
        ✕
      </span>
    </div>
  );
}
