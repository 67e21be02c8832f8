import { useTranslation } from 'react-i18next';
import { useApp } from '../../app/store.js';

/** Instead of the basket while no shift is open: selling starts with opening one. */
export function ShiftClosedPanel() {
  const { t } = useTranslation();
  const dialog = useApp((s) => s.dialog);
  return (
    <main className="shift-closed" data-testid="shift-closed">
      <section className="shift-closed-card">
        <h2 data-testid="shift-closed-title">{t('shift.closed')}</h2>
        <p className="muted">{t('shift.closedHint')}</p>
        <button className="primary big" data-testid="open-shift" autoFocus={dialog === 'none'} onClick={() => useApp.setState({ dialog: 'openShift' })}>
          {t('shift.open')} <kbd>Enter</kbd>
        </button>
        <button data-testid="till-button" onClick={() => useApp.setState({ dialog: 'tillMenu' })}>
          {t('checkout.tillMenu')}
        </button>
      </section>
    </main>
  );
}
