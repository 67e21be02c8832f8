// The receipt layout as the editor holds it (header and footer as text) and back. Pure.
import type { ReceiptTemplateInput } from '../../../src-common/rpc/schemas.js';

export const MAX_LINES = 8;
export const MAX_LINE_CHARS = 64;

export type CodeKind = ReceiptTemplateInput['code'];
export const CODE_KINDS: readonly CodeKind[] = ['qr', 'barcode', 'none'];

export interface TemplateDraft {
  header: string;
  footer: string;
  showCashier: boolean;
  showVat: boolean;
  showLogo: boolean;
  code: CodeKind;
}

/** One printed line per row of the text box; empty rows at the end are left out. */
export function textToLines(text: string): string[] {
  const lines = text.replace(/\r/g, '').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

export function draftOf(t: ReceiptTemplateInput): TemplateDraft {
  return { header: t.header.join('\n'), footer: t.footer.join('\n'), showCashier: t.showCashier, showVat: t.showVat, showLogo: t.showLogo ?? false, code: t.code };
}

export function templateOf(d: TemplateDraft): ReceiptTemplateInput {
  return { header: textToLines(d.header), footer: textToLines(d.footer), showCashier: d.showCashier, showVat: d.showVat, showLogo: d.showLogo, code: d.code };
}

/** What is wrong with a block of lines (an i18n key under receiptTemplate and its values), or null. */
export function checkLines(text: string): { key: 'tooManyLines' | 'lineTooLong'; values: Record<string, number> } | null {
  const lines = textToLines(text);
  if (lines.length > MAX_LINES) return { key: 'tooManyLines', values: { max: MAX_LINES } };
  const long = lines.findIndex((l) => l.length > MAX_LINE_CHARS);
  return long === -1 ? null : { key: 'lineTooLong', values: { line: long + 1, max: MAX_LINE_CHARS } };
}
