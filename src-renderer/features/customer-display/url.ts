/**
 * The customer-facing screen is the same page with `view=customer` in the hash, next to the
 * browser-mode token (`#token=…&view=customer`; Electron has no token: `#view=customer`).
 */
const VIEW_PARAM = 'view';
const CUSTOMER = 'customer';

export function isCustomerViewHash(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).get(VIEW_PARAM) === CUSTOMER;
}

/** This page's URL turned into the customer screen's: same origin, path and token. */
export function customerViewUrl(href: string): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.hash.replace(/^#/, ''));
  params.set(VIEW_PARAM, CUSTOMER);
  url.hash = params.toString();
  return url.toString();
}
