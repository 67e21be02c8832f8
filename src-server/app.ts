import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  CatalogItemSchema,
  EnrollRequestSchema,
  StorePriceSchema,
  TaxRateSchema,
  RolePermissionsSchema,
  SYNC_FEEDS,
  HEADER_PROTOCOL,
  MAX_BODY_BYTES,
  PushRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CursorsResponse,
  type SyncErrorCode,
} from '../src-common/sync/protocol.js';
import { HEAD_OFFICE_SETTINGS } from '../src-common/sync/settings.js';
import { compactChangeLog, pull, setStorePrices, setTaxRates, snapshot, taxCodes, upsertProducts } from './catalog.js';
import { parseCatalogCsv } from './catalog-csv.js';
import { RoleSchema } from '../src-common/roles.js';
import type { ServerDb } from './db/db.js';
import { HttpError } from './errors.js';
import { ingest } from './ingest.js';
import { alarms, dailySales } from './reports.js';
import { listSettings, putSettings } from './settings.js';
import { listTransfers } from './transfers.js';
import { putStaff, setRolePermissions } from './staff.js';
import { CouponInputSchema, listCoupons, putCoupon } from './coupons.js';
import { customerBalance, eraseCustomerById, exportCustomer, searchCustomers } from './customers.js';
import { expirePoints } from './loyalty.js';
import { takeDailyTurn } from './sms.js';
import { SmsDailyTurnRequestSchema } from '../src-common/sync/loyalty.js';
import { exposure, listOverdrafts } from './loyalty-risk.js';
import { authenticateTill, createStore, createTill, enroll, issueEnrollmentCode, revokeTill } from './tills.js';

export interface ServerOptions {
  db: ServerDb;
  /** The owner's secret for the admin API (`authorization: Bearer …`). */
  adminToken: string;
  now?: () => number;
  /** Fastify's logger (pino) options; false for none. */
  logger?: FastifyServerOptions['logger'];
  /** TLS certificate and key (PEM): HTTPS. Without them, plain HTTP (the caller binds it to loopback only). */
  https?: { cert: string | Buffer; key: string | Buffer } | null;
  appVersion?: string;
  /** Test-only: switch off de-duplication (the chaos test's self-check proves it would notice). */
  unsafeNoDedupe?: boolean;
}

const StoreInputSchema = z.object({ name: HEAD_OFFICE_SETTINGS['store.name'], timeZone: HEAD_OFFICE_SETTINGS.timeZone.optional() }).strict();
/** Settings for the chain (`storeId` absent or null) or one store; a null value takes one back. */
const SettingsInputSchema = z
  .object({
    storeId: z.string().min(1).max(64).nullable().default(null),
    settings: z
      .array(
        z
          .object({ key: z.string().min(1).max(64), value: z.unknown() })
          .strict()
          .refine((x) => x.value !== undefined, 'value is required (null takes the setting back)'),
      )
      .min(1)
      .max(50),
  })
  .strict();
const SettingsQuerySchema = z.object({ storeId: z.string().min(1).max(64).optional() }).strict();
const TillInputSchema = z.object({ storeId: z.string().min(1).max(64), name: z.string().trim().min(1).max(100) }).strict();
const CodeInputSchema = z.object({ ttlMinutes: z.number().int().min(1).max(7 * 24 * 60).optional() }).strict();
const DayRangeSchema = z.object({ from: z.iso.date(), to: z.iso.date() }).strict();
const IdParamSchema = z.object({ id: z.string().min(1).max(64) });
const PullQuerySchema = z.object({ feed: z.enum(SYNC_FEEDS), after: z.coerce.number().int().min(0), limit: z.coerce.number().int().min(1).max(5_000).default(1_000) }).strict();
const SnapshotQuerySchema = z.object({ feed: z.enum(SYNC_FEEDS), afterKey: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(5_000).default(1_000) }).strict();
const ProductsInputSchema = z.object({ items: z.array(CatalogItemSchema).min(1).max(50_000) }).strict();
const PricesInputSchema = z.object({ prices: z.array(StorePriceSchema).min(1).max(100_000) }).strict();
const TaxRatesInputSchema = z.object({ rates: z.array(TaxRateSchema).min(1).max(100) }).strict();
const StaffInputSchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(100),
    role: RoleSchema,
    pin: z.string().regex(/^\d{4,8}$/).optional(),
    active: z.boolean().optional(),
    storeId: z.string().min(1).max(64).nullable().optional(),
  })
  .strict();
const CustomerQuerySchema = z.object({ q: z.string().trim().min(1).max(100) }).strict();
const CouponParamSchema = z.object({ code: z.string().min(1).max(40) });
const CompactInputSchema = z.object({ retainDays: z.number().min(0).max(3650) }).strict();
/** A catalog file of 100,000 rows and more. */
const IMPORT_BODY_BYTES = 64 * 1024 * 1024;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'bad_request', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ').slice(0, 500));
  return r.data;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A request as its log line shows it: the path without the query, which can hold what the owner
 * searched for (a customer's name or phone), and no headers (the credential).
 */
export function requestForLog(req: { method: string; url: string; ip?: string }): { method: string; url: string; remoteAddress?: string } {
  const q = req.url.indexOf('?');
  return { method: req.method, url: q < 0 ? req.url : `${req.url.slice(0, q)}?…`, ...(req.ip ? { remoteAddress: req.ip } : {}) };
}

/**
 * The head-office HTTP API. Tills: enroll with a one-time code, push their outbox, read their
 * cursors — each call authorised by the till's own credential, which alone says who it is.
 * Owner: stores, tills, enrollment codes, revocation and chain-wide sales, with the admin token;
 * loyalty customers (find, export, erase), coupons, overdrafts and exposure, points expiry.
 */
export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const now = o.now ?? Date.now;
  const app = Fastify({
    logger: o.logger ? { ...(o.logger === true ? {} : o.logger), serializers: { req: requestForLog, ...(o.logger === true ? {} : o.logger.serializers) } } : false,
    bodyLimit: MAX_BODY_BYTES,
    ...(o.https ? { https: o.https } : {}),
    // Credentials never reach the log.
    ...(o.logger ? { disableRequestLogging: false } : {}),
  }) as unknown as FastifyInstance;

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof HttpError) return send(reply, err.status, err.code, err.message);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 413, 'payload_too_large', 'the request body is too large');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return send(reply, err.statusCode, 'bad_request', err.message.slice(0, 300));
    req.log.error({ err }, 'request failed');
    return send(reply, 500, 'internal', 'internal error');
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_BYTES }, (_req, body, done) => done(null, body));
  app.setNotFoundHandler((_req, reply) => send(reply, 404, 'not_found', 'no such endpoint'));

  /** Tills speak a protocol version this server knows, or are told to update (they keep selling meanwhile). */
  const requireProtocol = (req: FastifyRequest) => {
    const v = Number(req.headers[HEADER_PROTOCOL]);
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(v)) throw new HttpError(426, 'update_required', `protocol version ${String(req.headers[HEADER_PROTOCOL] ?? 'none')} is not supported`);
  };
  const requireAdmin = (req: FastifyRequest) => {
    const token = bearer(req);
    if (!token || !sameSecret(token, o.adminToken)) throw new HttpError(401, 'unauthenticated', 'the admin token is missing or wrong');
  };

  app.get('/v1/health', async () => {
    await o.db.query('SELECT 1');
    return { ok: true, db: o.db.kind, version: o.appVersion ?? null, serverTime: now() };
  });

  app.post('/v1/enroll', async (req) => {
    requireProtocol(req);
    const body = parse(EnrollRequestSchema, req.body);
    const r = await enroll(o.db, body, now());
    req.log.info({ tillId: r.tillId, storeId: r.storeId }, 'till enrolled');
    return r;
  });

  app.post('/v1/push', async (req) => {
    requireProtocol(req);
    const till = await authenticateTill(o.db, bearer(req));
    const body = parse(PushRequestSchema, req.body);
    return ingest(o.db, till, body, now(), !o.unsafeNoDedupe);
  });

  app.get('/v1/cursors', async (req): Promise<CursorsResponse> => {
    requireProtocol(req);
    const till = await authenticateTill(o.db, bearer(req));
    const rows = await o.db.query<{ epoch: number; channel: CursorsResponse['epochs'][number]['channel']; acked_through: number }>(
      'SELECT epoch, channel, acked_through FROM till_cursors WHERE till_id = $1 ORDER BY epoch, channel',
      [till.id],
    );
    const [ledger] = await o.db.query<{ n: number | null }>('SELECT max(n) AS n FROM loyalty_ledger WHERE till_id = $1', [till.id]);
    return {
      tillId: till.id,
      storeId: till.storeId,
      epochs: rows.map((r) => ({ epoch: r.epoch, channel: r.channel, ackedThrough: r.acked_through })),
      loyaltyThrough: Number(ledger?.n ?? 0),
      serverTime: now(),
    };
  });

  app.get('/v1/pull', async (req) => {
    requireProtocol(req);
    const till = await authenticateTill(o.db, bearer(req));
    const q = parse(PullQuerySchema, req.query);
    return pull(o.db, q.feed, till.storeId, q.after, q.limit, now());
  });

  app.get('/v1/snapshot', async (req) => {
    requireProtocol(req);
    const till = await authenticateTill(o.db, bearer(req));
    const q = parse(SnapshotQuerySchema, req.query);
    return snapshot(o.db, q.feed, till.storeId, q.afterKey ?? null, q.limit, now());
  });

  /** The head office's balance now, for a till about to spend points (customers are chain-wide: any till may ask). */
  app.get('/v1/customers/:id', async (req) => {
    requireProtocol(req);
    await authenticateTill(o.db, bearer(req));
    const { id } = parse(IdParamSchema, req.params);
    return customerBalance(o.db, id, now());
  });

  /** Which till sends a day's scheduled SMS for the chain (the first to ask). */
  app.post('/v1/sms/daily-turn', async (req) => {
    requireProtocol(req);
    const till = await authenticateTill(o.db, bearer(req));
    const { day } = parse(SmsDailyTurnRequestSchema, req.body);
    return takeDailyTurn(o.db, till, day, now());
  });

  // ---- the owner's admin API

  app.post('/v1/admin/staff', async (req, reply) => {
    requireAdmin(req);
    const s = parse(StaffInputSchema, req.body);
    const member = await putStaff(o.db, s, now());
    // Never the PIN hash back: the owner has no use for it.
    return reply.code(s.id ? 200 : 201).send({ id: member.id, name: member.name, role: member.role, active: member.active, storeId: member.storeId });
  });

  app.post('/v1/admin/roles', async (req) => {
    requireAdmin(req);
    await setRolePermissions(o.db, parse(RolePermissionsSchema, req.body), now());
    return { ok: true };
  });

  app.post('/v1/admin/settings', async (req) => {
    requireAdmin(req);
    const { storeId, settings } = parse(SettingsInputSchema, req.body);
    return putSettings(o.db, storeId, settings.map((x) => ({ key: x.key, value: x.value as unknown })), now());
  });

  app.get('/v1/admin/settings', async (req) => {
    requireAdmin(req);
    const { storeId } = parse(SettingsQuerySchema, req.query);
    return { storeId: storeId ?? null, settings: await listSettings(o.db, storeId ?? null) };
  });

  app.post('/v1/admin/compact', async (req) => {
    requireAdmin(req);
    const { retainDays } = parse(CompactInputSchema, req.body);
    return compactChangeLog(o.db, retainDays * 86_400_000, now());
  });

  app.post('/v1/admin/tax-rates', async (req) => {
    requireAdmin(req);
    const { rates } = parse(TaxRatesInputSchema, req.body);
    return setTaxRates(o.db, rates, now());
  });

  app.post('/v1/admin/catalog/products', async (req) => {
    requireAdmin(req);
    const { items } = parse(ProductsInputSchema, req.body);
    const known = await taxCodes(o.db);
    const unknown = [...new Set(items.map((i) => i.taxCode).filter((c) => !known.has(c)))];
    if (unknown.length > 0) throw new HttpError(400, 'bad_request', `VAT codes not set up (POST /v1/admin/tax-rates first): ${unknown.join(', ')}`);
    return upsertProducts(o.db, items, now());
  });

  app.post('/v1/admin/catalog/import', { bodyLimit: IMPORT_BODY_BYTES }, async (req) => {
    requireAdmin(req);
    if (typeof req.body !== 'string') throw new HttpError(400, 'bad_request', 'send the file as text/csv');
    const { items, rejected } = parseCatalogCsv(req.body, await taxCodes(o.db));
    const versions = await upsertProducts(o.db, items, now());
    return { imported: items.length, rejected, versions };
  });

  app.post('/v1/admin/stores/:id/prices', async (req) => {
    requireAdmin(req);
    const { id } = parse(IdParamSchema, req.params);
    const { prices } = parse(PricesInputSchema, req.body);
    return setStorePrices(o.db, id, prices, now());
  });

  app.post('/v1/admin/stores', async (req, reply) => {
    requireAdmin(req);
    const s = await createStore(o.db, parse(StoreInputSchema, req.body), now());
    return reply.code(201).send({ id: s.id, name: s.name, timeZone: s.time_zone });
  });

  app.post('/v1/admin/tills', async (req, reply) => {
    requireAdmin(req);
    return reply.code(201).send(await createTill(o.db, parse(TillInputSchema, req.body), now()));
  });

  app.post('/v1/admin/tills/:id/enrollment-codes', async (req, reply) => {
    requireAdmin(req);
    const { id } = parse(IdParamSchema, req.params);
    const { ttlMinutes } = parse(CodeInputSchema, req.body ?? {});
    return reply.code(201).send(await issueEnrollmentCode(o.db, id, now(), ttlMinutes === undefined ? undefined : ttlMinutes * 60_000));
  });

  app.post('/v1/admin/tills/:id/revoke', async (req) => {
    requireAdmin(req);
    const { id } = parse(IdParamSchema, req.params);
    await revokeTill(o.db, id, now());
    return { ok: true };
  });

  app.get('/v1/admin/transfers', async (req) => {
    requireAdmin(req);
    const { state } = parse(z.object({ state: z.enum(['in_transit', 'received']).optional() }).strict(), req.query);
    return listTransfers(o.db, state ?? null);
  });

  app.get('/v1/admin/customers', async (req) => {
    requireAdmin(req);
    const { q } = parse(CustomerQuerySchema, req.query);
    return searchCustomers(o.db, q);
  });

  app.get('/v1/admin/customers/:id/export', async (req) => {
    requireAdmin(req);
    const { id } = parse(IdParamSchema, req.params);
    return exportCustomer(o.db, id, now());
  });

  app.delete('/v1/admin/customers/:id', async (req) => {
    requireAdmin(req);
    const { id } = parse(IdParamSchema, req.params);
    const customer = await eraseCustomerById(o.db, id, now());
    req.log.info({ customerId: id }, 'customer erased');
    return customer;
  });

  app.put('/v1/admin/coupons/:code', async (req, reply) => {
    requireAdmin(req);
    const { code } = parse(CouponParamSchema, req.params);
    const r = await putCoupon(o.db, code, parse(CouponInputSchema, req.body), now());
    return reply.code(r.created ? 201 : 200).send(r.coupon);
  });

  app.get('/v1/admin/coupons', async (req) => {
    requireAdmin(req);
    return listCoupons(o.db);
  });

  app.get('/v1/admin/loyalty/overdrafts', async (req) => {
    requireAdmin(req);
    return listOverdrafts(o.db);
  });

  app.get('/v1/admin/loyalty/exposure', async (req) => {
    requireAdmin(req);
    return exposure(o.db, now());
  });

  app.post('/v1/admin/loyalty/expire', async (req) => {
    requireAdmin(req);
    return expirePoints(o.db, now());
  });

  app.get('/v1/admin/alarms', async (req) => {
    requireAdmin(req);
    return alarms(o.db);
  });

  app.get('/v1/admin/sales/daily', async (req) => {
    requireAdmin(req);
    const { from, to } = parse(DayRangeSchema, req.query);
    return dailySales(o.db, from, to);
  });

  return app;
}

function send(reply: FastifyReply, status: number, code: SyncErrorCode, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}
