import { z } from 'zod';
import { MAX_MINOR, MAX_QTY } from '../units.js';

/** Wire schemas for the view models. Money is integer minor units, instants epoch ms. */
export const MinorSchema = z.number().int().min(-MAX_MINOR).max(MAX_MINOR);
export const PositiveMinorSchema = z.number().int().min(0).max(MAX_MINOR);
export const QtySchema = z.number().int().min(1).max(MAX_QTY);
export const IdSchema = z.string().min(1).max(64);
/** Longest code we accept from a scanner: GS1 DataMatrix marking codes run to ~150 characters. */
export const MAX_CODE_LENGTH = 200;
export const MAX_SEARCH_LENGTH = 100;

export const UnitSchema = z.enum(['pcs', 'kg', 'l']);
export type Unit = z.infer<typeof UnitSchema>;
export const ProductKindSchema = z.enum(['goods', 'service', 'weighed']);
export type ProductKind = z.infer<typeof ProductKindSchema>;

export const DiscountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), bp: z.number().int().min(1).max(10_000) }),
  z.object({ kind: z.literal('amount'), amount: z.number().int().min(1).max(MAX_MINOR) }),
]);
export type Discount = z.infer<typeof DiscountSchema>;

export const VatRateSchema = z.object({ code: z.string(), bp: z.number().int() });
export type VatRateView = z.infer<typeof VatRateSchema>;

export const ProductViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  nameAlt: z.string().nullable(),
  kind: ProductKindSchema,
  unit: UnitSchema,
  price: MinorSchema,
  plu: z.number().int().nullable(),
  barcode: z.string().nullable(),
  category: z.string().nullable(),
  vat: VatRateSchema,
});
export type ProductView = z.infer<typeof ProductViewSchema>;

export const ReceiptLineViewSchema = z.object({
  id: z.string(),
  productId: z.number().int(),
  name: z.string(),
  unit: UnitSchema,
  qty: z.number().int(),
  price: MinorSchema,
  basePrice: MinorSchema,
  priceOverridden: z.boolean(),
  barcode: z.string().nullable(),
  gross: MinorSchema,
  discount: DiscountSchema.nullable(),
  discountTotal: MinorSchema,
  amount: MinorSchema,
  vat: VatRateSchema,
  vatAmount: MinorSchema,
});
export type ReceiptLineView = z.infer<typeof ReceiptLineViewSchema>;

export const PaymentMethodSchema = z.enum(['cash', 'card']);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const PaymentViewSchema = z.object({
  method: PaymentMethodSchema,
  amount: MinorSchema,
  tendered: MinorSchema,
  change: MinorSchema,
});
export type PaymentView = z.infer<typeof PaymentViewSchema>;

export const ReceiptStateSchema = z.enum(['open', 'parked', 'completed', 'cancelled']);
export type ReceiptState = z.infer<typeof ReceiptStateSchema>;

export const ReceiptViewSchema = z.object({
  id: z.string(),
  state: ReceiptStateSchema,
  number: z.number().int().nullable(),
  openedAt: z.number().int(),
  completedAt: z.number().int().nullable(),
  cashier: z.string(),
  lines: z.array(ReceiptLineViewSchema),
  discount: DiscountSchema.nullable(),
  subtotal: MinorSchema,
  discountTotal: MinorSchema,
  total: MinorSchema,
  vat: z.array(VatRateSchema.extend({ amount: MinorSchema })),
  payments: z.array(PaymentViewSchema),
  change: MinorSchema,
});
export type ReceiptView = z.infer<typeof ReceiptViewSchema>;

export const ParkedReceiptSchema = z.object({
  id: z.string(),
  parkedAt: z.number().int(),
  cashier: z.string(),
  lines: z.number().int(),
  total: MinorSchema,
  firstItem: z.string().nullable(),
});
export type ParkedReceipt = z.infer<typeof ParkedReceiptSchema>;

export const RoleSchema = z.enum(['owner', 'manager', 'senior_cashier', 'cashier', 'stock_clerk']);
export type Role = z.infer<typeof RoleSchema>;

export const UserViewSchema = z.object({ id: z.number().int(), name: z.string(), role: RoleSchema });
export type UserView = z.infer<typeof UserViewSchema>;

export const SystemInfoSchema = z.object({
  storeName: z.string(),
  tillName: z.string(),
  tillId: z.string(),
  currency: z.string(),
  locale: z.string(),
  minorDigits: z.number().int(),
  language: z.enum(['ru', 'en']),
  quickCash: z.array(PositiveMinorSchema),
  demo: z.boolean(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

export const EffectViewSchema = z.object({
  id: z.string(),
  receiptId: z.string(),
  kind: z.string(),
  state: z.enum(['pending', 'done', 'failed', 'skipped']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});
export type EffectView = z.infer<typeof EffectViewSchema>;

export const PrintedReceiptSchema = z.object({ receiptId: z.string(), text: z.string() });
