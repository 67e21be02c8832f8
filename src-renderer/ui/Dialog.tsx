import { useEffect, type ReactNode } from 'react';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.code === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={props.wide ? 'dialog wide' : 'dialog'} role="dialog" aria-label={props.title} data-testid={props.testId}>
        <header className="dialog-head">
          <h2>{props.title}</h2>
          <button className="icon" onClick={onClose} aria-label="close">
            ✕ <kbd>Esc</kbd>
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}
