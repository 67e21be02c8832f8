import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckoutScreen } from '../features/checkout/CheckoutScreen.js';
import { scanFromAnywhere } from '../features/checkout/scan.js';
import { LoginScreen } from '../features/login/LoginScreen.js';
import { ReceiptScreen } from '../features/receipt/ReceiptScreen.js';
import { applyLanguage, chooseLanguage, storedLanguage, type Language } from '../i18n/index.js';
import { ConnectionBadge } from '../ui/ConnectionBadge.js';
import { Toast } from '../ui/Toast.js';
import { localeOf } from './format.js';
import { attempt } from './rpc.js';
import { useWedgeScanner } from './scanner.js';
import { dismissToast, setReceipt, toLogin, useApp } from './store.js';

function Clock(props: { lang: Language }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 5_000);
    return () => clearInterval(t);
  }, []);
  return (
    <time className="clock" data-testid="clock">
      {now.toLocaleTimeString(localeOf(props.lang), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}
    </time>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const lang: Language = i18n.language === 'en' ? 'en' : 'ru';
  const connection = useApp((s) => s.connection);
  const info = useApp((s) => s.info);
  const user = useApp((s) => s.user);
  const completed = useApp((s) => s.completed);
  const toast = useApp((s) => s.toast);

  // The store's language applies until this browser picks one.
  useEffect(() => {
    if (info && !storedLanguage()) applyLanguage(info.language);
  }, [info]);

  useWedgeScanner(user ? scanFromAnywhere : null);

  const switchLanguage = () => {
    const next: Language = lang === 'ru' ? 'en' : 'ru';
    chooseLanguage(next);
    if (user) {
      void attempt('system.setLanguage', { language: next }).then((ok) => {
        const current = useApp.getState().info;
        if (ok && current) useApp.setState({ info: { ...current, language: next } });
      });
    }
  };
  const logout = async () => {
    await attempt('session.logout', {});
    toLogin();
    setReceipt(null);
  };

  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">{info?.storeName ?? t('app.title')}</strong>
        {info && <span className="till" data-testid="till-name">{info.tillName}</span>}
        {user && (
          <span className="cashier" data-testid="cashier-name">
            {t('checkout.cashier')}: <strong>{user.name}</strong>
          </span>
        )}
        <span className="spacer" />
        <ConnectionBadge state={connection} label={t(`app.${connection}`)} />
        <Clock lang={lang} />
        <button className="small" data-testid="language-switch" lang={lang === 'ru' ? 'en' : 'ru'} onClick={switchLanguage} title={t('app.switchLanguage')}>
          {lang === 'ru' ? 'EN' : 'RU'}
        </button>
        {user && (
          <button className="small" data-testid="logout" onClick={() => void logout()}>
            {t('checkout.logout')}
          </button>
        )}
      </header>
      {!info ? (
        <main className="center muted">{t(`app.${connection}`)}</main>
      ) : !user ? (
        <LoginScreen lang={lang} />
      ) : completed ? (
        <ReceiptScreen receipt={completed} lang={lang} />
      ) : (
        <CheckoutScreen lang={lang} />
      )}
      <Toast toast={toast} onDismiss={dismissToast} />
    </div>
  );
}
