/**
 * `npm run bench [-- --only a,b] [--out FILE] [--products N]`: the till's performance figures.
 *
 * Seeds (once, cached in bench/.cache/) a store with a generated catalog of 1,000,000 products,
 * runs the groups against private copies of it and writes one flat JSON object of named figures
 * (milliseconds unless the name says otherwise) to bench/results.json.
 *
 * Groups (--only takes these names; each one's figures are described in its file):
 *   lookup      bench/groups/lookup.ts     lookup_* (catalog.lookup, in-process dispatcher) vs lookup_bare_*
 *   search      bench/groups/search.ts     search_* (catalog.search, cashier prefixes)
 *   scan_ws     bench/groups/scan-ws.ts    add_line_ws_* (checkout.scan over the browser-mode WebSocket)
 *   complete    bench/groups/complete.ts   complete_* (checkout.complete, 5 lines, card + cash), commit_bare_*
 *   cold_start  bench/groups/cold-start.ts cold_start_ms, cold_start_ready_ms (spawned dist/main/bridge.mjs)
 *   rss         bench/groups/cold-start.ts rss_mb (VmRSS of that process after traffic)
 *   render      bench/groups/render.ts     scan_to_render_* (Chromium, window.__lavkaScanTimings)
 *   ingest      bench/groups/ingest.ts     ingest_pglite_rps, ingest_pg_rps (head office, 4 tills pushing over HTTP)
 *   backlog     bench/groups/backlog.ts    backlog_20k_s (a till drains 20,000 queued sales through its sync service)
 *   catalog_load bench/groups/catalog-load.ts catalog_1m_load_s (a fresh till's first catalog load from the head office)
 *   z_report    bench/groups/z-report.ts   z_report_5k_ms (shift.close on 5,000 receipts / 25,000 lines), x_report_5k_*
 *   receipt     bench/groups/receipt.ts    receipt_bytes_native/raster/peer, receipt_encode_ms, receipt_9600_s
 *   import      bench/groups/import.ts     import_100k_s (read, map and validate a 100,000-row XLSX price list)
 *   customers   bench/groups/customers.ts  customer_lookup_p99_ms (customers.find by phone and card among 1,000,000)
 *   loyalty     bench/groups/loyalty.ts    loyalty_complete_overhead_ms (complete with a customer − without, p99)
 *   stock_post  bench/groups/stock-post.ts post_2000_lines_ms, post_2000_lines_max_ms (stockDocs.post, 2,000-line delivery)
 * Context (bench/host.ts): host_load1_start/end (load average), host_other_cpu_pct_<group> (CPU
 * the rest of the machine used during an in-process group, % of one core; 2 cores = 200).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createBackend, type Backend } from '../src-main/host/backend.js';
import type { Logger } from '../src-main/rpc/dispatcher.js';
import { CACHE_DIR, copyStore, ensureCatalog, MIGRATIONS_DIR, ROOT } from './catalog-cache.js';
import type { BenchContext, Figures, Group } from './context.js';
import { coldStartGroup, rssGroup } from './groups/cold-start.js';
import { completeGroup } from './groups/complete.js';
import { lookupGroup } from './groups/lookup.js';
import { renderGroup } from './groups/render.js';
import { scanWsGroup } from './groups/scan-ws.js';
import { searchGroup } from './groups/search.js';
import { zReportGroup } from './groups/z-report.js';
import { receiptGroup } from './groups/receipt.js';
import { ingestGroup } from './groups/ingest.js';
import { catalogLoadGroup } from './groups/catalog-load.js';
import { backlogGroup } from './groups/backlog.js';
import { importGroup } from './groups/import.js';
import { stockPostGroup } from './groups/stock-post.js';
import { customersGroup } from './groups/customers.js';
import { loyaltyGroup } from './groups/loyalty.js';
import { load1, watchHost } from './host.js';
import { round } from './stats.js';

const GROUPS: Group[] = [lookupGroup, searchGroup, scanWsGroup, completeGroup, zReportGroup, stockPostGroup, receiptGroup, coldStartGroup, rssGroup, renderGroup, ingestGroup, backlogGroup, catalogLoadGroup, importGroup, customersGroup, loyaltyGroup];

/** Groups that run in this process: for these, "other CPU" is the neighbours' alone. */
const IN_PROCESS = new Set(['lookup', 'search', 'scan_ws', 'complete', 'z_report', 'stock_post', 'receipt', 'import', 'customers', 'loyalty']);

/** Targets the figures are held to: [key, limit, how to read it, and 'min' where the figure must reach the limit]. */
const TARGETS: [string, number, string, 'min'?][] = [
  ['lookup_p99_ms', 1, '≤ 1 ms'],
  ['lookup_p99_over_bare', 3, '≤ 3× bare'],
  ['search_p95_ms', 5, '≤ 5 ms'],
  ['add_line_ws_p99_ms', 2, '≤ 2 ms'],
  ['complete_p99_ms', 3, '≤ 3 ms'],
  ['cold_start_ms', 1000, '≤ 1000 ms'],
  ['rss_mb', 200, '≤ 200 MB'],
  ['scan_to_render_p95_ms', 50, '≤ 50 ms'],
  ['z_report_5k_ms', 200, '≤ 200 ms'],
  ['post_2000_lines_ms', 1000, '≤ 1000 ms'],
  ['receipt_bytes_native', 4096, '≤ 4 KB'],
  ['ingest_pg_rps', 2000, '≥ 2000 receipts/s', 'min'],
  ['catalog_1m_load_s', 90, '≤ 90 s'],
  ['backlog_20k_s', 20, '≤ 20 s'],
  ['import_100k_s', 15, '≤ 15 s'],
  ['customer_lookup_p99_ms', 5, '≤ 5 ms'],
  ['loyalty_complete_overhead_ms', 1, '≤ 1 ms'],
];

const USAGE = `Usage: npm run bench [-- options]

  --only a,b      run only these groups: ${GROUPS.map((g) => g.name).join(', ')}
  --out FILE      write the figures here (default bench/results.json)
  --products N    catalog size (default 1000000; the catalog is seeded once into bench/.cache/)
  --help          this text

Groups:
${GROUPS.map((g) => `  ${g.name.padEnd(12)} ${g.describe}`).join('\n')}

Figures are ms unless named otherwise; percentiles by nearest rank (bench/stats.ts). Context:
host_load1_start/end (1-minute load average) and host_other_cpu_pct_<group> (CPU used by other
processes during an in-process group, % of one core): high values mean the tails are not ours.`;

interface Args {
  only: string[] | null;
  out: string;
  products: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { only: null, out: join(ROOT, 'bench', 'results.json'), products: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--only': {
        const names = value().split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = names.filter((n) => !GROUPS.some((g) => g.name === n));
        if (unknown.length > 0) throw new UsageError(`unknown group(s): ${unknown.join(', ')}`);
        args.only = names;
        break;
      }
      case '--out':
        args.out = resolve(value());
        break;
      case '--products': {
        const n = Number(value());
        if (!Number.isSafeInteger(n) || n < 1000 || n > 1_000_000) throw new UsageError('--products must be a whole number from 1000 to 1000000');
        args.products = n;
        break;
      }
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  return args;
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

function printTable(figures: Figures, skipped: Map<string, string>, failed: Map<string, string>): void {
  const targets = new Map(TARGETS.map(([k, limit, text, min]) => [k, { limit, text, min: min === 'min' }]));
  const rows: string[][] = [['figure', 'value', 'target', '']];
  for (const [k, v] of Object.entries(figures)) {
    const t = targets.get(k);
    rows.push([k, String(v), t?.text ?? '', t ? ((t.min ? v >= t.limit : v <= t.limit) ? 'ok' : 'MISSED') : '']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  console.log('');
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  const busy = Object.entries(figures).filter(([k, v]) => k.startsWith('host_other_cpu_pct_') && v >= 25);
  if (busy.length > 0) {
    console.log(
      `\nnote: other processes were busy during ${busy.map(([k, v]) => `${k.slice('host_other_cpu_pct_'.length)} (${v}% CPU)`).join(', ')}` +
        ' on this 2-core machine: p99 tails there include waiting for them (compare commit_bare_p99_ms, the disk\'s floor).',
    );
  }
  for (const [g, why] of skipped) console.log(`skipped ${g}: ${why}`);
  for (const [g, why] of failed) console.log(`FAILED ${g}: ${why}`);
}

async function main(): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const only = args.only;
  const groups = GROUPS.filter((g) => !only || only.includes(g.name));
  const t0 = performance.now();
  const catalog = ensureCatalog(args.products, log);
  const workDir = join(CACHE_DIR, `run-${process.pid}`);
  mkdirSync(workDir, { recursive: true });

  const backendLog: Logger = {
    info: () => {},
    error: (msg, data) => log(`backend error: ${msg} ${JSON.stringify(data ?? {})}`),
  };
  let backend: Backend | null = null;
  const ctx: BenchContext = {
    catalog,
    workDir,
    log,
    backend: () => {
      if (!backend) {
        const dbPath = copyStore(catalog, join(workDir, 'in-process'));
        backend = createBackend({ dbPath, migrationsDir: MIGRATIONS_DIR, demo: false, log: backendLog });
      }
      return backend;
    },
  };

  const figures: Figures = { catalog_products: catalog.products, host_load1_start: round(load1()) };
  if (catalog.seededMs !== null) figures.seed_ms = round(catalog.seededMs);
  const skipped = new Map<string, string>();
  const failed = new Map<string, string>();
  try {
    for (const g of groups) {
      const started = performance.now();
      log(`${g.name}: ${g.describe}`);
      const host = watchHost();
      try {
        const r = await g.run(ctx);
        const other = host.stop();
        if ('skipped' in r && typeof r.skipped === 'string') {
          skipped.set(g.name, r.skipped);
          log(`${g.name}: skipped: ${r.skipped}`);
        } else {
          Object.assign(figures, r);
          if (IN_PROCESS.has(g.name) && other !== null) figures[`host_other_cpu_pct_${g.name}`] = Math.round(other);
          const busy = other === null ? '' : `, other processes used ${Math.round(other)}% CPU${IN_PROCESS.has(g.name) ? '' : ' (incl. ours spawned)'}`;
          log(`${g.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s${busy} ${JSON.stringify(r)}`);
        }
      } catch (e) {
        const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
        failed.set(g.name, msg.split('\n')[0] ?? msg);
        log(`${g.name}: FAILED: ${msg}`);
      }
    }
  } finally {
    (backend as Backend | null)?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  figures.host_load1_end = round(load1());
  figures.bench_total_ms = round(performance.now() - t0);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(figures, null, 2) + '\n');
  printTable(figures, skipped, failed);
  console.log(`\nwrote ${args.out}`);
  return failed.size > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);
