import { parseReceiptCode } from '../../../src-common/receipt-code.js';
import { RpcError } from '../../../src-common/rpc/client.js';
import { onEvent } from '../../app/events.js';
import { attempt, call, errorText, reportError } from '../../app/rpc.js';
import { openReturns, setReceipt, showToast, useApp } from '../../app/store.js';
import { i18n } from '../../i18n/index.js';

/** A screen that takes product scans itself (the returns screen) while it is showing. */
let interceptor: ((code: string) => void) | null = null;
export function setScanInterceptor(fn: ((code: string) => void) | null): void {
  interceptor = fn;
}

/**
 * Benchmark hook: `enterAt` is the `timeStamp` of the Enter keydown that submitted a code. When
 * the line it produced is in the DOM, one animation frame later we push the elapsed ms onto
 * window.__lavkaScanTimings. One slot: scans are sequential at a till.
 */
let pendingScanAt: number | null = null;

/** Call from a layout effect of the lines table: the DOM holds the new line now. */
export function linesCommitted(): void {
  const start = pendingScanAt;
  if (start === null) return;
  pendingScanAt = null;
  requestAnimationFrame(() => (window.__lavkaScanTimings ??= []).push(performance.now() - start));
}

/** Barcode, weighed-goods label or PLU, resolved by the backend. */
export async function submitCode(code: string, enterAt: number | null): Promise<void> {
  let r;
  try {
    r = await call('checkout.scan', { code });
  } catch (e) {
    // A marking code the registrar is still checking: wait for its answer, then send the scan again.
    if (!(e instanceof RpcError && e.code === 'marking_pending')) return reportError(e);
    showToast(errorText(e), 'info');
    await markingChecked(typeof e.details?.code === 'string' ? e.details.code : code);
    r = await attempt('checkout.scan', { code });
  }
  if (!r) return;
  pendingScanAt = enterAt;
  setReceipt(r, 'last');
}

const MARKING_WAIT_MS = 15_000;

/** Resolves when the registrar has answered about this code (or after a while: the scan then says why). */
function markingChecked(code: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, MARKING_WAIT_MS);
    const off = onEvent('marking.checked', (e) => {
      if (e.code === code) done();
    });
    function done(): void {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

/**
 * A scanner burst from any screen. A receipt's own code opens the return of that receipt; the
 * returns screen takes product scans itself; anything else starts or continues the sale, closing
 * what stood in the way.
 */
export function scanFromAnywhere(code: string, enterAt: number): void {
  const { dialog, screen, shift } = useApp.getState();
  if (dialog === 'payment') {
    showToast(i18n.t('checkout.scanDuringPayment'), 'info');
    return;
  }
  // The device panel's scan test shows what a scanner read; it is not a sale.
  if (screen === 'devices') return;
  const receiptId = parseReceiptCode(code);
  if (receiptId) {
    openReturns(receiptId);
    return;
  }
  if (screen === 'returns' && interceptor && !useApp.getState().completed) {
    interceptor(code);
    return;
  }
  if (shift === null) {
    useApp.setState({ query: '' });
    showToast(i18n.t('errors.shift_not_open'));
    return;
  }
  useApp.setState({ completed: null, dialog: 'none', pendingProduct: null, query: '', screen: 'checkout', report: null });
  void submitCode(code, enterAt);
}

/**
 * Digits typed by hand and Enter. A short number is a PLU: loose goods sold by weight need their
 * weight first, so look the PLU up before adding; anything else goes straight to checkout.scan.
 * Not timed: the benchmark hook measures wedge scans only, and a person's Enter is not one.
 */
export async function submitTyped(text: string): Promise<void> {
  // A receipt's code typed by hand (or by a scanner too slow to be told from typing) opens its return too.
  const receiptId = parseReceiptCode(text);
  if (receiptId) {
    useApp.setState({ query: '' });
    openReturns(receiptId);
    return;
  }
  if (/^\d{1,5}$/.test(text)) {
    const plu = Number(text);
    const [hit] = await call('catalog.search', { text, limit: 1 }).catch(() => []);
    if (hit && hit.plu === plu && hit.unit !== 'pcs') {
      useApp.setState({ pendingProduct: hit, dialog: 'weighedQty' });
      return;
    }
  }
  await submitCode(text, null);
}
