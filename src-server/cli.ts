import { readFileSync } from 'node:fs';
import { adminToken, serverConfig } from './config.js';

const USAGE = `Usage: npm run server:admin -- <command> [args]   (talks to the running head office)

  store add <name> [timeZone]        create a store (time zone default Europe/Moscow)
  till add <storeId> <name>          create a till in a store
  code <tillId> [minutes]            a one-time enrollment code for the till (default: 24 h)
  revoke <tillId>                    the till's credential stops working
  import <file.csv>                  catalog from CSV (sku;name;barcodes;price;vat;unit;category…): bad rows listed, the rest imported
  price <storeId> <sku> <roubles>    a store's own price for a product
  tax <code> <percent>               a VAT rate tills may use (vat22 22, vat10 10, none 0…)
  setting <key> <json|null> [storeId]
                                     a setting for the chain or one store (null takes it back), e.g.
                                     setting shift.maxHours 12 · setting store.name '"Лавка на Ленина"' <storeId>
  settings [storeId]                 what is set for the chain, or for one store
  compact <days>                     forget catalog and price changes older than this (tills offline longer reload)
  sales <from> <to>                  chain-wide sales per store and day (YYYY-MM-DD)
  transfers [in_transit]             transfers between stores (those still on their way)
  alarms                             parked events and idempotency conflicts waiting for a person
  customers <query>                  loyalty customers by card, phone (any way written) or name (50 at most)
  customer-export <customerId>       everything held about a customer, as JSON (their right of access)
  customer-erase <customerId>        forget a customer everywhere: personal data gone, points and receipts kept
  coupon <code> <json>               create or change a coupon, e.g.
                                     coupon SPRING10 '{"value":{"kind":"percent","bp":1000},"maxUses":500,"validTo":"2026-05-31"}'
  coupons                            the chain's coupons with their uses (and uses over the limit)
  overdrafts                         points spent offline below zero (open and recovered) and the exposure
  expire-points                      take off points older than the programme's expiryDays

Environment: LAVKA_SERVER_URL (default http://127.0.0.1:$PORT), LAVKA_ADMIN_TOKEN (default: the token
file in the server's data directory, LAVKA_SERVER_DATA).`;

/** The owner's command line for the head office: a thin client of the admin API, so it works on either database. */
export async function adminCli(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (s: string) => void = console.log): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  const config = serverConfig({ ...env, HOST: '127.0.0.1' });
  const base = env.LAVKA_SERVER_URL ?? `http://127.0.0.1:${config.port}`;
  const token = adminToken(config.dataDir, env).token;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, csv?: string) => {
    const r = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(csv !== undefined ? { 'content-type': 'text/csv' } : body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(csv !== undefined ? { body: csv } : body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await r.json()) as unknown;
    if (!r.ok) throw new Error(`${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const print = (v: unknown) => out(JSON.stringify(v, null, 2));
  try {
    if (cmd === 'store' && sub === 'add' && rest[0]) print(await call('POST', '/v1/admin/stores', { name: rest[0], ...(rest[1] ? { timeZone: rest[1] } : {}) }));
    else if (cmd === 'till' && sub === 'add' && rest[0]) print(await call('POST', '/v1/admin/tills', { storeId: rest[0], name: rest[1] ?? 'Till' }));
    else if (cmd === 'code' && sub) print(await call('POST', `/v1/admin/tills/${encodeURIComponent(sub)}/enrollment-codes`, rest[0] ? { ttlMinutes: Number(rest[0]) } : {}));
    else if (cmd === 'revoke' && sub) print(await call('POST', `/v1/admin/tills/${encodeURIComponent(sub)}/revoke`, {}));
    else if (cmd === 'import' && sub) print(await call('POST', '/v1/admin/catalog/import', undefined, readFileSync(sub, 'utf8')));
    else if (cmd === 'price' && sub && rest[0] && rest[1]) {
      const kopecks = Math.round(Number(rest[1].replace(',', '.')) * 100);
      if (!Number.isFinite(kopecks) || kopecks < 0) throw new Error(`not a price: ${rest[1]}`);
      print(await call('POST', `/v1/admin/stores/${encodeURIComponent(sub)}/prices`, { prices: [{ sku: rest[0], price: kopecks }] }));
    } else if (cmd === 'tax' && sub && rest[0] !== undefined) {
      const bp = Math.round(Number(rest[0].replace(',', '.')) * 100);
      if (!Number.isInteger(bp) || bp < 0 || bp > 10_000) throw new Error(`not a rate in percent: ${rest[0]}`);
      print(await call('POST', '/v1/admin/tax-rates', { rates: [{ code: sub, bp }] }));
    } else if (cmd === 'setting' && sub && rest[0] !== undefined) {
      let value: unknown;
      try {
        value = JSON.parse(rest[0]);
      } catch {
        throw new Error(`not a JSON value: ${rest[0]} (text goes in double quotes: '"Лавка"')`);
      }
      print(await call('POST', '/v1/admin/settings', { storeId: rest[1] ?? null, settings: [{ key: sub, value }] }));
    } else if (cmd === 'settings') print(await call('GET', `/v1/admin/settings${sub ? `?storeId=${encodeURIComponent(sub)}` : ''}`));
    else if (cmd === 'transfers') print(await call('GET', `/v1/admin/transfers${sub ? `?state=${encodeURIComponent(sub)}` : ''}`));
    else if (cmd === 'alarms') print(await call('GET', '/v1/admin/alarms'));
    else if (cmd === 'compact' && sub) print(await call('POST', '/v1/admin/compact', { retainDays: Number(sub) }));
    else if (cmd === 'customers' && sub) print(await call('GET', `/v1/admin/customers?q=${encodeURIComponent([sub, ...rest].join(' '))}`));
    else if (cmd === 'customer-export' && sub) print(await call('GET', `/v1/admin/customers/${encodeURIComponent(sub)}/export`));
    else if (cmd === 'customer-erase' && sub) print(await call('DELETE', `/v1/admin/customers/${encodeURIComponent(sub)}`));
    else if (cmd === 'coupon' && sub && rest[0] !== undefined) {
      let coupon: unknown;
      try {
        coupon = JSON.parse(rest[0]);
      } catch {
        throw new Error(`not a JSON object: ${rest[0]}`);
      }
      print(await call('PUT', `/v1/admin/coupons/${encodeURIComponent(sub)}`, coupon));
    } else if (cmd === 'coupons') print(await call('GET', '/v1/admin/coupons'));
    else if (cmd === 'overdrafts') print({ exposure: await call('GET', '/v1/admin/loyalty/exposure'), overdrafts: await call('GET', '/v1/admin/loyalty/overdrafts') });
    else if (cmd === 'expire-points') print(await call('POST', '/v1/admin/loyalty/expire', {}));
    else if (cmd === 'sales' && sub && rest[0]) print(await call('GET', `/v1/admin/sales/daily?from=${encodeURIComponent(sub)}&to=${encodeURIComponent(rest[0])}`));
    else {
      out(USAGE);
      return cmd === undefined || cmd === 'help' ? 0 : 2;
    }
    return 0;
  } catch (e) {
    out(`server:admin: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  void adminCli(process.argv.slice(2)).then((code) => process.exit(code));
}
