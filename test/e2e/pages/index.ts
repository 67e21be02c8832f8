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
 *              returns-button (F6), till-button (F10)
 *   receipt    receipt-view (data-kind: sale | return), receipt-number, receipt-code, receipt-kind,
 *              receipt-line, receipt-subtotal, receipt-discount, receipt-total, receipt-vat,
 *              receipt-paid-card, receipt-paid-cash, receipt-change, receipt-refund-cash,
 *              receipt-refund-card, receipt-give-back, receipt-printed, receipt-reprint, new-sale
 *   approval   approval-dialog (data-action), approval-action, approval-amount, approval-subject,
 *              approval-method, approval-retry, approval-user-<id>, approval-pin, approval-key-<…>,
 *              approval-error, approval-cancel, approval-submit
 *   shift      shift-closed, shift-closed-title, open-shift, shift-banner (data-state: warn | expired),
 *              shift-banner-close, till-menu, till-shift-info, till-cash-in, till-cash-out, till-return,
 *              till-x-report, till-no-sale, till-close-shift
 *   count      open-shift-dialog, close-shift-dialog, count-row (data-value), count-input-<value>,
 *              count-line-<value>, count-total, count-key-<…>, count-error, count-cancel, count-submit,
 *              close-difference-dialog, close-counted, close-difference, close-reason, close-error,
 *              close-recount, close-confirm
 *   cash       cash-dialog, cash-amount, cash-reason, cash-reason-<preset>, cash-key-<…>, cash-error, cash-apply
 *   stock      stock-screen, stock-tab-<documents|levels>, stock-new-receiving, stock-new-count, stock-docs,
 *              stock-doc-<number>-<kind>, stock-doc (data-state, data-kind, data-counted), stock-doc-state, stock-doc-close,
 *              stock-supplier, stock-supplier-add, supplier-dialog, supplier-name, supplier-inn, supplier-save,
 *              stock-invoice-no, stock-invoice-date, stock-scan, stock-lines, stock-line-<n> (data-status,
 *              data-product), stock-<qty|cost|newPrice>-<n>, stock-remove-<n>, stock-totals,
 *              stock-received-cost, stock-diffs, stock-post, stock-post-dialog, stock-zero-uncounted,
 *              stock-post-confirm, stock-cancel, stock-cancel-confirm, stock-levels-search, stock-levels,
 *              stock-level-<productId>, stock-level-qty-<productId>, stock-level-cost-<productId>, till-stock,
 *              stock-new-writeoff, writeoff-dialog, writeoff-reason-<reason>, writeoff-note, writeoff-create,
 *              stock-writeoff-reason, new-product-dialog, new-product-name, new-product-unit-<pcs|kg|l>,
 *              new-product-vat, new-product-category, new-product-price, new-product-save, stock-import-file,
 *              import-dialog, import-file, import-progress, import-preview, import-summary, import-map-<field>,
 *              import-issues, import-issue (data-row, data-code), import-rows, import-apply, stock-levels-csv,
 *              stock-levels-xlsx, stock-doc-csv, stock-doc-xlsx, stock-tab-catalog, catalog-import, import-price-type,
 *              stock-new-order, stock-order-low, order-dialog, order-supplier, order-create, stock-ordered-cost,
 *              stock-receive-order, stock-prices-from, stock-proposed-<n>, stock-apply-proposed, pricing-panel,
 *              stock-level-tag-<productId>, price-tags-panel (labels page model)
 *   report     report-view (data-kind: X | Z), report-title, report-period, report-sales, report-returns,
 *              report-net, report-pay-<method>, report-vat, report-average, report-lines, report-discounts,
 *              report-voids, report-cancelled, report-cashier, report-float, report-cash-sales,
 *              report-cash-refunds, report-cash-in, report-cash-out, report-movement, report-expected,
 *              report-counted, report-difference, report-reason, report-text, report-back, report-open-shift
 *   admin      till-admin (in the till menu), admin-screen, admin-tab-<users|roles|receipt|fiscal|sync|audit>, admin-close,
 *              admin-users, admin-user-row, admin-user-add, admin-user-form, admin-user-name,
 *              admin-user-role, admin-user-pin, admin-user-active, admin-user-save, admin-error,
 *              admin-roles, perm-<role>-<permission>, admin-audit, audit-filter-user,
 *              audit-filter-action, audit-filter-from, audit-filter-to, audit-verify,
 *              audit-verify-result, audit-row, audit-action, audit-more
 *   sync       sync-badge (top bar; data-state ok|warn|bad), sync-panel, sync-halted (data-reason), sync-enroll,
 *              sync-url, sync-url-error, sync-code, sync-code-error, sync-enroll-submit, sync-enrolling,
 *              sync-enroll-failed, sync-error, sync-facts, sync-store, sync-connection (data-state),
 *              sync-last-error (data-code), sync-conflicts, sync-queue, sync-queued-<channel|total>, sync-now,
 *              sync-reenroll
 *   devices    till-devices (in the till menu), devices-screen, devices-back, device-row (data-status,
 *              data-device-id, data-kind), device-name, device-status, device-connection, device-last-error,
 *              device-edit, device-add (only with the settings permission), device-test-<print|drawer|weigh|display>,
 *              device-test-result (data-ok), device-scan-test, device-scan-code, virtual-printer, virtual-receipt,
 *              virtual-display, scale-load-input, scale-load-place, device-alarm (top bar);
 *              virtual-label-printer (data-device-id, data-printed), virtual-label (data-count),
 *              virtual-label-image, virtual-label-text; a label printer's test is device-test-print;
 *              weight dialog: scale-panel (data-state), scale-weight, scale-take
 *   price tags price-tags-panel (PriceTagsPanel, for the stock screen), price-tags-pending, price-tags-empty,
 *              price-tag-row-<priceChangeId> (data-state, data-product), price-tag-check-<id>, price-tag-copies-<id>,
 *              price-tag-state-<id>, price-tags-select-all, price-tags-print, price-tags-jobs, price-tag-job
 *              (data-job-id, data-state), price-tag-job-state, price-tags-error
 *   device form device-form, device-kind, device-driver, device-name-input, device-transport-<serial|tcp|usb|hid>,
 *              device-transport-emulator (read-only note), device-serial-port, device-serial-path, device-baud,
 *              device-tcp-host, device-tcp-port, device-usb, device-hid, device-ports-scanning,
 *              device-ports-none, device-ports-errors, device-opt-<profile|code-page|drawer|drawer-pin|suffix|
 *              capacity|width|open-command|status-command|label-profile|label-stock>, device-enabled, device-error-<field> (name, driver,
 *              path, baud, host, port, usb, hid, profile, code-page, drawer-pin, suffix, capacity, width,
 *              open-command, status-command), device-form-error, device-save, device-cancel, device-remove,
 *              device-remove-confirm, device-remove-yes, device-remove-no
 *   receipt layout  admin-receipt, template-header, template-footer, template-header-error,
 *              template-footer-error, template-show-<cashier|vat|logo>, template-code-<qr|barcode|none>,
 *              template-preview, template-logo, template-logo-input, template-logo-canvas, template-logo-size,
 *              template-logo-remove, template-logo-error, template-error, template-save, template-cancel
 *   returns    returns-screen (data-mode: receipt | free), returns-mode-receipt, returns-mode-free,
 *              returns-back, returns-search, returns-find, returns-message, returns-results,
 *              returns-result (data-receipt-id), returns-source (data-receipt-id), returns-source-title,
 *              returns-source-paid, returns-line (data-line-id), returns-line-name,
 *              returns-line-returnable, returns-qty, returns-line-refund, returns-all, returns-reason,
 *              returns-refund-total, returns-confirm, returns-product-search, returns-free-lines,
 *              returns-free-line, returns-free-name, returns-free-qty, returns-free-remove,
 *              returns-free-method-<cash|card>, returns-free-reason, returns-free-total, returns-free-confirm
 */
export { LoginPage } from './login.js';
export { CheckoutPage, type LineText } from './checkout.js';
export { PaymentDialog } from './payment.js';
export { ReceiptPage } from './receipt.js';
export { ApprovalDialog } from './approval.js';
export { TillPage, type DrawerCount } from './till.js';
export { ReportPage } from './report.js';
export { ReturnsPage, type ReturnLineText } from './returns.js';
export { AdminPage } from './admin.js';
export { DevicesPage, type TcpPrinter } from './devices.js';
export { ReceiptTemplatePage } from './receipt-template.js';
export { StockPage } from './stock.js';
export { VirtualLabelPanel } from './labels.js';

/** Visible text with every kind of space folded to a plain one (Intl uses narrow no-break spaces). */
export function plain(text: string | null): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
