import { BARCODE_LOOKUP_SQL, toProductView } from '../../src-main/db/repos/catalog.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { newConnection } from '../../src-main/rpc/dispatcher.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs, sampleBarcodes, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const WARMUP = 2_000;
const SAMPLES = 20_000;

/**
 * Barcode lookup through `catalog.lookup` on the in-process dispatcher (RpcClient → JSON text →
 * dispatcher: request and params zod schemas, session check, CatalogRepo.lookupBarcode, the wire
 * view → JSON text → promise), against the bare prepared statement the lookup runs (the product
 * row by barcode: SQLite's share, everything above it is ours), on the same random codes.
 * `lookup_bare_id_*` is the narrowest possible query (the product id alone), for scale.
 *
 * So that a miss can be placed, the same codes also go through each layer on its own:
 *   lookup_repo_*      CatalogRepo.lookupBarcode + toProductView (what the handler does)
 *   lookup_dispatch_*  dispatcher.handle(object): + zod, session check, the response object
 *   lookup_text_*      dispatcher.handleText(JSON): + JSON.parse of the request, JSON.stringify of the reply
 *   lookup_*           the full call: + RpcClient (request JSON, pending map, microtask, reply JSON.parse, promise)
 * All six are interleaved, rotating which goes first, so none gets the others' warm pages.
 */
export const lookupGroup: Group = {
  name: 'lookup',
  describe: 'catalog.lookup via the in-process dispatcher vs. a bare prepared statement (+ each layer)',
  async run(ctx) {
    const backend = ctx.backend();
    const client = inProcessClient(backend.dispatcher);
    const userId = await loginAs(client);
    const conn = newConnection();
    const pin = (DEMO_USERS.find((u) => u.role === 'cashier') as (typeof DEMO_USERS)[number]).pin;
    if (!backend.dispatcher.handle({ id: 1, method: 'session.login', params: { userId, pin } }, conn).ok) throw new Error('login failed');
    const bare = backend.db.prepare(BARCODE_LOOKUP_SQL);
    const bareId = backend.db.prepare('SELECT product_id FROM barcodes WHERE code = ?').pluck();
    const codes = sampleBarcodes(ctx.catalog.products, WARMUP + SAMPLES, 1);
    const t = { rpc: [] as number[], bare: [] as number[], bareId: [] as number[], repo: [] as number[], dispatch: [] as number[], text: [] as number[] };
    let missing = 0;
    let measure = false;
    let code = '';
    let reqId = 1;
    const variants: (() => void | Promise<void>)[] = [
      async () => {
        const t0 = performance.now();
        const hit = await client.call('catalog.lookup', { code });
        const dt = performance.now() - t0;
        if (!hit) missing++;
        if (measure) t.rpc.push(dt);
      },
      () => {
        const t0 = performance.now();
        const id = bare.get(code);
        const dt = performance.now() - t0;
        if (id === undefined) missing++;
        if (measure) t.bare.push(dt);
      },
      () => {
        const t0 = performance.now();
        const id = bareId.get(code);
        const dt = performance.now() - t0;
        if (id === undefined) missing++;
        if (measure) t.bareId.push(dt);
      },
      () => {
        const t0 = performance.now();
        const hit = backend.repos.catalog.lookupBarcode(code);
        const view = hit ? toProductView({ ...hit.product }) : null;
        const dt = performance.now() - t0;
        if (!view) missing++;
        if (measure) t.repo.push(dt);
      },
      () => {
        const req = { id: ++reqId, method: 'catalog.lookup', params: { code } };
        const t0 = performance.now();
        const r = backend.dispatcher.handle(req, conn);
        const dt = performance.now() - t0;
        if (!r.ok || r.result === null) missing++;
        if (measure) t.dispatch.push(dt);
      },
      () => {
        const text = `{"id":${++reqId},"method":"catalog.lookup","params":{"code":"${code}"}}`;
        const t0 = performance.now();
        const reply = backend.dispatcher.handleText(text, conn);
        const dt = performance.now() - t0;
        if (!reply.includes('"ok":true') || reply.includes('"result":null')) missing++;
        if (measure) t.text.push(dt);
      },
    ];
    for (let i = 0; i < codes.length; i++) {
      code = codes[i] as string;
      measure = i >= WARMUP;
      for (let k = 0; k < variants.length; k++) await (variants[(i + k) % variants.length] as () => void | Promise<void>)();
      if (i % 500 === 0) await yieldToLoop();
    }
    client.close();
    if (missing > 0) throw new Error(`${missing} sampled barcodes were not found: the catalog is not what the generator makes`);
    const r = summarize(t.rpc);
    const b = summarize(t.bare);
    const bi = summarize(t.bareId);
    const p = summarize(t.repo);
    const d = summarize(t.dispatch);
    const x = summarize(t.text);
    return {
      lookup_p50_ms: round(r.p50),
      lookup_p99_ms: round(r.p99),
      lookup_bare_p50_ms: round(b.p50),
      lookup_bare_p99_ms: round(b.p99),
      lookup_p99_over_bare: round(r.p99 / b.p99),
      lookup_bare_id_p50_ms: round(bi.p50),
      lookup_bare_id_p99_ms: round(bi.p99),
      lookup_repo_p50_ms: round(p.p50),
      lookup_repo_p99_ms: round(p.p99),
      lookup_dispatch_p50_ms: round(d.p50),
      lookup_dispatch_p99_ms: round(d.p99),
      lookup_text_p50_ms: round(x.p50),
      lookup_text_p99_ms: round(x.p99),
      lookup_samples: r.n,
    };
  },
};
