/**
 * Page models for the e2e tests: each reads like what a cashier does.
 *
 * data-testid hooks in the renderer (src-renderer):
 *   shell      connection-status (data-state: connecting | online | reconnecting), connection-banner
 *              (while reconnecting), language-switch, logout, cashier-name, till-name, clock,
 *              toast (data-kind: error | info), toast-dismiss
 *   login      login-screen, login-user-<id>, pin-key-<0-9>, pin-back, pin-clear, pin-submit,
 *              pin-dots, pin-error
 *   checkout   checkout, scan-input, search-results, search-result (data-product-id), search-empty,
 *              lines, lines-empty, line-row (data-line-id, aria-selected), line-name, line-qty,
 *              line-price, line-discount, line-amount, line-count, subtotal, discount-total, total,
 *              qty-button, price-button, line-discount-button, receipt-discount-button,
 *              remove-button, park-button, parked-button, cancel-button, pay-button
 *   dialogs    amount-dialog, amount-input, amount-apply, amount-error, amount-key-<0-9|decimal|back|clear>,
 *              discount-dialog, discount-kind-percent, discount-kind-amount, discount-percent-input,
 *              discount-amount-input, discount-apply, discount-remove, discount-error,
 *              discount-key-<…>, cancel-dialog, cancel-confirm, cancel-dismiss,
 *              parked-dialog, parked-item (data-receipt-id), parked-empty
 *   payment    payment-dialog, pay-due, pay-card-input, pay-card-full, pay-card-confirm,
 *              pay-cash-input, pay-exact, pay-quick-<kopecks>, pay-remaining, pay-change,
 *              pay-problem, pay-complete
 *   receipt    receipt-view, receipt-number, receipt-line, receipt-subtotal, receipt-discount,
 *              receipt-total, receipt-vat, receipt-paid-card, receipt-paid-cash, receipt-change,
 *              receipt-printed, new-sale
 */
export { LoginPage } from './login.js';
export { CheckoutPage, type LineText } from './checkout.js';
export { PaymentDialog } from './payment.js';
export { ReceiptPage } from './receipt.js';

/** Visible text with every kind of space folded to a plain one (Intl uses narrow no-break spaces). */
export function plain(text: string | null): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
