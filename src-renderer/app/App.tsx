import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckoutScreen } from '../features/checkout/CheckoutScreen.js';
import { LoginScreen } from '../features/login/LoginScreen.js';
import { ReceiptScreen } from '../features/receipt/ReceiptScreen.js';
import { setLanguage, storedLanguage, type Language } from '../i18n/index.js';
import { Toast } from '../ui/Toast.js';
import { attempt } from './rpc.js';
import { setReceipt, useApp } from './store.js';

function Clock(props: { lang: Language }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 10_000);
    return () => clearInterval(t);
  }, []);
  return <span className="clock">{now.toLocaleTimeString(props.lang === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}</span>;
}

export function App() {
  const { t, i18n } = useTranslation();
  const lang: Language = i18n.language === 'en' ? 'en' : 'ru';
  const connection = useApp((s) => s.connection);
  const info = useApp((s) => s.info);
  const user = useApp((s) => s.user);
  const completed = useApp((s) => s.completed);
  const toast = useApp((s) => s.toast);
  const dismiss = useCallback(() => useApp.setState({ toast: null }), []);

  // The store's language is the default until this browser chose one.
  useEffect(() => {
    if (info && !storedLanguage()) setLanguage(info.language);
  }, [info]);

  const switchLanguage = () => {
    const next: Language = lang === 'ru' ? 'en' : 'ru';
    setLanguage(next);
    if (user) void attempt('system.setLanguage', { language: next });
  };
  const logout = async () => {
    await attempt('session.logout', {});
    useApp.setState({ user: null, completed: null, dialog: 'none' });
    setReceipt(null);
  };

  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">{info?.storeName ?? t('app.title')}</strong>
        <span className="muted">{info?.tillName}</span>
        {user && (
          <span className="cashier" data-testid="cashier-name">
            {t('checkout.cashier')}: {user.name}
          </span>
        )}
        <span className="spacer" />
        <span className={`conn ${connection}`} data-testid="connection-status" data-state={connection}>
          {connection === 'online' ? t('app.online') : connection === 'connecting' ? t('app.connecting') : t('app.reconnecting')}
        </span>
        <Clock lang={lang} />
        <button className="small" data-testid="language-switch" onClick={switchLanguage}>
          {lang === 'ru' ? 'EN' : 'RU'}
        </button>
        {user && (
          <button className="small" data-testid="logout" onClick={() => void logout()}>
            {t('checkout.logout')}
          </button>
        )}
      </header>
      {connection !== 'online' && !info ? (
        <main className="center muted">{t('app.connecting')}</main>
      ) : !user ? (
        <LoginScreen />
      ) : completed ? (
        <ReceiptScreen receipt={completed} lang={lang} />
      ) : (
        <CheckoutScreen lang={lang} />
      )}
      <Toast toast={toast} onDismiss={dismiss} />
    </div>
  );
}
