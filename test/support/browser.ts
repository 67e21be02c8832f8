import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..');
export const BRIDGE = join(ROOT, 'dist', 'main', 'bridge.mjs');
export const RENDERER_INDEX = join(ROOT, 'dist', 'renderer', 'index.html');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.LAVKA_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function assertBuilt(): void {
  for (const f of [BRIDGE, RENDERER_INDEX]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (npm test does)`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Backends still running: killed when the test process exits however it exits, so none outlives a run. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * The browser-mode backend as a real child process on a real data dir: it can be killed like a
 * crash (SIGKILL) and started again on the same store and port, so the page's URL stays valid.
 */
export class BackendProcess {
  private child: ChildProcess | null = null;
  readonly token = 'e2e-token';
  url = '';
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<BackendProcess> {
    assertBuilt();
    const p = new BackendProcess(mkdtempSync(join(tmpdir(), 'lavka-e2e-')), await freePort(), env);
    try {
      await p.spawn();
    } catch (e) {
      await p.dispose();
      throw e;
    }
    return p;
  }

  private spawn(): Promise<void> {
    const child = spawn(process.execPath, [BRIDGE], {
      env: {
        ...process.env,
        LAVKA_DATA_DIR: this.dataDir,
        LAVKA_PORT: String(this.port),
        LAVKA_TOKEN: this.token,
        LAVKA_NO_BROWSER: '1',
        LAVKA_DEMO_PRODUCTS: '2000',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`backend did not become ready:\n${output}`)), 30_000);
      let partial = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        // A log line may arrive split over two chunks: judge whole lines only.
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          try {
            const msg = JSON.parse(line) as { msg?: string; url?: string };
            if (msg.msg === 'ready' && msg.url) {
              this.url = msg.url;
              clearTimeout(timer);
              resolve();
            }
          } catch {
            /* not a log line */
          }
        }
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`backend exited with ${code}:\n${output}`));
      });
    });
  }

  /** SIGKILL: the process dies as in a crash or power cut, with no clean shutdown. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** Start again on the same data dir and port, so an open page can reconnect to the same URL. */
  async restart(): Promise<void> {
    const before = this.url;
    await this.kill();
    await this.spawn();
    // The bridge falls back to a random port when its port is taken; the page would never find it.
    if (new URL(this.url).port !== new URL(before).port) throw new Error(`backend came back on ${this.url}, not on ${before}`);
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
