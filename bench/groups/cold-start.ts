import { join } from 'node:path';
import { wsClient } from '../ws-link.js';
import { ensureBridgeBundle, rssMb, startBridge } from '../bridge-process.js';
import { copyStore } from '../catalog-cache.js';
import { cashierQueries, loginAs, sampleBarcodes, type Group } from '../context.js';
import { median, round } from '../stats.js';

const RUNS = 5;

/**
 * Cold start of browser mode on the big store: spawn `node dist/main/bridge.mjs` (LAVKA_DEMO=0,
 * LAVKA_NO_BROWSER=1, LAVKA_PORT=0) on a copy of the cached catalog and time spawn → "ready" line.
 * One untimed run first (so the OS has the binary and bundle cached, as on a till that has run
 * before), then the median of 5.
 */
export const coldStartGroup: Group = {
  name: 'cold_start',
  describe: 'spawn node dist/main/bridge.mjs on the big store → "ready", median of 5',
  async run(ctx) {
    ensureBridgeBundle(ctx.log);
    const dir = join(ctx.workDir, 'cold-start');
    copyStore(ctx.catalog, dir);
    const spawnToReady: number[] = [];
    const reported: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const p = await startBridge(dir, `cold-${i}`);
      await p.stop();
      if (i === 0) continue;
      spawnToReady.push(p.spawnToReadyMs);
      reported.push(p.ready.readyMs);
    }
    ctx.log(`cold start runs (ms): ${spawnToReady.map((x) => x.toFixed(0)).join(', ')}`);
    return { cold_start_ms: round(median(spawnToReady)), cold_start_ready_ms: round(median(reported)) };
  },
};

const RSS_BASKETS = 50;
const RSS_BASKET = 20;

/**
 * Memory of browser mode holding the big store after real work: spawn it on a copy of the
 * catalog, drive scans (50 baskets of 20, completed), some searches and lookups over its
 * WebSocket, then read VmRSS from /proc.
 */
export const rssGroup: Group = {
  name: 'rss',
  describe: 'VmRSS of the browser-mode process after scan traffic over its WebSocket',
  async run(ctx) {
    ensureBridgeBundle(ctx.log);
    const dir = join(ctx.workDir, 'rss');
    copyStore(ctx.catalog, dir);
    const p = await startBridge(dir, 'rss-token');
    try {
      const client = await wsClient(p.rpcUrl, p.ready.origin);
      await loginAs(client);
      if (await client.call('checkout.current')) await client.call('checkout.cancel');
      const codes = sampleBarcodes(ctx.catalog.products, RSS_BASKETS * RSS_BASKET, 5);
      for (let b = 0; b < RSS_BASKETS; b++) {
        let total = 0;
        for (let l = 0; l < RSS_BASKET; l++) total = (await client.call('checkout.scan', { code: codes[b * RSS_BASKET + l] as string })).total;
        await client.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
      }
      for (const text of cashierQueries(ctx.catalog.products, 200, 6)) await client.call('catalog.search', { text, limit: 20 });
      for (const code of sampleBarcodes(ctx.catalog.products, 1000, 7)) await client.call('catalog.lookup', { code });
      await new Promise((r) => setTimeout(r, 500));
      const { rss, hwm } = rssMb(p.child.pid as number);
      client.close();
      return { rss_mb: round(rss), rss_hwm_mb: round(hwm) };
    } finally {
      await p.stop();
    }
  },
};
