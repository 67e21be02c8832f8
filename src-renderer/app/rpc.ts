import { RpcClient, RpcError } from '../../src-common/rpc/client.js';
import type { MethodName, ParamsIn, Result } from '../../src-common/rpc/contract.js';
import { i18n } from '../i18n/index.js';
import { money } from './format.js';
import { openLink } from './link.js';
import { setReceipt, showToast, useApp } from './store.js';

let client: RpcClient | null = null;
let retryMs = 250;

/** Typed call on the live connection; rejects when offline. */
export function call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
  if (!client) return Promise.reject(new RpcError('internal', 'offline'));
  return (client.call as (m: M, p: ParamsIn<M>) => Promise<Result<M>>)(method, params);
}

/** A translated sentence for any error the backend can return. */
export function errorText(e: unknown): string {
  if (!(e instanceof RpcError)) return i18n.t('errors.internal');
  const d = e.details ?? {};
  if (e.code === 'pin_invalid' && typeof d.left === 'number') return i18n.t('errors.pin_invalid_left', { left: d.left });
  if (e.code === 'tender_short' && typeof d.short === 'number') {
    const lang = i18n.language === 'en' ? 'en' : 'ru';
    return i18n.t('errors.tender_short', { short: money(d.short, useApp.getState().info, lang, true) });
  }
  if (e.message.startsWith('connection closed') || e.message === 'offline') return i18n.t('errors.offline');
  return i18n.t(`errors.${e.code}`, { ...d, defaultValue: i18n.t('errors.internal') });
}

/** Run a call; on failure show the translated message and return null. */
export async function attempt<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M> | null> {
  try {
    return await call(method, params);
  } catch (e) {
    if (e instanceof RpcError && e.code === 'unauthenticated') useApp.setState({ user: null, dialog: 'none' });
    showToast(errorText(e));
    return null;
  }
}

/** Connect (and keep reconnecting with back-off); after each connect, reload what the screen shows. */
export function startConnection(): void {
  useApp.setState({ connection: client ? 'offline' : 'connecting' });
  openLink()
    .then((link) => {
      const c = new RpcClient(link);
      link.onClose(() => {
        if (client !== c) return;
        client = null;
        const { user } = useApp.getState();
        useApp.setState({ connection: 'offline', user: null, lastUserId: user?.id ?? useApp.getState().lastUserId, dialog: 'none' });
        setTimeout(startConnection, retryMs);
      });
      c.on('effects.changed', ({ receiptId }) => {
        const done = useApp.getState().completed;
        if (done && done.id === receiptId) window.dispatchEvent(new CustomEvent('lavka:effects', { detail: receiptId }));
      });
      client = c;
      retryMs = 250;
      return onConnected();
    })
    .catch(() => {
      useApp.setState({ connection: 'offline' });
      retryMs = Math.min(retryMs * 2, 5000);
      setTimeout(startConnection, retryMs);
    });
}

async function onConnected(): Promise<void> {
  const [info, users, current] = await Promise.all([call('system.info', {}), call('session.users', {}), call('session.current', {})]);
  useApp.setState({ connection: 'online', info, users, user: current });
  if (current) setReceipt(await call('checkout.current', {}), 'last');
}
