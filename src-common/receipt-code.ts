/**
 * The code printed as a barcode on every receipt, so a return starts with one scan: "RC" and the
 * receipt's UUID as 32 hex digits. Letters and digits only (Code 128 and QR carry it, and a
 * keyboard-wedge scanner types it the same on any layout); a product barcode never starts with letters.
 */
const PATTERN = /^RC([0-9a-f]{32})$/i;

export function receiptCode(receiptId: string): string {
  return `RC${receiptId.replace(/-/g, '').toUpperCase()}`;
}

/** The receipt id a scanned code names, or null when the code is not a receipt code. */
export function parseReceiptCode(code: string): string | null {
  const m = PATTERN.exec(code.trim());
  if (!m) return null;
  const h = (m[1] as string).toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
