import { useEffect } from 'react';
import type { Toast as ToastData } from '../app/store.js';

export function Toast(props: { toast: ToastData | null; onDismiss: () => void }) {
  const { toast, onDismiss } = props;
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(onDismiss, toast.kind === 'error' ? 6000 : 3000);
    return () => clearTimeout(t);
  }, [toast, onDismiss]);
  if (!toast) return null;
  return (
    <div className={`toast ${toast.kind}`} role="alert" data-testid="toast" onClick={onDismiss}>
      {toast.text}
      <span className="dismiss">✕</span>
    </div>
  );
}
