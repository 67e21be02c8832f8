import { z } from 'zod';
import { MAX_QTY } from '../units.js';
import { ProgrammeSchema } from '../loyalty.js';
import { smsMethods } from '../sms-schemas.js';
import {
  type CustomerView,
  ApprovalIdSchema,
  AuditEntrySchema,
  AuditVerifySchema,
  CashMovementViewSchema,
  DenominationCountSchema,
  CustomerViewSchema,
  FiscalAlarmSchema,
  FiscalReceiptStateSchema,
  FiscalResolveSchema,
  FiscalSettingsSchema,
  FiscalStatusViewSchema,
  DeviceInputSchema,
  DeviceTestActionSchema,
  DeviceTestResultSchema,
  DeviceViewSchema,
  LogoSchema,
  PortsViewSchema,
  ReceiptTemplateSchema,
  ReceiptTemplateViewSchema,
  EmulatedPaperSchema,
  PermissionSchema,
  ReasonSchema,
  ReceiptFoundSchema,
  ReturnSourceSchema,
  RoleSchema,
  ShiftReportSchema,
  ShiftSummarySchema,
  ShiftViewSchema,
  SyncStatusViewSchema,
  type SyncStatusView,
  type ImportStatus,
  UserAdminViewSchema,
  DiscountSchema,
  EffectViewSchema,
  IdSchema,
  MAX_CODE_LENGTH,
  MAX_SEARCH_LENGTH,
  ParkedReceiptSchema,
  PaymentMethodSchema,
  PositiveMinorSchema,
  PrintedReceiptSchema,
  ProductViewSchema,
  QtySchema,
  ReceiptViewSchema,
  SystemInfoSchema,
  UserViewSchema,
  CatalogReferencesSchema,
  CustomerRecordSchema,
  CustomerSignUpSchema,
  CustomerCardSchema,
  CouponInputSchema,
  CouponViewSchema,
  ConsentPurposeSchema,
  MarkupRuleInputSchema,
  MarkupRuleSchema,
  ScheduledPriceSchema,
  ExportChunkSchema,
  ExportStatusSchema,
  CatalogImportResultSchema,
  CommerceMLPreviewSchema,
  IMPORT_CHUNK_BYTES,
  ImportPreviewSchema,
  ImportStatusSchema,
  MappingChoiceSchema,
  CountInputSchema,
  NewProductInputSchema,
  ReceivingHeaderSchema,
  ReceivingLineInputSchema,
  StockDocKindSchema,
  WriteoffInputSchema,
  StockDocStateSchema,
  StockDocSummarySchema,
  StockDocViewSchema,
  StockLevelSchema,
  SupplierInputSchema,
  SupplierViewSchema,
} from './schemas.js';
import {
  EmulatedLabelsSchema,
  LabelJobViewSchema,
  LabelPrintParamsSchema,
  LabelsEmulatedParamsSchema,
  PendingPriceChangeSchema,
  type LabelJobState,
} from './label-schemas.js';

type MethodKind = 'query' | 'command';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  kind: MethodKind;
  /** Callable before login (the login screen itself). */
  public?: boolean;
  params: P;
  result: R;
}

function query<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, isPublic = false): MethodSpec<P, R> {
  return { kind: 'query', params, result, public: isPublic };
}
function command<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, isPublic = false): MethodSpec<P, R> {
  return { kind: 'command', params, result, public: isPublic };
}

const NoParams = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
const CodeParam = z.string().min(1).max(MAX_CODE_LENGTH);

export const PaymentInputSchema = z.object({
  method: PaymentMethodSchema,
  /** Cash: what the customer handed over. Card: the amount charged. */
  amount: PositiveMinorSchema.refine((n) => n > 0, { message: 'must be positive' }),
});
export type PaymentInput = z.infer<typeof PaymentInputSchema>;

/**
 * The RPC contract: every method the renderer may call, with its params and result schemas.
 * The backend implements exactly this table; the client is typed from it end to end.
 */
export const contract = {
  'system.info': query(NoParams, SystemInfoSchema, true),
  'system.setLanguage': command(z.object({ language: z.enum(['ru', 'en']) }).strict(), Ok),

  'session.users': query(NoParams, z.array(UserViewSchema), true),
  'session.login': command(
    z.object({ userId: z.number().int().positive(), pin: z.string().min(1).max(12) }).strict(),
    UserViewSchema,
    true,
  ),
  'session.logout': command(NoParams, Ok, true),
  'session.current': query(NoParams, UserViewSchema.nullable(), true),

  'catalog.lookup': query(z.object({ code: CodeParam }).strict(), ProductViewSchema.nullable()),
  'catalog.search': query(
    z.object({ text: z.string().max(MAX_SEARCH_LENGTH), limit: z.number().int().min(1).max(50).default(20) }).strict(),
    z.array(ProductViewSchema),
  ),

  'checkout.current': query(NoParams, ReceiptViewSchema.nullable()),
  'checkout.scan': command(z.object({ code: CodeParam }).strict(), ReceiptViewSchema),
  'checkout.addProduct': command(
    // fromScale: a weighed product takes its weight from the configured scale (stable, fresh).
    z.object({ productId: z.number().int().positive(), qty: QtySchema.optional(), fromScale: z.boolean().optional() }).strict(),
    ReceiptViewSchema,
  ),
  'checkout.addByPlu': command(
    z.object({ plu: z.number().int().min(1).max(99_999), qty: QtySchema.optional(), fromScale: z.boolean().optional() }).strict(),
    ReceiptViewSchema,
  ),
  'checkout.setQty': command(
    z.object({ lineId: IdSchema, qty: z.number().int(), approvalId: ApprovalIdSchema }).strict(),
    ReceiptViewSchema,
  ),
  'checkout.removeLine': command(z.object({ lineId: IdSchema, approvalId: ApprovalIdSchema }).strict(), ReceiptViewSchema),
  'checkout.setLineDiscount': command(
    z.object({ lineId: IdSchema, discount: DiscountSchema.nullable(), approvalId: ApprovalIdSchema }).strict(),
    ReceiptViewSchema,
  ),
  'checkout.setReceiptDiscount': command(
    z.object({ discount: DiscountSchema.nullable(), approvalId: ApprovalIdSchema }).strict(),
    ReceiptViewSchema,
  ),
  'checkout.overridePrice': command(
    z.object({ lineId: IdSchema, price: PositiveMinorSchema, approvalId: ApprovalIdSchema }).strict(),
    ReceiptViewSchema,
  ),
  'checkout.park': command(NoParams, Ok),
  'checkout.parked': query(NoParams, z.array(ParkedReceiptSchema)),
  'checkout.resume': command(z.object({ receiptId: IdSchema }).strict(), ReceiptViewSchema),
  'checkout.cancel': command(z.object({ approvalId: ApprovalIdSchema }).strict(), Ok),
  /** The loyalty customer on the basket (null: none): their tier discount applies and their points can be spent. */
  'checkout.setCustomer': command(z.object({ customerId: IdSchema.nullable() }).strict(), ReceiptViewSchema),
  /** Points to spend on this basket (0: none); more than can be spent is refused with the limit that applies. */
  'checkout.redeemPoints': command(z.object({ points: z.number().int().min(0).max(10_000_000) }).strict(), ReceiptViewSchema),
  /** A coupon or promo code on this basket (null: take it off); an unknown or spent one is refused with why. */
  'checkout.applyCoupon': command(z.object({ code: z.string().trim().min(1).max(40).nullable() }).strict(), ReceiptViewSchema),
  'checkout.complete': command(
    // Empty only for a receipt whose total is zero (a 100 % discount).
    z.object({ payments: z.array(PaymentInputSchema).max(8) }).strict(),
    ReceiptViewSchema,
  ),

  'receipts.get': query(z.object({ id: IdSchema }).strict(), ReceiptViewSchema),
  'receipts.recent': query(z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(), z.array(ReceiptViewSchema)),
  /** Print a copy of a completed receipt (marked as a copy) on the receipt printer. */
  'receipts.reprint': command(z.object({ id: IdSchema }).strict(), Ok),
  'receipts.printed': query(z.object({ id: IdSchema }).strict(), PrintedReceiptSchema.nullable()),
  /** A manager's PIN approving one gated action of the logged-in cashier (see OVERRIDABLE). */
  'approvals.grant': command(
    z
      .object({
        action: PermissionSchema,
        binding: z.string().min(1).max(300),
        userId: z.number().int().positive(),
        pin: z.string().min(1).max(12),
      })
      .strict(),
    z.object({ approvalId: z.string(), expiresAt: z.number().int(), approver: z.string() }),
  ),

  'shift.current': query(NoParams, ShiftViewSchema.nullable()),
  'shift.open': command(z.object({ count: DenominationCountSchema }).strict(), ShiftViewSchema),
  'shift.cashIn': command(z.object({ amount: PositiveMinorSchema, reason: ReasonSchema }).strict(), CashMovementViewSchema),
  'shift.cashOut': command(
    z.object({ amount: PositiveMinorSchema, reason: ReasonSchema, approvalId: ApprovalIdSchema }).strict(),
    CashMovementViewSchema,
  ),
  'shift.noSale': command(z.object({ approvalId: ApprovalIdSchema }).strict(), Ok),
  /** Close with a blind count; returns the Z report. A difference beyond the tolerance needs a reason. */
  'shift.close': command(
    z.object({ count: DenominationCountSchema, reason: ReasonSchema.optional() }).strict(),
    ShiftReportSchema,
  ),
  'reports.x': query(NoParams, ShiftReportSchema),
  'reports.z': query(z.object({ shiftId: IdSchema }).strict(), ShiftReportSchema),
  'reports.shifts': query(z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(), z.array(ShiftSummarySchema)),

  /** Completed sales by receipt number, scanned receipt code, or business day (YYYY-MM-DD). */
  'returns.find': query(z.object({ query: z.string().trim().min(1).max(MAX_CODE_LENGTH) }).strict(), z.array(ReceiptFoundSchema)),
  'returns.source': query(z.object({ receiptId: IdSchema }).strict(), ReturnSourceSchema),
  'returns.complete': command(
    z
      .object({
        originalId: IdSchema,
        /** A marked unit comes back with its code scanned again: it must be the one sold on that line. */
        lines: z.array(z.object({ lineId: IdSchema, qty: QtySchema, markingCode: z.string().min(1).max(200).optional() }).strict()).min(1).max(500),
        reason: ReasonSchema.optional(),
      })
      .strict(),
    ReceiptViewSchema,
  ),
  'returns.completeWithoutReceipt': command(
    z
      .object({
        lines: z.array(z.object({ productId: z.number().int().positive(), qty: QtySchema, markingCode: z.string().min(1).max(200).optional() }).strict()).min(1).max(100),
        method: PaymentMethodSchema,
        reason: ReasonSchema,
        approvalId: ApprovalIdSchema,
      })
      .strict(),
    ReceiptViewSchema,
  ),

  'users.list': query(NoParams, z.array(UserAdminViewSchema)),
  'users.save': command(
    z
      .object({
        id: z.number().int().positive().optional(),
        name: z.string().trim().min(1).max(60),
        role: RoleSchema,
        active: z.boolean(),
        pin: z.string().regex(/^\d{4,8}$/).optional(),
      })
      .strict(),
    UserAdminViewSchema,
  ),
  'roles.matrix': query(NoParams, z.array(z.object({ role: RoleSchema, permissions: z.array(PermissionSchema) }))),
  'roles.set': command(z.object({ role: RoleSchema, permission: PermissionSchema, granted: z.boolean() }).strict(), Ok),
  'audit.list': query(
    z
      .object({
        userId: z.number().int().positive().optional(),
        action: z.string().max(40).optional(),
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    z.array(AuditEntrySchema),
  ),
  'audit.verify': query(NoParams, AuditVerifySchema),

  'devices.list': query(NoParams, z.array(DeviceViewSchema)),
  /** Add (no id) or change a device; the till reconnects it at once. Needs `settings`. */
  'devices.save': command(z.object({ device: DeviceInputSchema }).strict(), DeviceViewSchema),
  'devices.remove': command(z.object({ deviceId: IdSchema }).strict(), Ok),
  /** Serial ports, USB printers and HID scanners found; asks for a fresh scan when the list is older than a few seconds. */
  'devices.ports': query(NoParams, PortsViewSchema),
  /** Test print, open the drawer, read the weight, show a line on the display. */
  'devices.test': command(z.object({ deviceId: IdSchema, action: DeviceTestActionSchema }).strict(), DeviceTestResultSchema),
  /** Demo and tests: put a load on an emulated scale's pan (grams; settles after a few moving readings). */
  'devices.emulatorLoad': command(z.object({ deviceId: IdSchema, grams: z.number().int().min(-5_000).max(100_000) }).strict(), Ok),
  /** What an emulated customer display shows (the demo's virtual pole display). */
  'devices.display': query(z.object({ deviceId: IdSchema }).strict(), z.object({ lines: z.array(z.string()) })),
  'devices.paper': query(z.object({ deviceId: IdSchema, last: z.number().int().min(1).max(50).default(5) }).strict(), EmulatedPaperSchema),

  /** The receipt layout the owner adjusts (header, footer, logo, which parts). */
  'receipt.template': query(NoParams, ReceiptTemplateViewSchema),
  /** Save the layout; `logo` null removes the logo, absent keeps it. Needs `settings`. */
  'receipt.templateSave': command(z.object({ template: ReceiptTemplateSchema, logo: LogoSchema.nullable().optional() }).strict(), Ok),
  /** A sample receipt laid out by `template`, as the lines the printer would print. */
  'receipt.preview': query(z.object({ template: ReceiptTemplateSchema }).strict(), z.object({ lines: z.array(z.string()) })),

  /** A receipt's fiscal document (number, fiscal sign) or where it is on its way. */
  'fiscal.receipt': query(z.object({ receiptId: IdSchema }).strict(), FiscalReceiptStateSchema),
  /** In fiscal mode the registrar prints its X report too (queued in the fiscal journal); `queued` false outside fiscal mode. */
  'fiscal.xReport': command(NoParams, z.object({ queued: z.boolean() })),
  /** Fiscal mode, tax system, cashier INN and the marking offline policy (owner and manager: `settings`). */
  'fiscal.settings': query(NoParams, FiscalSettingsSchema),
  'fiscal.settingsSave': command(z.object({ settings: FiscalSettingsSchema }).strict(), Ok),
  /** The compliance clock and fiscal alarms. */
  'fiscal.status': query(NoParams, FiscalStatusViewSchema),
  /** Fiscal operations stuck for good or waiting for a person, with what may be done about each (`settings`). */
  'fiscal.alarms': query(NoParams, z.array(FiscalAlarmSchema)),
  /** Settle an alarm: a correction receipt for an unregistered receipt, or a note saying what was checked (`settings`). */
  'fiscal.resolve': command(FiscalResolveSchema, z.object({ correctionId: z.string().nullable() })),

  /** What the customer-facing screen shows now (the second screen opens before anyone logs in). */
  'customer.view': query(NoParams, CustomerViewSchema, true),

  'effects.list': query(z.object({ receiptId: IdSchema.optional() }).strict(), z.array(EffectViewSchema)),

  /** The link to the head office, for any logged-in user (the credential is never part of it). */
  'sync.status': query(NoParams, SyncStatusViewSchema),
  /**
   * Enroll this till with a one-time code (`settings`). The address is checked here; the request to
   * the head office runs after the command, and its outcome arrives as a `sync.state` event.
   */
  'sync.enroll': command(
    z.object({ url: z.string().trim().min(1).max(300), code: z.string().trim().min(1).max(40) }).strict(),
    z.object({ started: z.literal(true) }),
  ),
  /** Send what is queued now, without waiting out the back-off. */
  'sync.now': command(NoParams, Ok),

  // ---- stock (the `stock` permission; setting retail prices also `prices_manage`)
  // ---- imports (`stock`): a file goes up in pieces, is read in the background, previewed, then applied in one transaction
  'imports.begin': command(z.object({ name: z.string().trim().min(1).max(200), size: z.number().int().min(0) }).strict(), ImportStatusSchema),
  'imports.chunk': command(
    z.object({ importId: IdSchema, offset: z.number().int().min(0), data: z.string().max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4) }).strict(),
    ImportStatusSchema,
  ),
  /** The whole file is up: read it (the outcome comes as `import.changed`). */
  'imports.finish': command(z.object({ importId: IdSchema }).strict(), ImportStatusSchema),
  'imports.status': query(z.object({ importId: IdSchema }).strict(), ImportStatusSchema),
  'imports.preview': query(MappingChoiceSchema.extend({ importId: IdSchema }).strict(), ImportPreviewSchema),
  /**
   * A supplier's file into a draft delivery: each good row becomes a line with the invoice quantity
   * and cost (a new retail price too, for whoever may set prices); goods the catalog lacks are made
   * from the row. Refused rows are left out and named; nothing is written if anything else fails.
   */
  'imports.toReceiving': command(
    MappingChoiceSchema.extend({ importId: IdSchema, docId: IdSchema }).strict(),
    z.object({ doc: StockDocViewSchema, lines: z.number().int(), created: z.number().int(), rejected: z.number().int() }),
  ),
  /** Read an uploaded CommerceML exchange (import.xml, with its offers.xml) at a price type; the outcome comes as `import.changed`. */
  'imports.commerceml': command(
    z
      .object({
        importId: IdSchema,
        offersId: IdSchema.nullable().default(null),
        priceType: z.object({ id: z.string().max(100).optional(), name: z.string().max(100).optional() }).strict().optional(),
      })
      .strict(),
    ImportStatusSchema,
  ),
  'imports.commercemlPreview': query(z.object({ importId: IdSchema }).strict(), CommerceMLPreviewSchema),
  /**
   * Into the catalog, in one transaction: products found by barcode or article are updated (name,
   * new barcodes, VAT, group; the retail price for whoever may set prices, as a price change with its
   * tags), others are made. From a price list (with the mapping chosen) or a CommerceML exchange.
   */
  'imports.toCatalog': command(MappingChoiceSchema.extend({ importId: IdSchema }).strict(), CatalogImportResultSchema),
  /** Stock levels or one stock document as a CSV (for Russian Excel: ;, decimal comma, BOM) or XLSX file, fetched in pieces. */
  'exports.create': query(
    z.object({ what: z.enum(['stock_levels', 'stock_doc']), docId: IdSchema.optional(), format: z.enum(['csv', 'xlsx']) }).strict(),
    ExportStatusSchema,
  ),
  'exports.chunk': query(z.object({ exportId: IdSchema, offset: z.number().int().min(0) }).strict(), ExportChunkSchema),
  // ---- customers (`sale`: a cashier finds and signs up customers at the till)
  /** A customer by card number, phone (any way it is written) or name (up to `limit`). */
  'customers.find': query(z.object({ text: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(20).default(5) }).strict(), z.array(CustomerRecordSchema)),
  /** Quick sign-up at the till, with the consents asked (when, where and by whom are recorded). */
  'customers.signUp': command(CustomerSignUpSchema, CustomerRecordSchema),
  /** A customer's card: points, tier, coupons for today, latest ledger entries. */
  'customers.get': query(z.object({ id: IdSchema }).strict(), CustomerCardSchema),
  /** Ask the head office for the customer's balance now (the answer comes as `customer.changed`). */
  'customers.confirm': command(z.object({ id: IdSchema }).strict(), Ok),
  /** A consent given or withdrawn (recorded with when, where and by whom). */
  'customers.setConsent': command(z.object({ id: IdSchema, purpose: ConsentPurposeSchema, granted: z.boolean() }).strict(), CustomerCardSchema),
  /** Everything held about a customer on this till, as JSON (`loyalty_manage`). */
  'customers.export': query(z.object({ id: IdSchema }).strict(), z.object({ json: z.string() })),
  /** Forget a customer (`loyalty_manage`): personal data removed here and, through the head office, on every till. */
  'customers.erase': command(z.object({ id: IdSchema }).strict(), Ok),
  /** Points added or taken off by a person, with the reason (`loyalty_manage`). */
  'customers.adjustPoints': command(z.object({ id: IdSchema, points: z.number().int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0), reason: z.string().trim().min(3).max(40) }).strict(), CustomerCardSchema),

  // ---- loyalty programme and coupons (`loyalty_manage` to change)
  'loyalty.programme': query(NoParams, z.object({ programme: ProgrammeSchema, managed: z.boolean() })),
  'loyalty.saveProgramme': command(z.object({ programme: ProgrammeSchema }).strict(), z.object({ programme: ProgrammeSchema, managed: z.boolean() })),
  'loyalty.coupons': query(NoParams, z.array(CouponViewSchema)),
  'loyalty.saveCoupon': command(CouponInputSchema, z.array(CouponViewSchema)),
  // ---- SMS to customers (src-common/sms-schemas.ts: settings, templates, campaigns, the send log)
  ...smsMethods,
  /** What the demo's emulated SMS provider was sent (empty unless the provider is the emulator). */
  'sms.emulated': query(NoParams, z.array(z.object({ id: z.string(), to: z.string(), text: z.string(), from: z.string(), statusCode: z.number().int() }))),

  // ---- pricing (`prices_manage` to change; `stock` to read)
  'pricing.rules': query(NoParams, z.array(MarkupRuleSchema)),
  'pricing.setRule': command(MarkupRuleInputSchema, z.array(MarkupRuleSchema)),
  'pricing.deleteRule': command(z.object({ id: z.number().int().positive() }).strict(), z.array(MarkupRuleSchema)),
  /** Price changes waiting for their moment. */
  'pricing.scheduled': query(NoParams, z.array(ScheduledPriceSchema)),
  'pricing.cancelScheduled': command(z.object({ id: z.number().int().positive() }).strict(), z.array(ScheduledPriceSchema)),
  /** A draft delivery's lines take the prices their markup rules propose (where they differ from the current one). */
  'stockDocs.applyProposedPrices': command(z.object({ docId: IdSchema }).strict(), StockDocViewSchema),
  /** VAT rates and categories, for forms that make or edit products. */
  'catalog.references': query(NoParams, CatalogReferencesSchema),
  /** A new product on the spot (`stock`; a retail price also `prices_manage`): barcode check digit and uniqueness checked. */
  'catalog.createProduct': command(NewProductInputSchema, ProductViewSchema),
  'suppliers.list': query(NoParams, z.array(SupplierViewSchema)),
  'suppliers.create': command(SupplierInputSchema, SupplierViewSchema),
  /** A new delivery from a supplier, as a draft: filled in by scanning, then posted. */
  'receiving.create': command(ReceivingHeaderSchema, StockDocViewSchema),
  /**
   * A stock count (all goods or one category), blind by default: counted lines are compared with the
   * ledger as it stood when the count began, so the till can sell meanwhile.
   */
  'counts.create': command(CountInputSchema, StockDocViewSchema),
  /** An order to a supplier (a draft: quantities and costs as `expectedQty` and `cost`); posting places it. */
  'orders.create': command(z.object({ supplierId: z.number().int().positive(), note: z.string().trim().max(500).nullable().optional() }).strict(), StockDocViewSchema),
  /** An order for what is low: each product at or below its minimum, at its reorder suggestion and last average cost. */
  'orders.fromLowStock': command(z.object({ supplierId: z.number().int().positive() }).strict(), StockDocViewSchema),
  /** The chain's other stores (from the head office), where goods may be sent. */
  'stores.list': query(NoParams, z.array(z.object({ id: z.string(), name: z.string() }))),
  /** Goods sent to another store of the chain (counted by scan); posting takes them out of stock and into transit. */
  'transfers.create': command(z.object({ toStoreId: z.string().min(1).max(64), note: z.string().trim().max(500).nullable().optional() }).strict(), StockDocViewSchema),
  /** Goods written off (damaged, expired, stolen, own use): counted lines leave stock when posted. */
  'writeoffs.create': command(WriteoffInputSchema, StockDocViewSchema),
  'stockDocs.update': command(ReceivingHeaderSchema.omit({ orderId: true }).extend({ docId: IdSchema }).strict(), StockDocViewSchema),
  /** One scan counts one unit (or a pack barcode's quantity; a weighed-goods barcode its weight). */
  'stockDocs.scan': command(z.object({ docId: IdSchema, code: z.string().trim().min(1).max(MAX_CODE_LENGTH) }).strict(), StockDocViewSchema),
  'stockDocs.setLine': command(ReceivingLineInputSchema, StockDocViewSchema),
  /** The stable weight on the till's scale added to a weighed product's line (a delivery, a count or a write-off). */
  'stockDocs.weigh': command(z.object({ docId: IdSchema, productId: z.number().int().positive() }).strict(), StockDocViewSchema),
  'stockDocs.removeLine': command(z.object({ docId: IdSchema, lineNo: z.number().int().positive() }).strict(), StockDocViewSchema),
  /**
   * Post, in one transaction, never edited after: a delivery adds its stock, average costs and new
   * retail prices (their price tags then due); a count writes each counted line's difference from the
   * book at its start (`zeroUncounted`: goods of its scope nobody counted are counted as none).
   */
  'stockDocs.post': command(z.object({ docId: IdSchema, zeroUncounted: z.boolean().default(false) }).strict(), StockDocViewSchema),
  'stockDocs.cancel': command(z.object({ docId: IdSchema }).strict(), StockDocViewSchema),
  'stockDocs.get': query(z.object({ id: IdSchema }).strict(), StockDocViewSchema),
  'stockDocs.list': query(
    z.object({ state: StockDocStateSchema.optional(), kind: StockDocKindSchema.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    z.array(StockDocSummarySchema),
  ),
  /** A product's low-stock minimum and the supplier's pack it is reordered in (null: none). */
  'stock.setMinimum': command(
    z.object({ productId: z.number().int().positive(), minQty: z.number().int().min(0).max(MAX_QTY).nullable(), orderPack: QtySchema.nullable().default(null) }).strict(),
    StockLevelSchema,
  ),
  /** Where a product is kept (null: nowhere in particular). */
  'stock.setLocation': command(z.object({ productId: z.number().int().positive(), location: z.string().trim().min(1).max(64).nullable() }).strict(), StockLevelSchema),
  'stock.levels': query(
    z
      .object({
        text: z.string().trim().max(MAX_SEARCH_LENGTH).optional(),
        lowOnly: z.boolean().default(false),
        location: z.string().trim().min(1).max(64).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    z.array(StockLevelSchema),
  ),

  // ---- price tags and label printers (the `stock` permission)
  /** Retail price changes whose price tags are not printed yet, newest first. */
  'labels.pending': query(z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(), z.array(PendingPriceChangeSchema)),
  /**
   * Queue price tags: for price changes (marked printed once they are), or for any products. They go
   * to the label printer, or as small tags to the receipt printer when there is none; never in a sale's way.
   */
  'labels.print': command(LabelPrintParamsSchema, LabelJobViewSchema),
  /** Recent label jobs and where each is (queued, waiting with why, done). */
  'labels.jobs': query(z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(), z.array(LabelJobViewSchema)),
  /** Demo and tests: what an emulated label printer has printed (decoded text, barcodes, the label as a PNG). */
  'labels.emulated': query(LabelsEmulatedParamsSchema, EmulatedLabelsSchema),
} satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ParamsIn<M extends MethodName> = z.input<Contract[M]['params']>;
export type Params<M extends MethodName> = z.output<Contract[M]['params']>;
export type Result<M extends MethodName> = z.output<Contract[M]['result']>;

export function isMethodName(x: unknown): x is MethodName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(contract, x);
}

/** Event topics pushed to clients after a command commits. */
export interface EventMap {
  'cart.changed': { receiptId: string | null };
  /** A customer's points or record changed (the head office answered, a feed arrived). */
  'customer.changed': { customerId: string };
  /** An SMS changed state (sent, delivered, failed). */
  'sms.changed': { id: string; state: string };
  /** The SMS account needs the owner (low balance, bad key, sender not approved). */
  'sms.alert': { kind: 'low_balance'; balance: number; threshold: number } | { kind: 'account'; code: string; message: string };
  'session.changed': { userId: number | null };
  'effects.changed': { receiptId: string };
  'device.status': { deviceId: string; status: 'init' | 'connecting' | 'connected' | 'disconnected' | 'error'; message?: string };
  /** The link to the head office changed (connection, queue, enrollment, an alarm): the whole status. */
  'sync.state': SyncStatusView;
  'shift.changed': { shiftId: string | null };
  /** An import's file was read (or could not be): its status. */
  'import.changed': ImportStatus;
  /** The head office changed the store's settings or its staff: read system.info and the user list again. */
  'system.changed': Record<string, never>;
  /** A scanner attached to the till (serial or HID) read a code; the screen in front routes it like a wedge scan. */
  'scanner.scan': { deviceId: string; code: string; symbology: string | null };
  /** The customer-facing screen's content changed. */
  'customer.view': CustomerView;
  /** Device configuration or the list of found ports changed. */
  'devices.changed': { ports: boolean };
  /** The registrar finished checking a marking code (the scan that started it is sent again). */
  'marking.checked': { code: string; state: 'pending' | 'accepted' | 'rejected' | 'unavailable' };
  /** A fiscal journal row (a receipt, a shift open/close, a cash movement) changed state. */
  'fiscal.changed': { refId: string | null; state: 'queued' | 'sending' | 'done' | 'failed' | 'attention' | 'resolved' };
  /** The weight on the configured scale changed (grams null when there is none to show). */
  'scale.changed': { state: 'stable' | 'unstable' | 'overload' | 'underload' | 'fault' | 'unavailable'; grams: number | null };
  /** A label job (price tags) changed state. */
  'labels.changed': { jobId: string; state: LabelJobState };
}
export type EventTopic = keyof EventMap;
