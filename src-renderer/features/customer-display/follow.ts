import { RpcClient } from '../../../src-common/rpc/client.js';
import type { CustomerView } from '../../../src-common/rpc/schemas.js';
import { openLink } from '../../app/link.js';

export type LinkState = 'connecting' | 'online' | 'reconnecting';

export interface CustomerViewListener {
  view(view: CustomerView): void;
  link(state: LinkState): void;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * The customer screen's own connection: no login, no till state, only `customer.view`, read once
 * per connection and then followed through its event. It does not use app/rpc.ts, whose
 * connection logs the cashier's session in and out; it reconnects the same way (250 ms doubling to 5 s)
 * and reads the view again on every reconnect, since events sent while it was away are lost.
 * Replies and events come over one ordered link, so whichever arrives last is the newest view.
 * Returns the stop function.
 */
export function followCustomerView(listener: CustomerViewListener): () => void {
  let client: RpcClient | null = null;
  let retryMs = RETRY_FIRST_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let everOnline = false;
  let stopped = false;

  const scheduleReconnect = (): void => {
    if (stopped || retryTimer !== null) return;
    listener.link(everOnline ? 'reconnecting' : 'connecting');
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const lost = (c: RpcClient): void => {
    if (client !== c) return;
    client = null;
    c.close();
    scheduleReconnect();
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    let c: RpcClient;
    try {
      const link = await openLink();
      c = new RpcClient(link);
      link.onClose(() => lost(c));
    } catch {
      scheduleReconnect();
      return;
    }
    if (stopped) {
      c.close();
      return;
    }
    client = c;
    c.on('customer.view', (view) => {
      if (client === c) listener.view(view);
    });
    try {
      const view = await c.call('customer.view');
      if (client !== c) return;
      everOnline = true;
      retryMs = RETRY_FIRST_MS;
      listener.view(view);
      listener.link('online');
    } catch {
      // Refused or cut off mid-call: start over on a fresh link, with back-off.
      lost(c);
    }
  };

  listener.link('connecting');
  void connect();
  return () => {
    stopped = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    const c = client;
    client = null;
    c?.close();
  };
}
