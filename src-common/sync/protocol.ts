import { z } from 'zod';
import { PermissionSchema, RoleSchema } from '../roles.js';

/**
 * The head-office sync protocol (version 1), shared by the till's sync client (src-main/sync) and
 * the server (src-server). JSON over HTTPS (plain HTTP on loopback only); every request carries
 * `x-lavka-protocol` and `x-lavka-app`. A till authenticates with the credential it got at
 * enrollment (`authorization: Bearer <credential>`); the server derives who it is from that alone,
 * so a till can push only as itself and pull only its own store's data.
 */
export const SYNC_PROTOCOL_VERSION = 1;
/** Protocol versions the server accepts: the current one and the one before it. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [SYNC_PROTOCOL_VERSION];

export const HEADER_PROTOCOL = 'x-lavka-protocol';
export const HEADER_APP = 'x-lavka-app';

/** Upstream channels: each is its own contiguous sequence per till and epoch, pushed and acked on its own. */
export const SYNC_CHANNELS = ['sales', 'shifts', 'stock', 'audit', 'loyalty'] as const;
export type SyncChannel = (typeof SYNC_CHANNELS)[number];

/** How long after a code was spent the same till may ask again (its first answer was lost). */
export const ENROLL_RETRY_MS = 15 * 60_000;

/** Events in one push, and the largest body the server reads. */
export const MAX_PUSH_EVENTS = 500;
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A one-time enrollment code as the owner reads it out: 12 characters from an unambiguous alphabet, grouped 4-4-4. */
export const ENROLLMENT_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const EnrollmentCodeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[2-9A-HJ-NP-Z]{12}$/));

export const EnrollRequestSchema = z
  .object({
    code: EnrollmentCodeSchema,
    till: z.object({ name: z.string().trim().min(1).max(100), appVersion: z.string().max(40) }).strict(),
    /**
     * A random id the till keeps for this code: asked again with the same code and id (the first
     * answer was lost), the head office answers again with a fresh credential instead of "used".
     */
    requestId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  })
  .strict();
export type EnrollRequest = z.input<typeof EnrollRequestSchema>;

export const EnrollResponseSchema = z.object({
  tillId: z.string(),
  tillName: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  /** The till's own secret: shown once, stored by the till outside its database. */
  credential: z.string(),
  serverTime: z.number().int(),
});
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

/** One outbox event as pushed: the payload as the canonical JSON text its hash was computed over. */
export const PushEventSchema = z
  .object({
    seq: z.number().int().min(1),
    id: z.uuid(),
    type: z.string().min(1).max(64),
    /** Event format version (the server accepts the current and the previous one). */
    v: z.number().int().min(1).max(1000).default(1),
    payload: z.string().max(MAX_BODY_BYTES),
    /** SHA-256 (hex) of `payload`: a truncated or altered body is refused, never half-applied. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.number().int(),
  })
  .strict();
export type PushEvent = z.infer<typeof PushEventSchema>;

export const PushRequestSchema = z
  .object({
    channel: z.enum(SYNC_CHANNELS),
    /** Starts at 1; a till restored from an old backup starts a new epoch rather than reuse sequence numbers. */
    epoch: z.number().int().min(1),
    events: z.array(PushEventSchema).min(1).max(MAX_PUSH_EVENTS),
  })
  .strict();
export type PushRequest = z.input<typeof PushRequestSchema>;

/**
 * `applied`: recorded with its effects now; `duplicate`: recorded before (same id and hash);
 * `parked`: recorded, but its effects wait for a person (a business anomaly; it never blocks the
 * channel); `conflict`: an event with this id and a different hash was recorded before (an alarm
 * at the head office; the till must not resend it as it is).
 */
export const PushStatusSchema = z.enum(['applied', 'duplicate', 'parked', 'conflict']);
export type PushStatus = z.infer<typeof PushStatusSchema>;

export const PushResponseSchema = z.object({
  results: z.array(z.object({ id: z.string(), seq: z.number().int(), status: PushStatusSchema })),
  /** Every event of this channel and epoch up to here is recorded at the head office: the till may mark them acked. */
  ackedThrough: z.number().int(),
  /**
   * Set when the batch did not start where the server's sequence is (a gap: earlier events were
   * lost on the way): the next sequence number it expects. Nothing after the gap was applied.
   */
  expected: z.number().int().nullable(),
  serverTime: z.number().int(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** Where the head office is for this till: per channel, the highest contiguous sequence recorded, by epoch. */
export const CursorsResponseSchema = z.object({
  tillId: z.string(),
  storeId: z.string(),
  epochs: z.array(z.object({ epoch: z.number().int(), channel: z.enum(SYNC_CHANNELS), ackedThrough: z.number().int() })),
  /** The highest loyalty ledger entry number of this till the head office holds (a restored till numbers after it). */
  loyaltyThrough: z.number().int().min(0).default(0),
  serverTime: z.number().int(),
});
export type CursorsResponse = z.infer<typeof CursorsResponseSchema>;

/**
 * Downstream feeds, in the order a till takes them: the VAT rates and the catalog (the same for
 * every store), the till's own store's prices, the role matrix, the staff who may log in at
 * this store (chain-wide staff and the store's own), and the settings the head office sets for the
 * chain and for this store (src-common/sync/settings.ts); the chain's stores (where a transfer may
 * go), and the transfers on their way to this store; the chain's loyalty customers with their
 * balances, and its coupons and promo codes (src-common/sync/loyalty.ts).
 */
export const SYNC_FEEDS = ['taxes', 'catalog', 'prices', 'roles', 'users', 'settings', 'stores', 'transfers', 'customers', 'coupons'] as const;
export type SyncFeed = (typeof SYNC_FEEDS)[number];

/** A product as the head office hands it down, whole (a change replaces the till's copy, barcodes included). */
export const CatalogItemSchema = z
  .object({
    /** The chain's own product code: the key the till keeps the product under. */
    sku: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    nameAlt: z.string().trim().max(200).nullable().default(null),
    kind: z.enum(['goods', 'service', 'weighed']).default('goods'),
    unit: z.enum(['pcs', 'kg', 'l']).default('pcs'),
    taxCode: z.string().min(1).max(16),
    /** Base price in minor units (a store's own price, from the prices feed, goes over it). */
    price: z.number().int().min(0).max(1e11),
    category: z.string().trim().max(100).nullable().default(null),
    plu: z.number().int().min(1).max(99_999).nullable().default(null),
    /** In-store item code inside weighed-goods barcodes (prefixes 20–29). */
    itemCode: z.string().regex(/^\d{1,6}$/).nullable().default(null),
    marked: z.boolean().default(false),
    active: z.boolean().default(true),
    barcodes: z.array(z.object({ code: z.string().regex(/^\d{8,14}$/), packQty: z.number().int().min(1).max(1_000_000).default(1000) }).strict()).max(50).default([]),
  })
  .strict();
export type CatalogItem = z.infer<typeof CatalogItemSchema>;

/** A VAT rate as the chain sets it: the code products refer to and its rate in basis points (22 % = 2200). */
export const TaxRateSchema = z.object({ code: z.string().regex(/^[a-z0-9_]{1,16}$/), bp: z.number().int().min(0).max(10_000) }).strict();
export type TaxRate = z.infer<typeof TaxRateSchema>;

/** A person who may log in at the till, as the head office hands them down: the PIN only as its scrypt hash (hex) and salt. */
export const StaffMemberSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(100),
    role: RoleSchema,
    pinHash: z.string().regex(/^[0-9a-f]{64}$/),
    pinSalt: z.string().regex(/^[0-9a-f]{32}$/),
    active: z.boolean(),
  })
  .strict();
export type StaffMember = z.infer<typeof StaffMemberSchema>;

/** What a role may do, chain-wide (the till checks every command against it). */
export const RolePermissionsSchema = z.object({ role: RoleSchema, permissions: z.array(PermissionSchema).max(100) }).strict();
export type RolePermissions = z.infer<typeof RolePermissionsSchema>;

/** One of the chain's stores, as a till may send goods to it. */
export const ChainStoreSchema = z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(100) }).strict();
export type ChainStore = z.infer<typeof ChainStoreSchema>;

/** A line of a transfer: the product as both stores know it (SKU, barcodes), the quantity and its cost. */
export const TransferLineSchema = z
  .object({
    sku: z.string().max(64).nullable(),
    barcodes: z.array(z.string().regex(/^\d{8,14}$/)).max(50),
    name: z.string().min(1).max(200),
    /** Thousandths. */
    qty: z.number().int().min(0).max(1e11),
    /** The sending store's average cost per unit (minor units), null when it has none. */
    cost: z.number().int().min(0).max(1e11).nullable(),
  })
  .strict();

/** A transfer on its way to the till's store (the `transfers` feed). */
export const IncomingTransferSchema = z
  .object({
    id: z.string().min(1).max(64),
    number: z.number().int(),
    fromStoreId: z.string(),
    fromStoreName: z.string(),
    sentAt: z.number().int(),
    lines: z.array(TransferLineSchema).min(1).max(5000),
  })
  .strict();
export type IncomingTransfer = z.infer<typeof IncomingTransferSchema>;

/** A store's own price for a product. */
export const StorePriceSchema = z.object({ sku: z.string().min(1).max(64), price: z.number().int().min(0).max(1e11) }).strict();
export type StorePrice = z.infer<typeof StorePriceSchema>;

/**
 * GET /v1/pull?feed=&after=&limit=: the feed's changes after version `after`, in version order.
 * `through` is what the till stores as its cursor once it has applied the page (with the page, in
 * one transaction); `more` says another page is waiting. A cursor older than the retained log is
 * answered 410 `resnapshot`.
 */
export const PullResponseSchema = z.object({
  feed: z.enum(SYNC_FEEDS),
  changes: z.array(z.object({ version: z.number().int(), key: z.string(), data: z.unknown() })),
  through: z.number().int(),
  more: z.boolean(),
  serverTime: z.number().int(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/**
 * GET /v1/snapshot?feed=&afterKey=&limit=: the feed's current rows in key order (initial load, or
 * after `resnapshot`). The first page's `asOf` is the version to pull from once the last page is in:
 * rows that change meanwhile come again from the log.
 */
export const SnapshotResponseSchema = z.object({
  feed: z.enum(SYNC_FEEDS),
  asOf: z.number().int(),
  rows: z.array(z.object({ key: z.string(), data: z.unknown() })),
  nextKey: z.string().nullable(),
  /** Rows in the whole feed, for a progress bar (first page only; null after). */
  total: z.number().int().nullable(),
  serverTime: z.number().int(),
});
export type SnapshotResponse = z.infer<typeof SnapshotResponseSchema>;

/** Error bodies: `{ error: { code, message } }` with one of these codes. */
export const SYNC_ERROR_CODES = [
  'bad_request',
  'payload_too_large',
  'unauthenticated',
  'revoked',
  'forbidden',
  'not_found',
  'enrollment_invalid',
  'enrollment_expired',
  'enrollment_used',
  'hash_mismatch',
  'update_required',
  'resnapshot',
  'internal',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];
export const SyncErrorSchema = z.object({ error: z.object({ code: z.enum(SYNC_ERROR_CODES), message: z.string() }) });
