import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UserTiles } from '../../ui/UserTiles.js';
import { RpcError } from '../../../src-common/rpc/client.js';
import { call, errorText } from '../../app/rpc.js';
import { setReceipt, showToast, useApp } from '../../app/store.js';
import { WedgeDetector } from '../../app/wedge.js';
import type { Language } from '../../i18n/index.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const MAX_PIN = 12;

/** Counts a lockout down to zero, so the cashier sees when to try again. */
function useSecondsLeft(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function LoginScreen(props: { lang: Language }) {
  const { t } = useTranslation();
  const users = useApp((s) => s.users);
  const lastUserId = useApp((s) => s.lastUserId);
  const [userId, setUserId] = useState<number | null>(lastUserId);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const lockSeconds = useSecondsLeft(lockedUntil);
  const locked = lockSeconds > 0;
  const user = users.find((u) => u.id === userId) ?? null;

  const type = (d: string) => {
    setError(null);
    setPin((p) => (p.length < MAX_PIN ? p + d : p));
  };
  const choose = (id: number) => {
    setUserId(id);
    setPin('');
    setError(null);
    setLockedUntil(null);
  };

  const submit = async () => {
    if (userId === null || pin.length === 0 || busy || locked) return;
    setBusy(true);
    try {
      const u = await call('session.login', { userId, pin });
      // The open basket belongs to the cashier and outlives restarts: pick it up before showing it.
      const current = await call('checkout.current', {}).catch(() => null);
      setReceipt(current, 'last');
      useApp.setState({ user: u, lastUserId: u.id, completed: null, dialog: 'none', query: '' });
    } catch (e) {
      setPin('');
      if (e instanceof RpcError && e.code === 'locked_out' && typeof e.details?.seconds === 'number') {
        setLockedUntil(Date.now() + e.details.seconds * 1000);
        setError(null);
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };

  // A barcode scanned before logging in arrives as digits + Enter, just like a PIN: told apart by
  // its timing, it must not be sent as a PIN and cost the cashier one of the attempts.
  const [wedge] = useState(() => new WedgeDetector());

  // The physical keyboard: digits by KeyboardEvent.code, so any layout (or NumLock state) types them.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (wedge.feed(e) !== null) {
        e.preventDefault();
        setPin('');
        showToast(t('login.scanBeforeLogin'), 'info');
        return;
      }
      if (userId === null || e.ctrlKey || e.altKey || e.metaKey) return;
      if (/^(Digit|Numpad)\d$/.test(e.code)) type(e.code.slice(-1));
      else if (e.code === 'Backspace') setPin((p) => p.slice(0, -1));
      else if (e.code === 'Escape') setPin('');
      else if (e.code === 'Enter' || e.code === 'NumpadEnter') void submit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const keepFocus = (e: React.MouseEvent) => e.preventDefault();
  const message = locked ? t('errors.locked_out', { seconds: lockSeconds }) : error;

  return (
    <main className="login" data-testid="login-screen" lang={props.lang}>
      <section>
        <h2>{t('login.chooseUser')}</h2>
        <UserTiles users={users} selectedId={userId} onChoose={choose} testIdPrefix="login-user-" />
      </section>
      {user && (
        <section className="pin" aria-label={t('login.enterPin')}>
          <h2>{t('login.enterPinFor', { name: user.name })}</h2>
          <div className="pin-dots" data-testid="pin-dots" aria-live="polite">
            {pin.length > 0 ? '•'.repeat(pin.length) : '\u00a0'}
          </div>
          <div className="pin-message" role="alert" data-testid="pin-error">
            {message}
          </div>
          <div className="numpad">
            {DIGITS.map((d) => (
              <button key={d} data-testid={`pin-key-${d}`} disabled={locked} onMouseDown={keepFocus} onClick={() => type(d)}>
                {d}
              </button>
            ))}
            <button data-testid="pin-clear" onMouseDown={keepFocus} onClick={() => setPin('')}>
              {t('login.clear')}
            </button>
            <button data-testid="pin-key-0" disabled={locked} onMouseDown={keepFocus} onClick={() => type('0')}>
              0
            </button>
            <button data-testid="pin-back" aria-label={t('login.backspace')} onMouseDown={keepFocus} onClick={() => setPin((p) => p.slice(0, -1))}>
              ⌫
            </button>
            <button className="primary enter" data-testid="pin-submit" disabled={busy || locked || pin.length === 0} onMouseDown={keepFocus} onClick={() => void submit()}>
              {t('login.submit')} <kbd>Enter</kbd>
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
