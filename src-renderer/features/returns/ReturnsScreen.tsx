import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toCheckout, useApp, useEscapeToCheckout } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { setScanInterceptor } from '../checkout/scan.js';
import { ReturnByReceipt } from './ReturnByReceipt.js';
import { ReturnWithoutReceipt } from './ReturnWithoutReceipt.js';

/** With a receipt to go by is the usual way; without one is the exception (gated). */
export function ReturnsScreen(props: { lang: Language }) {
  const { t } = useTranslation();
  const target = useApp((s) => s.returnTarget);
  const [mode, setMode] = useState<'receipt' | 'free'>('receipt');

  // A scanned receipt code always means "return against this receipt".
  useEffect(() => {
    if (target) setMode('receipt');
  }, [target]);

  // Product scans on this screen: goods for a return without receipt, or a hint to scan the receipt.
  const registerScan = useCallback((fn: ((code: string) => void) | null) => setScanInterceptor(fn), []);
  useEffect(() => () => setScanInterceptor(null), []);

  // Esc goes back to selling when nothing else is open.
  useEscapeToCheckout();

  return (
    <main className="returns" data-testid="returns-screen" data-mode={mode}>
      <header className="returns-head">
        <h2>{t('returns.title')}</h2>
        <div className="segmented" role="radiogroup">
          <button role="radio" aria-checked={mode === 'receipt'} className={mode === 'receipt' ? 'on' : ''} data-testid="returns-mode-receipt" onClick={() => setMode('receipt')}>
            {t('returns.withReceipt')}
          </button>
          <button role="radio" aria-checked={mode === 'free'} className={mode === 'free' ? 'on' : ''} data-testid="returns-mode-free" onClick={() => setMode('free')}>
            {t('returns.withoutReceipt')}
          </button>
        </div>
        <span className="spacer" />
        <button data-testid="returns-back" onClick={toCheckout}>
          {t('returns.back')} <kbd>Esc</kbd>
        </button>
      </header>
      {mode === 'receipt' ? <ReturnByReceipt lang={props.lang} registerScan={registerScan} /> : <ReturnWithoutReceipt lang={props.lang} registerScan={registerScan} />}
    </main>
  );
}
