import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowserMode } from '../../src-main/bridge/server.js';
import { wsClient } from '../../test/support/ws-link.js';
import { loginAs, sampleBarcodes, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const BASKET = 20;
const WARMUP_BASKETS = 10;
const BASKETS = 250;

/**
 * `checkout.scan` round trips over the real WebSocket of browser mode (server started in this
 * process on the catalog copy): baskets of 20 lines, completed by card between baskets (untimed).
 */
export const scanWsGroup: Group = {
  name: 'scan_ws',
  describe: 'checkout.scan round trip over the browser-mode WebSocket, 20-line baskets',
  async run(ctx) {
    const backend = ctx.backend();
    const staticDir = join(ctx.workDir, 'static-empty');
    mkdirSync(staticDir, { recursive: true });
    const token = 'bench-token';
    const server = await startBrowserMode({ backend, staticDir, token, port: 0 });
    const client = await wsClient(`ws://127.0.0.1:${new URL(server.origin).port}/rpc?token=${token}`, server.origin);
    try {
      await loginAs(client);
      if (await client.call('checkout.current')) await client.call('checkout.cancel');
      const codes = sampleBarcodes(ctx.catalog.products, (WARMUP_BASKETS + BASKETS) * BASKET, 4);
      const times: number[] = [];
      for (let b = 0; b < WARMUP_BASKETS + BASKETS; b++) {
        let total = 0;
        for (let l = 0; l < BASKET; l++) {
          const code = codes[b * BASKET + l] as string;
          const t0 = performance.now();
          const r = await client.call('checkout.scan', { code });
          const dt = performance.now() - t0;
          total = r.total;
          if (b >= WARMUP_BASKETS) times.push(dt);
        }
        await client.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
        await backend.effects.idle();
        await yieldToLoop();
      }
      const s = summarize(times);
      return { add_line_ws_p50_ms: round(s.p50), add_line_ws_p99_ms: round(s.p99), add_line_ws_samples: s.n };
    } finally {
      client.close();
      await server.close();
    }
  },
};
