import { toProductView } from '../../src-main/db/repos/catalog.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs, sampleBarcodes, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const WARMUP = 2_000;
const SAMPLES = 20_000;

/**
 * Barcode lookup through `catalog.lookup` on the in-process dispatcher (JSON both ways, zod,
 * session check, the product query) against the bare indexed statement, on the same random codes.
 * The two are interleaved, alternating which goes first, so neither gets the other's warm pages.
 * For the diagnosis, `lookup_repo_*` times the repository call plus the wire view alone (what the
 * handler does, without JSON, zod and the promise round trip), in the same rotation.
 */
export const lookupGroup: Group = {
  name: 'lookup',
  describe: 'catalog.lookup via the in-process dispatcher vs. a bare prepared statement',
  async run(ctx) {
    const backend = ctx.backend();
    const client = inProcessClient(backend.dispatcher);
    await loginAs(client);
    const bare = backend.db.prepare('SELECT product_id FROM barcodes WHERE code = ?').pluck();
    const codes = sampleBarcodes(ctx.catalog.products, WARMUP + SAMPLES, 1);
    const rpc: number[] = [];
    const raw: number[] = [];
    const repo: number[] = [];
    let missing = 0;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as string;
      const measure = i >= WARMUP;
      const timeRpc = async (): Promise<void> => {
        const t0 = performance.now();
        const hit = await client.call('catalog.lookup', { code });
        const dt = performance.now() - t0;
        if (!hit) missing++;
        if (measure) rpc.push(dt);
      };
      const timeBare = (): void => {
        const t0 = performance.now();
        const id = bare.get(code);
        const dt = performance.now() - t0;
        if (id === undefined) missing++;
        if (measure) raw.push(dt);
      };
      const timeRepo = (): void => {
        const t0 = performance.now();
        const hit = backend.repos.catalog.lookupBarcode(code);
        const view = hit ? toProductView({ ...hit.product }) : null;
        const dt = performance.now() - t0;
        if (!view) missing++;
        if (measure) repo.push(dt);
      };
      const order = i % 3;
      if (order === 0) {
        await timeRpc();
        timeBare();
        timeRepo();
      } else if (order === 1) {
        timeBare();
        timeRepo();
        await timeRpc();
      } else {
        timeRepo();
        await timeRpc();
        timeBare();
      }
      if (i % 500 === 0) await yieldToLoop();
    }
    client.close();
    if (missing > 0) throw new Error(`${missing} sampled barcodes were not found: the catalog is not what the generator makes`);
    const r = summarize(rpc);
    const b = summarize(raw);
    const p = summarize(repo);
    return {
      lookup_p50_ms: round(r.p50),
      lookup_p99_ms: round(r.p99),
      lookup_bare_p50_ms: round(b.p50),
      lookup_bare_p99_ms: round(b.p99),
      lookup_p99_over_bare: round(r.p99 / b.p99),
      lookup_repo_p50_ms: round(p.p50),
      lookup_repo_p99_ms: round(p.p99),
      lookup_samples: r.n,
    };
  },
};
