import { z } from 'zod';
import { RoleSchema, type Permission } from '../roles.js';
import { SYNC_CHANNELS, SYNC_ERROR_CODES } from '../sync/protocol.js';
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
  /** Sold only by scanning each unit's marking code (Честный знак DataMatrix). */
  marked: z.boolean(),
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

/**
 * A loyalty customer on a receipt: the tier's discount, the coupon, the points spent and earned,
 * and the balance (open: what can be spent now; completed: after this receipt). Only the
 * customer's pseudonymous id: no name, phone or card (this view also goes to the head office).
 */
export const ReceiptLoyaltySchema = z.object({
  customerId: z.string(),
  tier: z.string().nullable(),
  tierDiscount: MinorSchema,
  coupon: z
    .object({
      code: z.string(),
      amount: MinorSchema,
      /** Why it gives nothing on this receipt (expired, used, below its minimum), null when it applies. */
      problem: z.enum(['unknown', 'inactive', 'not_yet', 'expired', 'used_up', 'used_by_customer', 'below_minimum', 'needs_customer']).nullable(),
    })
    .nullable(),
  pointsAsked: z.number().int(),
  pointsSpent: z.number().int(),
  pointsValue: MinorSchema,
  /** On a completed receipt: earned by it; on an open one: what it would earn. */
  pointsEarned: z.number().int(),
  /** Of those, the programme's gifts (birthday points): not taken back by a return. */
  bonusPoints: z.number().int().default(0),
  balance: z.number().int(),
  /** The most points this receipt can take now, and the limit that set it. */
  redeemable: z.number().int(),
  limit: z.enum(['balance', 'share', 'offline_cap']).nullable(),
  /** The balance was confirmed by the head office recently (else the offline cap applies). */
  online: z.boolean(),
});
export type ReceiptLoyalty = z.infer<typeof ReceiptLoyaltySchema>;

export const ReceiptViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['sale', 'return']),
  state: ReceiptStateSchema,
  /** What the printed receipt's barcode carries, to find it again for a return. */
  code: z.string(),
  originalId: z.string().nullable(),
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
  loyalty: ReceiptLoyaltySchema.nullable().default(null),
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

export { RoleSchema, type Role, PERMISSIONS, PermissionSchema, type Permission } from '../roles.js';

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
  /** Notes and coins of the currency, largest first, for counting the drawer. */
  denominations: z.array(z.number().int().positive()),
  /** The store's IANA time zone: times on screen match the printed receipts and reports. */
  timeZone: z.string(),
  /** A scale is configured: weighed goods can take their weight from it. */
  scale: z.boolean(),
  /** Minutes of inactivity after which the till locks. */
  autoLockMinutes: z.number().int(),
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

/** Everything a role may be granted. The matrix itself is data (role_permissions), edited by the owner. */


/** Gated actions a manager may approve on the cashier's till with their PIN (one action, once, within 60 s). */
export const OVERRIDABLE: readonly Permission[] = [
  'void_line',
  'cancel_receipt',
  'return_no_receipt',
  'discount_over_limit',
  'price_override',
  'no_sale',
  'cash_out',
];

export const ApprovalIdSchema = IdSchema.optional();

export const DenominationCountSchema = z
  .array(z.object({ value: z.number().int().min(1).max(MAX_MINOR), count: z.number().int().min(0).max(100_000) }).strict())
  .max(40);
export type DenominationCount = z.infer<typeof DenominationCountSchema>;

export const ReasonSchema = z.string().trim().min(1).max(200);

export const ShiftViewSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  state: z.enum(['open', 'closed']),
  openedAt: z.number().int(),
  openedBy: z.string(),
  openingFloat: MinorSchema,
  /** Sales are refused from this instant until the shift is closed (the fiscal 24-hour rule). */
  expiresAt: z.number().int(),
  /** From this instant the till warns that the shift must be closed soon. */
  warnAt: z.number().int(),
  closedAt: z.number().int().nullable(),
});
export type ShiftView = z.infer<typeof ShiftViewSchema>;

export const CashMovementViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['in', 'out']),
  amount: MinorSchema,
  reason: z.string(),
  user: z.string(),
  approvedBy: z.string().nullable(),
  at: z.number().int(),
});
export type CashMovementView = z.infer<typeof CashMovementViewSchema>;

const CountAmount = z.object({ count: z.number().int(), amount: MinorSchema });

export const ShiftReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  shiftId: z.string(),
  shiftNumber: z.number().int(),
  storeName: z.string(),
  tillName: z.string(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  closedAt: z.number().int().nullable(),
  closedBy: z.string().nullable(),
  generatedAt: z.number().int(),
  sales: CountAmount,
  returns: CountAmount,
  net: MinorSchema,
  payments: z.array(z.object({ method: PaymentMethodSchema, sales: MinorSchema, refunds: MinorSchema, net: MinorSchema })),
  vat: z.array(
    z.object({ code: z.string(), bp: z.number().int(), sales: MinorSchema, salesVat: MinorSchema, returns: MinorSchema, returnsVat: MinorSchema }),
  ),
  cashiers: z.array(z.object({ name: z.string(), receipts: z.number().int(), sales: MinorSchema, returns: MinorSchema })),
  averageCheck: MinorSchema,
  /** Lines per sale receipt, in hundredths (250 = 2.5). */
  linesPerReceiptX100: z.number().int(),
  discounts: MinorSchema,
  voidedLines: CountAmount,
  cancelledReceipts: CountAmount,
  cashMovements: z.array(CashMovementViewSchema),
  cash: z.object({
    openingFloat: MinorSchema,
    sales: MinorSchema,
    refunds: MinorSchema,
    cashIn: MinorSchema,
    cashOut: MinorSchema,
    expected: MinorSchema,
    counted: MinorSchema.nullable(),
    difference: MinorSchema.nullable(),
    reason: z.string().nullable(),
  }),
  /** The same report laid out for the receipt printer. */
  text: z.string(),
});
export type ShiftReport = z.infer<typeof ShiftReportSchema>;

export const ShiftSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  openedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  net: MinorSchema,
  difference: MinorSchema.nullable(),
});

export const ReturnableLineSchema = z.object({
  lineId: z.string(),
  name: z.string(),
  unit: UnitSchema,
  sold: z.number().int(),
  returned: z.number().int(),
  returnable: z.number().int(),
  amount: MinorSchema,
  refundable: MinorSchema,
  /** A marked unit: its code must be scanned again to take it back. */
  marked: z.boolean(),
});

export const ReturnSourceSchema = z.object({
  receipt: ReceiptViewSchema,
  lines: z.array(ReturnableLineSchema),
  refundable: MinorSchema,
});
export type ReturnSource = z.infer<typeof ReturnSourceSchema>;

export const ReceiptFoundSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  completedAt: z.number().int(),
  cashier: z.string(),
  total: MinorSchema,
  lines: z.number().int(),
});

export const UserAdminViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  lockedUntil: z.number().int(),
});
export type UserAdminView = z.infer<typeof UserAdminViewSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  user: z.string().nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The device kinds the panel configures, and the drivers each may use. */
export const DEVICE_DRIVERS = {
  printer: ['escpos'],
  /** A drawer on its own serial line; a drawer on the printer's kick-out port is a printer option. */
  drawer: ['serial-drawer'],
  scanner: ['serial-scanner', 'hid-pos'],
  scale: ['toledo8217', 'cas', 'massak100'],
  display: ['cd5220'],
  /** Label printers for price tags, by command language; the model (option `profile`) says which firmware. */
  label: ['tspl', 'zpl'],
  /** 54-ФЗ registrars: Shtrih-M over serial or TCP, ATOL through its Driver v10 web server (TCP host:port). */
  fiscal: ['shtrih', 'atol'],
} as const;
export type ConfigurableDeviceKind = keyof typeof DEVICE_DRIVERS;
export const ConfigurableDeviceKindSchema = z.enum(['printer', 'drawer', 'scanner', 'scale', 'display', 'label', 'fiscal']);

export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

const UsbIdSchema = z.number().int().min(0).max(0xffff);
/** How a device is reached. `emulator`: a device emulated inside the till process (demo, tests). */
export const TransportConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('serial'), path: z.string().trim().min(1).max(200), baudRate: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('tcp'), host: z.string().trim().min(1).max(253), port: z.number().int().min(1).max(65_535) }).strict(),
  z.object({ kind: z.literal('usb'), vendorId: UsbIdSchema, productId: UsbIdSchema, serialNumber: z.string().max(128).optional() }).strict(),
  z.object({ kind: z.literal('hid'), path: z.string().max(200).optional(), vendorId: UsbIdSchema.optional(), productId: UsbIdSchema.optional() }).strict(),
  z.object({ kind: z.literal('emulator') }).strict(),
]);
export type TransportConfig = z.infer<typeof TransportConfigSchema>;

/** Driver options: profile, code page, drawer pin, suffix, capacity... checked per driver by the till. */
export const DeviceOptionsSchema = z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean(), z.null()]));

export const DeviceInputSchema = z
  .object({
    /** Absent for a new device. */
    id: IdSchema.optional(),
    kind: ConfigurableDeviceKindSchema,
    driver: z.string().min(1).max(40),
    name: z.string().trim().min(1).max(60),
    transport: TransportConfigSchema,
    options: DeviceOptionsSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict();
export type DeviceInput = z.infer<typeof DeviceInputSchema>;

export const DeviceViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  driver: z.string(),
  connection: z.string(),
  status: z.enum(['init', 'connecting', 'connected', 'disconnected', 'error', 'off']),
  message: z.string().nullable(),
  emulated: z.boolean(),
  transport: TransportConfigSchema,
  options: DeviceOptionsSchema,
  enabled: z.boolean(),
  /** The last fault this device reported, kept after it clears (the panel shows it). */
  lastError: z.object({ message: z.string(), at: z.number().int() }).nullable(),
  /** A printer's drawer switch as it last reported it (null: it does not report one). */
  drawerOpen: z.boolean().nullable(),
  /** A printer's paper-low sensor (null: not reported). */
  paperNearEnd: z.boolean().nullable(),
});
export type DeviceView = z.infer<typeof DeviceViewSchema>;

/** Ports and devices found on this machine, for the device panel's pickers (refreshed in the background). */
export const PortsViewSchema = z.object({
  /** When the last scan finished; null before the first. */
  at: z.number().int().nullable(),
  scanning: z.boolean(),
  serial: z.array(z.object({ path: z.string(), label: z.string() })),
  usb: z.array(z.object({ vendorId: z.number().int(), productId: z.number().int(), serialNumber: z.string().nullable(), label: z.string() })),
  hid: z.array(z.object({ path: z.string(), vendorId: z.number().int(), productId: z.number().int(), label: z.string() })),
  /** Why a kind of port could not be listed (a native module missing, udev absent). */
  errors: z.array(z.string()),
});
export type PortsView = z.infer<typeof PortsViewSchema>;

export const DeviceTestActionSchema = z.enum(['print', 'drawer', 'weigh', 'display']);
/**
 * What a device test did, as a code the panel translates, with the device's own words (`detail`:
 * an OS or driver message) and, for a scale, the weight it read.
 */
export const DeviceTestResultSchema = z.object({
  ok: z.boolean(),
  result: z.enum(['sent', 'queued', 'not_sent', 'stable', 'unstable', 'overload', 'underload', 'fault', 'no_reading', 'not_running', 'wrong_kind']),
  detail: z.string().nullable(),
  grams: z.number().int().nullable(),
});
export type DeviceTestResult = z.infer<typeof DeviceTestResultSchema>;

/**
 * A monochrome logo for the receipt: `width` × `height` dots, rows top to bottom, each row
 * `width / 8` bytes, most significant bit leftmost, 1 = black; base64.
 */
export const LogoSchema = z
  .object({
    width: z.number().int().min(8).max(576).multipleOf(8),
    height: z.number().int().min(1).max(400),
    bits: z.string().max(40_000),
  })
  .strict();
export type Logo = z.infer<typeof LogoSchema>;

const TemplateLine = z.string().max(64);
export const ReceiptTemplateSchema = z
  .object({
    header: z.array(TemplateLine).max(8),
    footer: z.array(TemplateLine).max(8),
    showCashier: z.boolean(),
    showVat: z.boolean(),
    code: z.enum(['qr', 'barcode', 'none']),
    /** Print the stored logo above the store name. */
    showLogo: z.boolean().default(false),
  })
  .strict();
export type ReceiptTemplateInput = z.input<typeof ReceiptTemplateSchema>;

export const ReceiptTemplateViewSchema = z.object({
  template: ReceiptTemplateSchema,
  logo: LogoSchema.nullable(),
  /** Characters per line on the receipt printer. */
  width: z.number().int(),
});

/** A receipt's fiscal document: queued, being sent, registered (number and fiscal sign), or why not. */
export const FiscalReceiptStateSchema = z.object({
  /** `resolved`: a person settled it without a document (they found it in the registrar's archive). */
  state: z.enum(['none', 'queued', 'sending', 'done', 'failed', 'attention', 'resolved']),
  /** The document is (or will be) a correction receipt: the receipt was registered late. */
  correction: z.boolean(),
  documentNumber: z.number().int().nullable(),
  fiscalSign: z.string().nullable(),
  at: z.number().int().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type FiscalReceiptState = z.infer<typeof FiscalReceiptStateSchema>;

/** The compliance clock and the fiscal alarms, for the cashier's status bar and the owner. */
export const FiscalStatusViewSchema = z.object({
  mode: z.enum(['none', 'shtrih', 'atol']),
  configured: z.boolean(),
  /** Why a receipt would be refused now (a code the UI translates), or null. */
  blocked: z.string().nullable(),
  /** From the registrar's last status; null when it has not answered yet. */
  registrar: z
    .object({
      at: z.number().int(),
      mode: z.string(),
      shiftNumber: z.number().int(),
      /**
       * When the registrar's shift opened: its own word, or the ФН's opening document the till had it
       * make; failing both, the till's shift (opened first, so never later than the registrar's).
       */
      shiftOpenedAt: z.number().int().nullable(),
      lastDocumentNumber: z.number().int(),
      unsentCount: z.number().int(),
      unsentOldestAt: z.number().int().nullable(),
      fnExpiresAt: z.number().int().nullable(),
    })
    .nullable(),
  /** When the compliance clock starts warning (owner settings): minutes before the registrar shift's 24 h end, days. */
  warn: z.object({ shiftMinutes: z.number().int(), ofdDays: z.number().int(), fnDays: z.number().int() }),
  /** Operations not yet registered, and those waiting for a person. */
  pending: z.number().int(),
  attention: z.array(z.object({ id: z.string(), op: z.string(), refId: z.string().nullable(), error: z.string().nullable(), at: z.number().int() })),
});
export type FiscalStatusView = z.infer<typeof FiscalStatusViewSchema>;

/** A fiscal operation that is stuck (refused, or uncertain and waiting for a person), for the owner. */
export const FiscalAlarmSchema = z.object({
  id: z.string(),
  op: z.enum(['receipt', 'correction', 'open_shift', 'close_shift', 'cash_in', 'cash_out', 'x_report']),
  refId: z.string().nullable(),
  /** For receipts: the till's receipt number and kind. */
  receiptNumber: z.number().int().nullable(),
  kind: z.enum(['sale', 'return']).nullable(),
  total: z.number().int().nullable(),
  state: z.enum(['failed', 'attention']),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  at: z.number().int(),
  /** May be registered by a correction receipt now. */
  correctable: z.boolean(),
  /** May be marked as settled by a person (with a note). */
  dismissable: z.boolean(),
});
export type FiscalAlarm = z.infer<typeof FiscalAlarmSchema>;

/**
 * Settle a fiscal alarm: register the receipt by a correction receipt (self-made, or on the tax
 * authority's instruction with its number), or mark it settled with what the person checked.
 */
export const FiscalResolveSchema = z
  .object({
    journalId: IdSchema,
    action: z.enum(['correction', 'dismiss']),
    correctionType: z.enum(['self', 'instruction']).default('self'),
    baseNumber: z.string().trim().max(32).default(''),
    note: z.string().trim().max(500).default(''),
  })
  .strict();

/**
 * The permit check of marked goods (разрешительный режим) through the Честный знак local module.
 * The password is write-only: the till says only whether one is stored.
 */
export const PermitSettingsSchema = z
  .object({
    provider: z.enum(['none', 'local_module']),
    /** The local module's address, e.g. http://192.168.1.20:5995 (checked on save: http(s), no credentials). */
    url: z.string().trim().max(300),
    login: z.string().trim().max(100),
    /** Read: a password is stored. Ignored on save. */
    passwordSet: z.boolean().optional(),
    /** Save only: a new password; absent keeps the stored one, '' removes it. Never sent back. */
    password: z.string().max(200).optional(),
  })
  .strict();
export type PermitSettings = z.infer<typeof PermitSettingsSchema>;

export const FiscalSettingsSchema = z
  .object({
    mode: z.enum(['none', 'shtrih', 'atol']),
    /** Tag 1055. */
    taxSystem: z.enum(['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent']),
    /** The cashier's INN on fiscal receipts (12 digits), or empty. */
    cashierInn: z.string().trim().max(12),
    markingOfflinePolicy: z.enum(['allow', 'refuse']),
    /**
     * When the compliance clock warns: days the oldest document may wait for the ОФД (the ФН blocks
     * at 30), and days before the ФН expires. Always returned; absent on save keeps them.
     */
    warnOfdDays: z.number().int().min(1).max(29).optional(),
    warnFnDays: z.number().int().min(1).max(365).optional(),
    /** Always in what `fiscal.settings` returns; on save, absent leaves the permit settings as they are. */
    permit: PermitSettingsSchema.optional(),
  })
  .strict();
export type FiscalSettings = z.infer<typeof FiscalSettingsSchema>;

/** What the customer-facing screen shows: formatted by the till in the store's language. */
export const CustomerViewSchema = z.object({
  state: z.enum(['idle', 'basket', 'paid']),
  title: z.string(),
  lines: z.array(z.object({ name: z.string(), detail: z.string(), amount: z.string() })),
  totalLabel: z.string(),
  total: z.string(),
  /** Change due, thanks, a greeting. */
  note: z.string().nullable(),
});
export type CustomerView = z.infer<typeof CustomerViewSchema>;

/** What an emulated printer has on its paper: the demo's virtual printer panel. */
export const EmulatedPaperSchema = z.object({
  receipts: z.array(z.object({ lines: z.array(z.string()), cut: z.boolean(), qrs: z.array(z.string()), barcodes: z.array(z.string()) })),
  drawerKicks: z.number().int(),
});

export const AuditVerifySchema = z.object({
  entries: z.number().int(),
  brokenAt: z.number().int().nullable(),
  headSeq: z.number().int(),
  headHash: z.string(),
});

/**
 * Why sync with the head office is not going through, as the owner is told (translated under
 * `sync.problems`): the protocol's error codes, plus what the till finds on its side.
 */
export const SYNC_PROBLEMS = [
  ...SYNC_ERROR_CODES,
  'unreachable',
  'timeout',
  'tls',
  'server_error',
  'bad_response',
  'no_progress',
  'credential_missing',
] as const;
export const SyncProblemSchema = z.object({ code: z.enum(SYNC_PROBLEMS), message: z.string() });
export type SyncProblem = z.infer<typeof SyncProblemSchema>;

/** The till's link to the head office: enrollment, what waits to be sent, and what went wrong. */
export const SyncStatusViewSchema = z.object({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  storeName: z.string().nullable(),
  tillName: z.string().nullable(),
  enrolledAt: z.number().int().nullable(),
  /** `never`: this till has not reached a head office yet. */
  connection: z.enum(['online', 'offline', 'never']),
  /** Sending stopped until a person acts: enroll again (revoked, unauthenticated) or update the till (update_required). Selling goes on. */
  halted: z.enum(['revoked', 'unauthenticated', 'update_required']).nullable(),
  /** An enrollment started from the screen: under way, or why it failed. */
  enrollment: z.object({ state: z.enum(['idle', 'pending', 'failed']), url: z.string().nullable(), error: SyncProblemSchema.nullable() }),
  queued: z.object({
    total: z.number().int(),
    channels: z.array(z.object({ channel: z.enum(SYNC_CHANNELS), queued: z.number().int() })),
  }),
  lastAttemptAt: z.number().int().nullable(),
  lastSuccessAt: z.number().int().nullable(),
  /** The last attempt's failure (cleared by the next success). */
  lastError: SyncProblemSchema.extend({ at: z.number().int() }).nullable(),
  /** When the till tries again after failures (null: not waiting). */
  nextAttemptAt: z.number().int().nullable(),
  /** The head office's clock minus the till's, at its last answer. */
  clockOffsetMs: z.number().int().nullable(),
  epoch: z.number().int(),
  /** Events the head office holds differently under the same id (an alarm at both ends). */
  conflicts: z.number().int(),
  /** Settings the head office sets for this store (the till does not change them itself). */
  managedSettings: z.array(z.string()),
  /**
   * The head office's catalog and prices here: the versions received, changes waiting to go live
   * (between baskets), rows that cannot be used as they are, and a first load in progress.
   */
  catalog: z
    .object({
      version: z.number().int(),
      pricesVersion: z.number().int(),
      waiting: z.number().int(),
      problems: z.number().int(),
      loading: z.object({ loaded: z.number().int(), total: z.number().int().nullable() }).nullable(),
    })
    .nullable(),
});
export type SyncStatusView = z.infer<typeof SyncStatusViewSchema>;

// ---- stock: suppliers, deliveries, levels

export const SupplierViewSchema = z.object({ id: z.number().int(), name: z.string(), inn: z.string().nullable() });
export type SupplierView = z.infer<typeof SupplierViewSchema>;

export const SupplierInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** ИНН: 10 digits (a company) or 12 (a sole trader), check digits verified. */
    inn: z.string().trim().regex(/^\d{10}(\d{2})?$/).optional(),
  })
  .strict();

export const StockDocStateSchema = z.enum(['draft', 'posted', 'cancelled']);
export const LineStatusSchema = z.enum(['ok', 'short', 'over', 'unexpected', 'missing']);

export const StockDocLineViewSchema = z.object({
  lineNo: z.number().int(),
  productId: z.number().int(),
  name: z.string(),
  unit: UnitSchema,
  barcode: z.string().nullable(),
  /** What the invoice says (null: not on it), and what was counted, in thousandths. */
  expectedQty: z.number().int().nullable(),
  qty: z.number().int(),
  /** Unit cost from the invoice (null: not given). */
  cost: z.number().int().nullable(),
  /** The retail price now, and the one to set when posted (null: keep it). */
  price: z.number().int(),
  newPrice: z.number().int().nullable(),
  /** What the markup rule for this supplier and category makes of the cost (null: no rule or no cost). */
  proposedPrice: z.number().int().nullable(),
  status: LineStatusSchema,
});
export type StockDocLineView = z.infer<typeof StockDocLineViewSchema>;

export const ReceivingTotalsSchema = z.object({
  expectedCost: z.number().int(),
  receivedCost: z.number().int(),
  retailValue: z.number().int(),
  lines: z.number().int(),
  short: z.number().int(),
  over: z.number().int(),
  unexpected: z.number().int(),
  missing: z.number().int(),
});

export const StockDocKindSchema = z.enum(['order', 'receiving', 'count', 'writeoff', 'transfer_out', 'transfer_in']);
export const WriteoffReasonSchema = z.enum(['damage', 'expiry', 'theft', 'own_use', 'other']);

export const StockDocViewSchema = z.object({
  id: z.string(),
  kind: StockDocKindSchema,
  number: z.number().int(),
  state: StockDocStateSchema,
  supplier: SupplierViewSchema.nullable(),
  invoiceNo: z.string().nullable(),
  invoiceDate: z.string().nullable(),
  note: z.string().nullable(),
  /** A count: the category it covers (null: everything), and whether the book quantities are hidden until it is posted. */
  category: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** A count of one location only. */
  location: z.string().nullable(),
  blind: z.boolean(),
  /** A write-off's reason. */
  reason: WriteoffReasonSchema.nullable(),
  /** A delivery's new retail prices take effect from here (null: when it is posted). */
  pricesFrom: z.number().int().nullable(),
  /** The order a delivery was started from. */
  orderId: z.string().nullable(),
  /** A transfer's other store: where it goes (out) or where it came from (in). */
  store: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.number().int(),
  createdBy: z.string(),
  postedAt: z.number().int().nullable(),
  postedBy: z.string().nullable(),
  lines: z.array(StockDocLineViewSchema),
  totals: ReceivingTotalsSchema,
});
export type StockDocView = z.infer<typeof StockDocViewSchema>;

export const StockDocSummarySchema = StockDocViewSchema.omit({ lines: true, note: true });
export type StockDocSummary = z.infer<typeof StockDocSummarySchema>;

export const ReceivingHeaderSchema = z
  .object({
    /** Start from a placed order: its supplier, quantities and costs become the invoice. */
    orderId: IdSchema.optional(),
    /** New retail prices from this moment (null: when posted). */
    pricesFrom: z.number().int().positive().nullable().optional(),
    supplierId: z.number().int().positive().nullable().optional(),
    invoiceNo: z.string().trim().max(64).nullable().optional(),
    invoiceDate: z.iso.date().nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .strict();

export const CountInputSchema = z
  .object({
    categoryId: z.number().int().positive().nullable().default(null),
    /** Only goods kept at this location (a shelf, the back room). */
    location: z.string().trim().min(1).max(64).nullable().default(null),
    blind: z.boolean().default(true),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .strict();

export const WriteoffInputSchema = z
  .object({ reason: WriteoffReasonSchema, note: z.string().trim().max(500).nullable().optional() })
  .strict()
  .refine((w) => w.reason !== 'other' || (w.note ?? '').length > 0, { message: 'say what the other reason is', path: ['note'] });

/** One line set by hand (or from the invoice): any field left out stays as it is. */
export const ReceivingLineInputSchema = z
  .object({
    docId: IdSchema,
    productId: z.number().int().positive(),
    qty: z.number().int().min(0).max(MAX_QTY).optional(),
    expectedQty: z.number().int().min(0).max(MAX_QTY).nullable().optional(),
    cost: PositiveMinorSchema.nullable().optional(),
    newPrice: PositiveMinorSchema.nullable().optional(),
  })
  .strict();

export const StockLevelSchema = z.object({
  productId: z.number().int(),
  name: z.string(),
  unit: UnitSchema,
  barcode: z.string().nullable(),
  category: z.string().nullable(),
  qty: z.number().int(),
  avgCost: z.number().int().nullable(),
  price: z.number().int(),
  minQty: z.number().int().nullable(),
  orderPack: z.number().int().nullable(),
  /** Where it is kept. */
  location: z.string().nullable(),
  /** At or below its minimum. */
  low: z.boolean(),
  /** What to order (thousandths): back up to twice the minimum, in whole packs; 0 when not low. */
  reorder: z.number().int(),
});
export type StockLevel = z.infer<typeof StockLevelSchema>;

/** A product made on the spot (an unknown barcode on a delivery): the essentials; the rest is edited later. */
export const NewProductInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    unit: UnitSchema.default('pcs'),
    /** Sold by weight (kg goods with weighed-goods barcodes). */
    weighed: z.boolean().default(false),
    taxCode: z.string().min(1).max(16),
    barcode: z.string().trim().regex(/^\d{8,14}$/).optional(),
    /** Units the barcode stands for, in thousandths (a six-pack: 6000). */
    packQty: QtySchema.default(1000),
    category: z.string().trim().min(1).max(100).optional(),
    /** Retail price (needs `prices_manage`); without it the product cannot be sold until a manager prices it. */
    price: PositiveMinorSchema.optional(),
  })
  .strict();

export const CatalogReferencesSchema = z.object({
  taxRates: z.array(z.object({ code: z.string(), bp: z.number().int() })),
  categories: z.array(z.object({ id: z.number().int(), name: z.string() })),
});

// ---- imports (supplier price lists and catalogs from CSV / XLSX)

/** Raw bytes per upload piece: base64 of it fits one RPC message (64 KB) with room for the envelope. */
export const IMPORT_CHUNK_BYTES = 36 * 1024;
export const IMPORT_FIELDS = ['name', 'barcode', 'price', 'cost', 'vat', 'sku', 'unit', 'group', 'qty'] as const;
export const ImportFieldSchema = z.enum(IMPORT_FIELDS);
export type ImportFieldName = z.infer<typeof ImportFieldSchema>;

export const ImportStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['uploading', 'reading', 'ready', 'failed']),
  received: z.number().int(),
  size: z.number().int(),
  rowsRead: z.number().int(),
  /** Why the file cannot be read (file_damaged, file_encoding, file_too_large, file_format, file_empty …). */
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) }).nullable(),
});
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/** The header row and columns the person chose over the guess (a null column: not imported). */
export const MappingChoiceSchema = z
  .object({
    headerRow: z.number().int().min(1).nullable().optional(),
    override: z.partialRecord(ImportFieldSchema, z.number().int().min(0).max(500).nullable()).optional(),
  })
  .strict();

export const ImportIssueSchema = z.object({
  code: z.string(),
  row: z.number().int(),
  column: z.number().int().nullable(),
  field: ImportFieldSchema.nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type ImportIssueView = z.infer<typeof ImportIssueSchema>;

export const ImportRowSchema = z.object({
  row: z.number().int(),
  name: z.string(),
  barcodes: z.array(z.string()),
  sku: z.string().nullable(),
  price: z.number().int().nullable(),
  cost: z.number().int().nullable(),
  qty: z.number().int().nullable(),
  vatCode: z.string().nullable(),
  unit: UnitSchema.nullable(),
  group: z.string().nullable(),
});

export const ImportPreviewSchema = z.object({
  status: ImportStatusSchema,
  headerRow: z.number().int().nullable(),
  header: z.array(z.string()),
  mapping: z.partialRecord(ImportFieldSchema, z.number().int()),
  missingFields: z.array(ImportFieldSchema),
  /** A sample of the good rows. */
  rows: z.array(ImportRowSchema),
  goodCount: z.number().int(),
  /** Refused rows' issues (the first 500), and how many there are in all. */
  issues: z.array(ImportIssueSchema),
  issueCount: z.number().int(),
  rejected: z.number().int(),
  total: z.number().int(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const CommerceMLPreviewSchema = z.object({
  status: ImportStatusSchema,
  priceTypes: z.array(z.object({ id: z.string(), name: z.string() })),
  priceType: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** A sample of the items that can be taken. */
  products: z.array(ImportRowSchema),
  goodCount: z.number().int(),
  issues: z.array(ImportIssueSchema),
  issueCount: z.number().int(),
  rejected: z.number().int(),
  total: z.number().int(),
  /** Items 1C marks deleted: skipped. */
  deleted: z.number().int(),
});
export type CommerceMLPreview = z.infer<typeof CommerceMLPreviewSchema>;

export const CatalogImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  /** Retail prices changed (their price tags are then due). */
  priceChanges: z.number().int(),
  rejected: z.number().int(),
});

export const ExportStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['building', 'ready', 'failed']),
  size: z.number().int(),
  error: z.string().nullable(),
});
export const ExportChunkSchema = ExportStatusSchema.extend({ data: z.string(), done: z.boolean() });

// ---- pricing: markup rules and scheduled price changes

export const MarkupRuleSchema = z.object({
  id: z.number().int(),
  supplier: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  category: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** Over cost, in basis points (4000 = 40 %). */
  markupBp: z.number().int(),
  /** Rounded up to this many minor units, then `ending` taken off (100 and 10: prices ending in ,90). */
  rounding: z.number().int(),
  ending: z.number().int(),
});
export type MarkupRule = z.infer<typeof MarkupRuleSchema>;

export const MarkupRuleInputSchema = z
  .object({
    supplierId: z.number().int().positive().nullable().default(null),
    categoryId: z.number().int().positive().nullable().default(null),
    markupBp: z.number().int().min(0).max(100_000),
    rounding: z.number().int().min(1).max(100_000).default(100),
    ending: z.number().int().min(0).max(99_999).default(0),
  })
  .strict()
  .refine((r) => r.supplierId !== null || r.categoryId !== null, { message: 'a rule is for a supplier, a category or both', path: ['supplierId'] })
  .refine((r) => r.ending < r.rounding, { message: 'the ending must be less than the rounding step', path: ['ending'] });

export const ScheduledPriceSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  name: z.string(),
  oldPrice: z.number().int(),
  newPrice: z.number().int(),
  effectiveAt: z.number().int(),
  sourceId: z.string().nullable(),
});

// ---- customers (loyalty)

export const ConsentPurposeSchema = z.enum(['loyalty', 'service', 'advertising']);
export type ConsentPurpose = z.infer<typeof ConsentPurposeSchema>;

export const CustomerRecordSchema = z.object({
  id: z.string(),
  cardNo: z.string().nullable(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  birthday: z.string().nullable(),
  /** The consents in force, per purpose. */
  consents: z.object({ loyalty: z.boolean(), service: z.boolean(), advertising: z.boolean() }),
  createdAt: z.number().int(),
});
export type CustomerRecord = z.infer<typeof CustomerRecordSchema>;

export const CustomerSignUpSchema = z
  .object({
    /** A card's barcode (digits), or none: a virtual card number is made. */
    cardNo: z.string().trim().regex(/^\d{6,20}$/).optional(),
    phone: z.string().trim().min(5).max(25).optional(),
    name: z.string().trim().min(1).max(100).optional(),
    birthday: z.iso.date().optional(),
    /** The customer who brought them (their card or phone), for the referral reward. */
    referrer: z.string().trim().min(5).max(25).optional(),
    /** Asked at sign-up: the loyalty programme itself is required, the rest optional. */
    consents: z.object({ loyalty: z.literal(true), service: z.boolean().default(false), advertising: z.boolean().default(false) }).strict(),
  })
  .strict()
  .refine((c) => c.cardNo !== undefined || c.phone !== undefined, { message: 'a card or a phone is needed', path: ['phone'] });

/** A customer at the till: the record, their points and tier, what they can use now, the latest entries. */
export const CustomerCardSchema = CustomerRecordSchema.extend({
  points: z.number().int(),
  pointsValue: MinorSchema,
  spend: MinorSchema,
  tier: z.string().nullable(),
  /** The balance was confirmed by the head office recently (else spending is capped offline). */
  online: z.boolean(),
  confirmedAt: z.number().int().nullable(),
  /** Coupons made for this customer that can be used today (the birthday coupon). */
  coupons: z.array(z.object({ code: z.string(), label: z.string(), validTo: z.string().nullable() })),
  history: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['earn', 'burn', 'expire', 'adjust']),
      points: z.number().int(),
      reason: z.string(),
      receiptId: z.string().nullable(),
      at: z.number().int(),
      offline: z.boolean(),
    }),
  ),
  erased: z.boolean(),
});
export type CustomerCard = z.infer<typeof CustomerCardSchema>;

export const CouponInputSchema = z
  .object({
    code: z
      .string()
      .trim()
      .transform((c) => c.toUpperCase())
      .pipe(z.string().regex(/^[A-ZА-ЯЁ0-9_-]{3,40}$/u)),
    value: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('percent'), bp: z.number().int().min(1).max(10_000) }).strict(),
      z.object({ kind: z.literal('amount'), amount: z.number().int().min(1).max(MAX_MINOR) }).strict(),
    ]),
    maxUses: z.number().int().min(1).max(1_000_000).nullable(),
    oncePerCustomer: z.boolean(),
    validFrom: z.iso.date().nullable(),
    validTo: z.iso.date().nullable(),
    minTotal: PositiveMinorSchema,
    active: z.boolean(),
  })
  .strict()
  .refine((c) => c.validFrom === null || c.validTo === null || c.validFrom <= c.validTo, { message: 'the coupon ends before it starts', path: ['validTo'] });
export type CouponInput = z.infer<typeof CouponInputSchema>;

export const CouponViewSchema = z.object({
  code: z.string(),
  value: z.discriminatedUnion('kind', [z.object({ kind: z.literal('percent'), bp: z.number().int() }), z.object({ kind: z.literal('amount'), amount: z.number().int() })]),
  maxUses: z.number().int().nullable(),
  oncePerCustomer: z.boolean(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  minTotal: z.number().int(),
  active: z.boolean(),
  used: z.number().int(),
  origin: z.enum(['local', 'head_office']),
});
export type CouponView = z.infer<typeof CouponViewSchema>;
