import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowserMode } from '../../src-main/bridge/server.js';
import { loginAs, sampleBarcodes, type Group } from '../context.js';
import { CommitProbe } from '../host.js';
import { round, summarize, yieldToLoop } from '../stats.js';
import { wsClient } from '../ws-link.js';

const BASKET = 20;
const WARMUP_BASKETS = 10;
const BASKETS = 250;

/**
 * `checkout.scan` round trips over the real WebSocket of browser mode (server started in this
 * process on the catalog copy, client = RpcClient over a `ws` link with our Origin and the token):
 * baskets of 20 lines, completed by card between baskets (untimed).
 *
 * For the diagnosis, `add_line_ws_server_*` is the server's share of the same round trips: the
 * time inside dispatcher.handleText (JSON in, the scan command and its commit, JSON out), taken by
 * wrapping that one method of this backend's dispatcher. The rest is the WebSocket both ways and
 * the client. `add_line_ws_commit_bare_p99_ms` is the disk's floor for a commit meanwhile (a bare
 * 5-row transaction after every other scan, untimed in the round trips; see bench/host.ts).
 */
export const scanWsGroup: Group = {
  name: 'scan_ws',
  describe: 'checkout.scan round trip over the browser-mode WebSocket, 20-line baskets',
  async run(ctx) {
    const backend = ctx.backend();
    const staticDir = join(ctx.workDir, 'static-empty');
    mkdirSync(staticDir, { recursive: true });
    const token = 'bench-token';
    const dispatcher = backend.dispatcher;
    let serverMs = 0;
    const handleText = dispatcher.handleText.bind(dispatcher);
    dispatcher.handleText = (text, conn) => {
      const t0 = performance.now();
      const reply = handleText(text, conn);
      serverMs = performance.now() - t0;
      return reply;
    };
    const server = await startBrowserMode({ backend, staticDir, token, port: 0 });
    const client = await wsClient(`ws://127.0.0.1:${new URL(server.origin).port}/rpc?token=${token}`, server.origin);
    const probe = new CommitProbe(ctx.workDir);
    try {
      await loginAs(client);
      if (await client.call('checkout.current')) await client.call('checkout.cancel');
      const codes = sampleBarcodes(ctx.catalog.products, (WARMUP_BASKETS + BASKETS) * BASKET, 4);
      const times: number[] = [];
      const server: number[] = [];
      const floor: number[] = [];
      for (let b = 0; b < WARMUP_BASKETS + BASKETS; b++) {
        let total = 0;
        const measure = b >= WARMUP_BASKETS;
        for (let l = 0; l < BASKET; l++) {
          const code = codes[b * BASKET + l] as string;
          const t0 = performance.now();
          const r = await client.call('checkout.scan', { code });
          const dt = performance.now() - t0;
          total = r.total;
          if (r.lines.length !== l + 1 && r.lines.at(-1)?.barcode !== code) throw new Error(`scan ${code} did not add a line`);
          if (measure) {
            times.push(dt);
            server.push(serverMs);
          }
          if (l % 2 === 1) {
            const f = probe.run();
            if (measure) floor.push(f);
          }
        }
        await client.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
        await backend.effects.idle();
        await yieldToLoop();
      }
      const s = summarize(times);
      const v = summarize(server);
      const f = summarize(floor);
      return {
        add_line_ws_p50_ms: round(s.p50),
        add_line_ws_p99_ms: round(s.p99),
        add_line_ws_samples: s.n,
        add_line_ws_server_p50_ms: round(v.p50),
        add_line_ws_server_p99_ms: round(v.p99),
        add_line_ws_commit_bare_p99_ms: round(f.p99),
      };
    } finally {
      probe.close();
      client.close();
      await server.close();
      dispatcher.handleText = handleText;
    }
  },
};
