import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApprovalDialog } from '../features/approval/ApprovalDialog.js';
import { CheckoutScreen } from '../features/checkout/CheckoutScreen.js';
import { scanFromAnywhere } from '../features/checkout/scan.js';
import { LoginScreen } from '../features/login/LoginScreen.js';
import { ReceiptScreen } from '../features/receipt/ReceiptScreen.js';
import { AdminScreen } from '../features/admin/AdminScreen.js';
import { DevicesScreen } from '../features/devices/DevicesScreen.js';
import { ReportScreen } from '../features/report/ReportScreen.js';
import { ReturnsScreen } from '../features/returns/ReturnsScreen.js';
import { ShiftBanner } from '../features/shift/ShiftBanner.js';
import { ShiftClosedPanel } from '../features/shift/ShiftClosedPanel.js';
import { TillDialogs } from '../features/shift/TillDialogs.js';
import { applyLanguage, chooseLanguage, i18n as i18next, languageSynced, pendingLanguage, storedLanguage, type Language } from '../i18n/index.js';
import { ConnectionBadge } from '../ui/ConnectionBadge.js';
import { FiscalBadge } from '../features/fiscal/FiscalBadge.js';
import { SyncBadge } from '../features/sync/SyncBadge.js';
import { Toast } from '../ui/Toast.js';
import { settleApproval } from './approval.js';
import { useAutoLock } from './autolock.js';
import { dateTimeFormat } from './format.js';
import { attempt, call, refreshShift } from './rpc.js';
import { useWedgeScanner } from './scanner.js';
import { StockScreen } from '../features/stock/StockScreen.js';
import { dismissToast, setReceipt, showToast, toCheckout, toLogin, useApp, useMyPermissions } from './store.js';

function Clock(props: { lang: Language }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 5_000);
    return () => clearInterval(t);
  }, []);
  return (
    <time className="clock" data-testid="clock">
      {dateTimeFormat(props.lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now)}
    </time>
  );
}

/**
 * Store a language picked on this till with the backend (system.setLanguage needs a login). Until
 * it lands the choice stays pending in localStorage and wins over system.info; a failure (offline)
 * leaves it pending for the next login or reconnect.
 */
function syncLanguage(): void {
  const lang = pendingLanguage();
  const info = useApp.getState().info;
  if (!lang || !info || !useApp.getState().user) return;
  if (lang === info.language) {
    languageSynced();
    return;
  }
  call('system.setLanguage', { language: lang }).then(
    () => {
      // A newer click while this was on the wire stays pending and is sent next.
      if (storedLanguage() === lang) languageSynced();
      const current = useApp.getState().info;
      if (current) useApp.setState({ info: { ...current, language: lang } });
      if (pendingLanguage()) syncLanguage();
    },
    () => {},
  );
}

/** Log out after the idle time: the basket stays with the backend and comes back at the next login. */
async function lockTill(): Promise<void> {
  if (!useApp.getState().user) return;
  await call('session.logout', {}).catch(() => null);
  toLogin();
  setReceipt(null);
  showToast(i18next.t('lock.locked'), 'info');
}

/** A device that stopped working, always visible: the cashier knows before the receipt does not come out. */
function DeviceProblems() {
  const { t } = useTranslation();
  const problems = Object.values(useApp((s) => s.deviceProblems));
  if (problems.length === 0) return null;
  return (
    <button className="small device-alarm" data-testid="device-alarm" onClick={() => useApp.setState({ screen: 'devices', dialog: 'none', completed: null })}>
      ⚠ {problems.map((p) => `${p.name}: ${t(`devices.status.${p.status}`)}`).join(', ')}
    </button>
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
  const shift = useApp((s) => s.shift);
  const screen = useApp((s) => s.screen);
  const mine = useMyPermissions();
  const report = useApp((s) => s.report);
  const approval = useApp((s) => s.approval);

  // The store's language (system.info) applies, unless a choice made here has not reached it yet.
  useEffect(() => {
    if (info) applyLanguage(pendingLanguage() ?? info.language);
  }, [info]);
  // A choice made while logged out (or offline) is stored with the backend at the next login.
  useEffect(() => {
    if (user) syncLanguage();
  }, [user]);
  // Which shift is open: asked at every login (and on shift.changed, see rpc.ts). Logged out, a
  // pending approval has no one to ask for.
  useEffect(() => {
    if (user) {
      void refreshShift();
      call('roles.matrix', {}).then(
        (matrix) => useApp.setState({ matrix }),
        () => {},
      );
      call('devices.list', {}).then(
        (devices) =>
          useApp.setState({
            deviceProblems: Object.fromEntries(
              devices
                .filter((d) => d.status === 'disconnected' || d.status === 'error')
                .map((d) => [d.id, d.message ? { name: d.name, status: d.status, message: d.message } : { name: d.name, status: d.status }]),
            ),
          }),
        () => {},
      );
    } else settleApproval(null);
  }, [user]);

  const onLock = useCallback(() => void lockTill(), []);
  const onKeepAlive = useCallback(() => void refreshShift(), []);
  useAutoLock(user !== null, info?.autoLockMinutes ?? 0, onLock, onKeepAlive);

  useWedgeScanner(user ? scanFromAnywhere : null);

  // Function keys belong to the till: in a browser F5 would reload the page mid-sale (and end the
  // session), F3/F7 open find and caret browsing. F11 (full screen) stays the browser's.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^F([1-9]|1[0-2])$/.test(e.code) && e.code !== 'F11') e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const switchLanguage = () => {
    chooseLanguage(lang === 'ru' ? 'en' : 'ru');
    syncLanguage();
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
        {user && <DeviceProblems />}
        {user && <FiscalBadge />}
        {user && <SyncBadge lang={lang} />}
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
      {connection === 'reconnecting' && (
        <div className="offline-banner" role="alert" data-testid="connection-banner">
          <strong>{t('app.reconnecting')}</strong> <span>{t('app.reconnectingHint')}</span>
        </div>
      )}
      {user && <ShiftBanner lang={lang} />}
      {!info ? (
        <main className="center muted">{t(`app.${connection}`)}</main>
      ) : !user ? (
        <LoginScreen lang={lang} />
      ) : completed ? (
        <ReceiptScreen receipt={completed} lang={lang} />
      ) : screen === 'report' && report ? (
        <ReportScreen report={report} lang={lang} />
      ) : screen === 'devices' ? (
        <DevicesScreen />
      ) : screen === 'admin' ? (
        <AdminScreen lang={lang} onClose={toCheckout} />
      ) : screen === 'returns' ? (
        <ReturnsScreen lang={lang} />
      ) : screen === 'stock' || (!mine.includes('sale') && mine.includes('stock')) ? (
        <StockScreen lang={lang} />
      ) : shift === null ? (
        <ShiftClosedPanel />
      ) : (
        <CheckoutScreen lang={lang} />
      )}
      {user && <TillDialogs lang={lang} />}
      {user && approval && <ApprovalDialog key={approval.id} request={approval} lang={lang} />}
      <Toast toast={toast} onDismiss={dismissToast} />
    </div>
  );
}
