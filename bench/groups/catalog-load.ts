import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HEADER_APP, HEADER_PROTOCOL, SYNC_PROTOCOL_VERSION, type CatalogItem } from '../../src-common/sync/protocol.js';
import { CATEGORIES, generateProduct } from '../../src-main/demo/catalog-generator.js';
import { TAX_RATES } from '../../src-main/demo/seed.js';
import { createBackend } from '../../src-main/host/backend.js';
import { CatalogPuller, FeedGone } from '../../src-main/sync/catalog-pull.js';
import { CatalogStore } from '../../src-main/sync/catalog-store.js';
import { buildServer } from '../../src-server/app.js';
import { setTaxRates, upsertProducts } from '../../src-server/catalog.js';
import { migrateServer } from '../../src-server/migrate.js';
import type { Group } from '../context.js';
import { MIGRATIONS_DIR } from '../catalog-cache.js';
import { headOfficeDb } from '../head-office-db.js';
import { round } from '../stats.js';

const HEADERS = { [HEADER_PROTOCOL]: String(SYNC_PROTOCOL_VERSION), [HEADER_APP]: 'bench', 'content-type': 'application/json' };

/** The generated catalog as the head office holds it (the same products the till benchmarks use). */
function catalogItem(i: number): CatalogItem {
  const p = generateProduct(i);
  return {
    sku: `G${String(i).padStart(7, '0')}`,
    name: p.name,
    nameAlt: p.nameAlt,
    kind: p.kind,
    unit: p.unit,
    taxCode: p.taxCode,
    price: p.price,
    category: CATEGORIES[p.categoryId - 1]?.ru ?? null,
    plu: p.plu,
    itemCode: p.itemCode,
    marked: p.marked ?? false,
    active: true,
    barcodes: p.barcodes,
  };
}

/**
 * A fresh till's first catalog load: the head office (PostgreSQL when one answers, else PGlite)
 * holds `products` products; a till with an empty store enrolls and pulls them by snapshot pages
 * over HTTP, stages each page with its cursor and makes them live. Timed from the first request
 * to the last product live and findable by barcode.
 */
export const catalogLoadGroup: Group = {
    name: 'catalog_load',
    describe: 'a fresh till loads the whole catalog (--products, 1,000,000 by default) from the head office over HTTP',
    async run(ctx) {
      const products = ctx.catalog.products;
      const { db, drop } = await headOfficeDb();
      try {
        await migrateServer(db);
        await setTaxRates(db, TAX_RATES.map(([code, bp]) => ({ code, bp })), Date.now());
        ctx.log(`catalog_load: putting ${products} products into the head office (${db.kind}; not timed)`);
        const t0 = performance.now();
        for (let i = 0; i < products; i += 50_000) {
          await upsertProducts(db, Array.from({ length: Math.min(50_000, products - i) }, (_, k) => catalogItem(i + k)), Date.now());
        }
        ctx.log(`catalog_load: head office filled in ${Math.round(performance.now() - t0)} ms`);
        const app = await buildServer({ db, adminToken: 'bench' });
        await app.listen({ host: '127.0.0.1', port: 0 });
        const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        const post = async (path: string, body: unknown, auth: string) =>
          (await (await fetch(base + path, { method: 'POST', headers: { ...HEADERS, authorization: `Bearer ${auth}` }, body: JSON.stringify(body) })).json()) as Record<string, string>;
        const store = await post('/v1/admin/stores', { name: 'Bench' }, 'bench');
        const till = await post('/v1/admin/tills', { storeId: store.id, name: 'Till' }, 'bench');
        const { code } = await post(`/v1/admin/tills/${till.id}/enrollment-codes`, {}, 'bench');
        const { credential } = await post('/v1/enroll', { code, till: { name: 'Till', appVersion: 'bench' } }, 'none');

        const dir = join(ctx.workDir, 'catalog-load');
        mkdirSync(dir, { recursive: true });
        const backend = createBackend({ dbPath: join(dir, 'till.sqlite'), migrationsDir: MIGRATIONS_DIR, log: { info: () => undefined, error: () => undefined }, demo: false });
        try {
          const catalog = new CatalogStore(backend.db, backend.repos.settings);
          let lastLog = 0;
          const puller = new CatalogPuller({
            get: async (path) => {
              const r = await fetch(base + path, { headers: { ...HEADERS, authorization: `Bearer ${credential}` } });
              if (r.status === 410) throw new FeedGone('resnapshot');
              if (!r.ok) throw new Error(`${path}: ${r.status}`);
              return r.json();
            },
            store: catalog,
            basketInProgress: () => false,
            now: Date.now,
            progress: (p) => {
              if (p.loaded - lastLog >= 100_000 || p.loaded === p.total) {
                lastLog = p.loaded;
                ctx.log(`catalog_load: ${p.feed} ${p.loaded}/${p.total ?? '?'}`);
              }
            },
          });
          const start = performance.now();
          await puller.run();
          const seconds = (performance.now() - start) / 1000;
          const live = backend.db.prepare('SELECT COUNT(*) FROM products WHERE sku IS NOT NULL').pluck().get() as number;
          if (live !== products) throw new Error(`${live} products live after the load, ${products} at the head office`);
          const probe = catalogItem(Math.floor(products / 2)).barcodes[0]?.code;
          if (probe && !backend.repos.catalog.lookupBarcode(probe)) throw new Error(`barcode ${probe} not found after the load`);
          return { catalog_load_products: products, [`catalog_${products === 1_000_000 ? '1m' : products}_load_s`]: round(seconds), catalog_load_server: db.kind === 'postgres' ? 1 : 0 };
        } finally {
          backend.close();
          await app.close();
        }
      } finally {
        await drop();
      }
    },
};
