/**
 * Page models for the e2e tests: each reads like what a cashier does.
 *
 * data-testid hooks in the renderer: login-user-<id>, pin-key-<digit>, pin-submit, pin-dots,
 * scan-input, search-result, line-row (data-line-id), line-name, line-qty, line-amount, subtotal,
 * discount-total, total, qty-button, price-button, line-discount-button, receipt-discount-button,
 * remove-button, park-button, parked-button, parked-item, cancel-button, cancel-confirm,
 * amount-input, amount-apply, discount-kind-percent, discount-kind-amount, discount-percent-input,
 * discount-amount-input, discount-apply, discount-remove, pay-button, pay-due, pay-card-input,
 * pay-card-confirm, pay-cash-input, pay-exact, pay-remaining, pay-change, pay-complete,
 * receipt-view, receipt-number, receipt-subtotal, receipt-discount, receipt-total,
 * receipt-paid-card, receipt-paid-cash, receipt-change, receipt-printed, new-sale, toast,
 * connection-status (data-state), language-switch, logout, cashier-name.
 */
export { LoginPage } from './login.js';
export { CheckoutPage } from './checkout.js';
export { PaymentDialog } from './payment.js';
export { ReceiptPage } from './receipt.js';

/** Visible text with every kind of space folded to a plain one (Intl uses narrow no-break spaces). */
export function plain(text: string | null): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
