import { RpcClient, RpcError } from '../../src-common/rpc/client.js';
import type { MethodName, ParamsIn, Result } from '../../src-common/rpc/contract.js';
import { currentLanguage, i18n } from '../i18n/index.js';
import { isPermission, requestApproval } from './approval.js';
import { attachEventSource } from './events.js';
import { bareQuantity, money, signedMoney } from './format.js';
import { openLink } from './link.js';
import { setReceipt, showToast, toLogin, useApp, type ApprovalRequest } from './store.js';

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

let client: RpcClient | null = null;
let retryMs = RETRY_FIRST_MS;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let everOnline = false;

/** Typed call on the live connection; rejects when offline. */
export function call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
  if (!client) return Promise.reject(new RpcError('internal', 'offline'));
  return (client.call as (m: M, p: ParamsIn<M>) => Promise<Result<M>>)(method, params);
}

/** A translated sentence for any error the backend can return. */
export function errorText(e: unknown): string {
  if (!(e instanceof RpcError)) return i18n.t('errors.internal');
  if (e.message === 'offline' || e.message.startsWith('connection closed')) return i18n.t('errors.offline');
  const d = e.details ?? {};
  if (e.code === 'pin_invalid' && typeof d.left === 'number') return i18n.t('errors.pin_invalid_left', { left: d.left });
  if (e.code === 'tender_short' && typeof d.short === 'number') {
    return i18n.t('errors.tender_short', { short: money(d.short, useApp.getState().info, currentLanguage(), true) });
  }
  if (e.code === 'invalid_discount' && typeof d.max === 'number') {
    return i18n.t('errors.invalid_discount_max', { max: money(d.max, useApp.getState().info, currentLanguage(), true) });
  }
  if (e.code === 'reason_required' && typeof d.difference === 'number') {
    return i18n.t('errors.reason_required', { difference: signedMoney(d.difference, useApp.getState().info, currentLanguage()) });
  }
  if (e.code === 'cash_insufficient' && typeof d.available === 'number') {
    return i18n.t('errors.cash_insufficient', { available: money(d.available, useApp.getState().info, currentLanguage(), true) });
  }
  if (e.code === 'return_exceeds_sale' && typeof d.sold === 'number' && typeof d.returned === 'number') {
    const lang = currentLanguage();
    return i18n.t('errors.return_exceeds_sale', { sold: bareQuantity(d.sold, lang), returned: bareQuantity(d.returned, lang) });
  }
  if ((e.code === 'marking_invalid' || e.code === 'marking_rejected') && typeof d.reason === 'string') {
    return i18n.t(`errors.${e.code}`, { reason: i18n.t(`fiscal.marking.${d.reason}`, { defaultValue: e.message }) });
  }
  if (e.code === 'fiscal_unresolvable' && typeof d.reason === 'string') {
    return i18n.t('errors.fiscal_unresolvable', { reason: i18n.t(`fiscal.unresolvable.${d.reason}`, { defaultValue: e.message }) });
  }
  if (e.code === 'fiscal_blocked' && typeof d.reason === 'string') {
    return i18n.t('errors.fiscal_blocked', { reason: i18n.t(`fiscal.blocked.${d.reason}`, { defaultValue: e.message }) });
  }
  if (e.code === 'import_failed' && typeof d.reason === 'string') return i18n.t(`import.reasons.${d.reason}`, { ...d, defaultValue: i18n.t('errors.import_failed') });
  if (e.code === 'invalid_price' && d.reason === 'no_price') return i18n.t('errors.invalid_price_no_price', { name: d.name });
  if (e.code === 'product_invalid' && typeof d.reason === 'string') return i18n.t(`errors.product_invalid_${d.reason}`, { defaultValue: i18n.t('errors.product_invalid', { field: d.field }) });
  if (e.code === 'supplier_invalid' && (d.reason === 'inn' || d.reason === 'duplicate')) return i18n.t(`errors.supplier_invalid_${d.reason}`);
  if (e.code === 'coupon_invalid' && typeof d.reason === 'string') return i18n.t(`loyalty.couponProblem.${d.reason}`, { defaultValue: i18n.t('errors.coupon_invalid') });
  if (e.code === 'points_unavailable' && typeof d.max === 'number') return i18n.t(`errors.points_unavailable_${String(d.reason)}`, { max: d.max, defaultValue: i18n.t('errors.points_unavailable', { max: d.max }) });
  if (e.code === 'setting_managed' && typeof d.key === 'string') {
    return i18n.t('errors.setting_managed', { name: i18n.t(`sync.settingNames.${d.key}`, { defaultValue: d.key }) });
  }
  return i18n.t(`errors.${e.code}`, { ...d, defaultValue: i18n.t('errors.internal') });
}

/** Show the translated message; a lost session goes back to the login screen. */
export function reportError(e: unknown): void {
  if (e instanceof ApprovalCancelled) return;
  if (e instanceof RpcError && e.code === 'unauthenticated') toLogin();
  // The shift closed or ran out under us (another window, the clock): show it as it is now.
  if (e instanceof RpcError && (e.code === 'shift_not_open' || e.code === 'shift_expired')) void refreshShift();
  showToast(errorText(e));
}

/** The cashier closed the Approval dialog: the gated action is abandoned, quietly. */
export class ApprovalCancelled extends Error {
  constructor() {
    super('approval cancelled');
    this.name = 'ApprovalCancelled';
  }
}

const RETRY_REASONS = ['used', 'expired', 'mismatch', 'self'] as const;

/** What a refusal asks a manager to approve, or null when it is not an approval refusal. */
function approvalNeeded(e: unknown): Omit<ApprovalRequest, 'id'> | null {
  if (!(e instanceof RpcError) || (e.code !== 'approval_required' && e.code !== 'approval_invalid')) return null;
  const d = e.details ?? {};
  if (!isPermission(d.action) || typeof d.binding !== 'string') return null;
  if (e.code === 'approval_required') return { action: d.action, binding: d.binding, retry: null };
  const reason = RETRY_REASONS.find((r) => r === d.reason) ?? 'mismatch';
  return { action: d.action, binding: d.binding, retry: reason };
}

/**
 * A user action: like `call`, but a gated command the cashier's role may not run alone opens the
 * Approval dialog, and once a manager's PIN grants it the same command is sent again with the
 * approval id. Rejects with ApprovalCancelled when the cashier closes the dialog.
 */
export async function command<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
  let sent = params;
  for (;;) {
    try {
      return await call(method, sent);
    } catch (e) {
      const need = approvalNeeded(e);
      if (!need) throw e;
      const approvalId = await requestApproval(need.action, need.binding, need.retry);
      if (approvalId === null) throw new ApprovalCancelled();
      sent = { ...params, approvalId } as ParamsIn<M>;
    }
  }
}

/** Run a user action (through the approval flow); on failure report it and return null. */
export async function attempt<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M> | null> {
  try {
    return await command(method, params);
  } catch (e) {
    reportError(e);
    return null;
  }
}

let shiftSeq = 0;
/** Ask the backend which shift is open (after login, after a till operation, on shift.changed). */
export async function refreshShift(): Promise<void> {
  if (!useApp.getState().user || !client) return;
  const seq = ++shiftSeq;
  try {
    const shift = await call('shift.current', {});
    // A slower answer to an older question must not overwrite a newer one.
    if (seq === shiftSeq && useApp.getState().user) useApp.setState({ shift });
  } catch (e) {
    if (e instanceof RpcError && e.code === 'unauthenticated') {
      toLogin();
      showToast(i18n.t('lock.locked'), 'info');
    }
  }
}

/** Connect, and after any loss keep reconnecting with back-off (250 ms doubling to 5 s). */
export function startConnection(): void {
  void connect();
}

function scheduleReconnect(): void {
  if (retryTimer !== null) return;
  useApp.setState({ connection: everOnline ? 'reconnecting' : 'connecting' });
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void connect();
  }, retryMs);
  retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
}

async function connect(): Promise<void> {
  let c: RpcClient;
  try {
    const link = await openLink();
    c = new RpcClient(link);
    link.onClose(() => lost(c));
  } catch {
    scheduleReconnect();
    return;
  }
  client = c;
  attachEventSource(c);
  c.on('effects.changed', ({ receiptId }) => {
    if (useApp.getState().completed?.id === receiptId) window.dispatchEvent(new CustomEvent('lavka:effects', { detail: receiptId }));
  });
  c.on('shift.changed', () => void refreshShift());
  // The head office renamed the store, changed the receipt or shift settings, or its staff.
  c.on('system.changed', () => {
    void Promise.all([call('system.info', {}), call('session.users', {})])
      .then(([info, users]) => useApp.setState({ info, users }))
      .catch(() => undefined);
  });
  c.on('scale.changed', (weight) => useApp.setState({ weight }));
  c.on('device.status', ({ deviceId, status, message }) => {
    const problems = { ...useApp.getState().deviceProblems };
    const name = problems[deviceId]?.name ?? deviceId;
    if (status === 'disconnected' || status === 'error') problems[deviceId] = message ? { name, status, message } : { name, status };
    else delete problems[deviceId];
    useApp.setState({ deviceProblems: problems });
  });
  try {
    // A new connection is a new session: whoever was logged in must log in again.
    const [info, users, current] = await Promise.all([call('system.info', {}), call('session.users', {}), call('session.current', {})]);
    everOnline = true;
    retryMs = RETRY_FIRST_MS;
    useApp.setState({ connection: 'online', info, users });
    if (current) {
      // Still logged in (an Electron window reload keeps the session): show the basket with the user.
      setReceipt(await call('checkout.current', {}), 'last');
      useApp.setState({ user: current });
    } else if (useApp.getState().user) {
      toLogin();
      showToast(i18n.t('app.sessionEnded'), 'info');
    }
  } catch {
    lost(c);
    c.close();
  }
}

/**
 * The basket stays on screen while the link is down, so the cashier can still read out the total;
 * commands fail with a "no connection" toast. The session died with the link: connect() sends the
 * cashier to the login screen once the backend answers again.
 */
function lost(c: RpcClient): void {
  if (client !== c) return;
  client = null;
  scheduleReconnect();
}
