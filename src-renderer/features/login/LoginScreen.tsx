import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attempt } from '../../app/rpc.js';
import { setReceipt, useApp } from '../../app/store.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function LoginScreen() {
  const { t } = useTranslation();
  const users = useApp((s) => s.users);
  const lastUserId = useApp((s) => s.lastUserId);
  const [userId, setUserId] = useState<number | null>(lastUserId);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (userId === null || pin.length === 0 || busy) return;
    setBusy(true);
    const user = await attempt('session.login', { userId, pin });
    setPin('');
    setBusy(false);
    if (!user) return;
    useApp.setState({ user, lastUserId: user.id, completed: null });
    setReceipt(await attempt('checkout.current', {}), 'last');
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (userId === null) return;
      if (/^Digit\d$|^Numpad\d$/.test(e.code)) setPin((p) => (p.length < 12 ? p + e.code.slice(-1) : p));
      else if (e.code === 'Backspace') setPin((p) => p.slice(0, -1));
      else if (e.code === 'Enter' || e.code === 'NumpadEnter') void submit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <main className="login">
      <section>
        <h2>{t('login.chooseUser')}</h2>
        <div className="user-tiles">
          {users.map((u) => (
            <button key={u.id} className={u.id === userId ? 'tile selected' : 'tile'} data-testid={`login-user-${u.id}`} onClick={() => { setUserId(u.id); setPin(''); }}>
              <span className="tile-name">{u.name}</span>
              <span className="tile-role">{u.role}</span>
            </button>
          ))}
        </div>
      </section>
      {userId !== null && (
        <section className="pin">
          <h2>{t('login.enterPin')}</h2>
          <div className="pin-dots" data-testid="pin-dots">
            {pin.length > 0 ? '•'.repeat(pin.length) : '\u00a0'}
          </div>
          <div className="numpad">
            {DIGITS.map((d) => (
              <button key={d} data-testid={`pin-key-${d}`} onClick={() => setPin((p) => (p.length < 12 ? p + d : p))}>
                {d}
              </button>
            ))}
            <button onClick={() => setPin('')}>{t('login.clear')}</button>
            <button className="primary" data-testid="pin-submit" disabled={busy || pin.length === 0} onClick={() => void submit()}>
              {t('login.submit')}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
