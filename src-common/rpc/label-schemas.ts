import { z } from 'zod';
import { MAX_COPIES } from '../price-tag.js';
import { IdSchema, MinorSchema, StockDocKindSchema, UnitSchema } from './schemas.js';

/** Wire schemas for price tags and label printers (labels.* in the contract). Money in minor units, instants epoch ms. */

/** Copies of one tag asked for at once (a shelf, not a warehouse: the printer accepts up to MAX_COPIES). */
export const MAX_TAG_COPIES = 99;
/** Tags in one request. */
export const MAX_TAGS_PER_JOB = 500;

const CopiesSchema = z.number().int().min(1).max(MAX_TAG_COPIES);
const PriceChangeIdSchema = z.number().int().positive();
const ProductIdSchema = z.number().int().positive();

export const LabelJobStateSchema = z.enum(['queued', 'printing', 'waiting', 'done', 'failed', 'cancelled']);
export type LabelJobState = z.infer<typeof LabelJobStateSchema>;
/** 'label': on a label printer; 'receipt': no label printer is configured, so small tags on the receipt printer. */
export const LabelJobViaSchema = z.enum(['label', 'receipt']);
export type LabelJobVia = z.infer<typeof LabelJobViaSchema>;
export const LabelJobKindSchema = z.enum(['price_tags', 'test']);

/** A price tag as queued (src-common/price-tag.ts PriceTag): the text already formatted. */
export const PriceTagSchema = z.object({
  name: z.string(),
  price: z.string(),
  unitPrice: z.string().optional(),
  barcode: z.object({ symbology: z.enum(['ean13', 'ean8', 'code128']), data: z.string() }).optional(),
  date: z.string().optional(),
  sku: z.string().optional(),
  extra: z.string().optional(),
  copies: z.number().int().min(1).max(MAX_COPIES),
});

/** A retail price change whose price tags are still to print. */
export const PendingPriceChangeSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  name: z.string(),
  unit: UnitSchema,
  barcode: z.string().nullable(),
  oldPrice: MinorSchema,
  newPrice: MinorSchema,
  /** The product's price now: what a tag printed now shows (a later change may have replaced `newPrice`). */
  price: MinorSchema,
  at: z.number().int(),
  /** Who changed it (null: the head office or a user since removed). */
  by: z.string().nullable(),
  /** The stock document that set it (a delivery), when there is one. */
  source: z.object({ id: z.string(), kind: StockDocKindSchema, number: z.number().int() }).nullable(),
  /** The latest job asked to print its tags, if any (queued, waiting with why, failed). */
  job: z.object({ id: z.string(), state: LabelJobStateSchema, lastError: z.string().nullable() }).nullable(),
});
export type PendingPriceChange = z.infer<typeof PendingPriceChangeSchema>;

/**
 * Queue price tags: for price changes (their tags_printed_at is set once printed), with the same
 * copies each or per change, or for any products of the catalog.
 */
export const LabelPrintParamsSchema = z.union([
  z.object({ priceChangeIds: z.array(PriceChangeIdSchema).min(1).max(MAX_TAGS_PER_JOB), copies: CopiesSchema.default(1) }).strict(),
  z.object({ priceChanges: z.array(z.object({ id: PriceChangeIdSchema, copies: CopiesSchema }).strict()).min(1).max(MAX_TAGS_PER_JOB) }).strict(),
  z.object({ items: z.array(z.object({ productId: ProductIdSchema, copies: CopiesSchema.default(1) }).strict()).min(1).max(MAX_TAGS_PER_JOB) }).strict(),
]);
export type LabelPrintParams = z.infer<typeof LabelPrintParamsSchema>;

export const LabelJobViewSchema = z.object({
  id: z.string(),
  kind: LabelJobKindSchema,
  via: LabelJobViaSchema,
  deviceId: z.string(),
  /** The printer's name (null: removed since). */
  deviceName: z.string().nullable(),
  state: LabelJobStateSchema,
  /** Why it waits or failed, in the printer's words. */
  lastError: z.string().nullable(),
  attempts: z.number().int(),
  /** Different tags, and labels in all (copies counted). */
  tags: z.number().int(),
  labels: z.number().int(),
  /** The first few product names, for the list. */
  names: z.array(z.string()),
  priceChangeIds: z.array(z.number().int()),
  createdAt: z.number().int(),
  createdBy: z.string().nullable(),
  printedAt: z.number().int().nullable(),
});
export type LabelJobView = z.infer<typeof LabelJobViewSchema>;

/** What an emulated label printer (the demo's) has printed: the last runs of labels, newest last. */
export const EmulatedLabelsSchema = z.object({
  profile: z.string(),
  /** Labels printed in all (copies counted). */
  printed: z.number().int(),
  /** Labels received and held back (a fault stopped the printer). */
  waiting: z.number().int(),
  /** What stops it now, if anything ('headOpen', 'paperOut', …). */
  faults: z.array(z.string()),
  labels: z.array(
    z.object({
      /** Identical labels printed in a row. */
      count: z.number().int(),
      widthDots: z.number().int().nullable(),
      heightDots: z.number().int().nullable(),
      /** Text fields as the printer decoded them, top to bottom. */
      texts: z.array(z.string()),
      barcodes: z.array(z.object({ symbology: z.string(), data: z.string() })),
      /** The label drawn as the paper would look (barcodes; text is listed above), PNG base64. */
      png: z.string(),
    }),
  ),
});
export type EmulatedLabels = z.infer<typeof EmulatedLabelsSchema>;

export const LabelsEmulatedParamsSchema = z.object({ deviceId: IdSchema, last: z.number().int().min(1).max(20).default(5) }).strict();
