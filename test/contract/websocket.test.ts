import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserMode, type BrowserModeServer } from '../../src-main/bridge/server.js';
import { wsClient } from '../support/ws-link.js';
import { contractSuite } from './suite.js';

const staticDir = mkdtempSync(join(tmpdir(), 'lavka-static-'));

contractSuite('the WebSocket transport', () => {
  let server: BrowserModeServer | null = null;
  return {
    connect: async (t) => {
      server = await startBrowserMode({ backend: t.backend, staticDir, token: 'contract-token', port: 0 });
      return wsClient(`ws://127.0.0.1:${new URL(server.origin).port}/rpc?token=contract-token`, server.origin);
    },
    close: async () => {
      await server?.close();
      server = null;
    },
  };
});
