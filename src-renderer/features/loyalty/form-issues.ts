import type { TFunction } from 'i18next';
import type { z } from 'zod';

/** How a number field is typed and read: money (minor units), a percentage (basis points) or a whole number. */
export type NumberKind = 'money' | 'percent' | 'int';

/** The key an error is shown under: the schema path joined with dots ("tiers.0.minSpend"). */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * One schema complaint as a sentence in the screen's language. Bounds are shown as the cashier
 * types them (a percentage, an amount), not as the basis points or kopecks on the wire.
 */
export function issueText(issue: z.core.$ZodIssue, kind: NumberKind, t: TFunction, show: (kind: NumberKind, n: number) => string): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return t('loyalty.form.required');
      if (issue.origin === 'array') return t('loyalty.form.tooFew', { min: Number(issue.minimum) });
      return t('loyalty.form.atLeast', { min: show(kind, Number(issue.minimum)) });
    case 'too_big':
      if (issue.origin === 'string') return t('loyalty.form.tooLong', { max: Number(issue.maximum) });
      if (issue.origin === 'array') return t('loyalty.form.tooMany', { max: Number(issue.maximum) });
      return t('loyalty.form.atMost', { max: show(kind, Number(issue.maximum)) });
    case 'invalid_type':
      return t(`loyalty.form.${kind}`);
    case 'invalid_format':
      return t('loyalty.form.format');
    default:
      return t('loyalty.form.invalid');
  }
}
