/** Browser mode as its own process: `node dist/main/bridge.mjs`, bundled first when missing or stale. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './catalog-cache.js';

export const BRIDGE_BUNDLE = join(ROOT, 'dist', 'main', 'bridge.mjs');

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

/**
 * Make sure dist/main/bridge.mjs exists and is not older than the backend sources it bundles
 * (measuring yesterday's build would be measuring the wrong code). Builds it the project's way,
 * `node scripts/build.mjs --main-only`; if that fails (say, the Electron entry is mid-edit), bundles
 * just the bridge with esbuild and the same options as scripts/build.mjs.
 */
export function ensureBridgeBundle(log: (msg: string) => void): void {
  const sources = newestSource([join(ROOT, 'src-main'), join(ROOT, 'src-common'), join(ROOT, 'src-drivers')]);
  if (existsSync(BRIDGE_BUNDLE) && statSync(BRIDGE_BUNDLE).mtimeMs >= sources) return;
  log(existsSync(BRIDGE_BUNDLE) ? 'dist/main/bridge.mjs is older than the sources: building it again' : 'building dist/main/bridge.mjs');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--main-only'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status === 0 && existsSync(BRIDGE_BUNDLE)) return;
  log(`scripts/build.mjs --main-only failed (exit ${build.status ?? build.signal}): bundling the bridge alone with esbuild`);
  const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
  const external = ['better-sqlite3', 'electron', 'serialport', 'node-hid', 'usb', 'bufferutil', 'utf-8-validate'];
  const r = spawnSync(
    esbuild,
    [
      'src-main/bridge/main.ts',
      '--bundle',
      '--platform=node',
      '--target=node20',
      '--format=esm',
      '--sourcemap',
      '--outfile=dist/main/bridge.mjs',
      ...external.map((e) => `--external:${e}`),
      '--log-level=warning',
      "--banner:js=import { createRequire as __lavkaRequire } from 'node:module'; const require = __lavkaRequire(import.meta.url);",
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`esbuild failed (exit ${r.status ?? r.signal})`);
}

export interface ReadyLine {
  msg: 'ready';
  url: string;
  origin: string;
  readyMs: number;
}

export interface BridgeProcess {
  child: ChildProcess;
  ready: ReadyLine;
  /** From just before spawn() to the moment the ready line arrived. */
  spawnToReadyMs: number;
  /** ws://…/rpc?token=… for a client of this process. */
  rpcUrl: string;
  stop(): Promise<void>;
}

export async function startBridge(dataDir: string, token: string, timeoutMs = 60_000): Promise<BridgeProcess> {
  const env = {
    ...process.env,
    LAVKA_DATA_DIR: dataDir,
    LAVKA_DEMO: '0',
    LAVKA_NO_BROWSER: '1',
    LAVKA_PORT: '0',
    LAVKA_TOKEN: token,
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, [BRIDGE_BUNDLE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<{ line: ReadyLine; at: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge not ready after ${timeoutMs} ms: ${stderr.join('')}`)), timeoutMs);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (text) => {
      const at = performance.now();
      if (!text.startsWith('{')) return;
      try {
        const msg = JSON.parse(text) as { msg?: string };
        if (msg.msg === 'ready') {
          clearTimeout(timer);
          resolve({ line: msg as ReadyLine, at });
        }
      } catch {
        // not a JSON line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited (${code}) before ready: ${stderr.join('').slice(0, 2000)}`));
    });
  });
  child.stdout?.resume();
  return {
    child,
    ready: ready.line,
    spawnToReadyMs: ready.at - t0,
    rpcUrl: `ws://127.0.0.1:${new URL(ready.line.origin).port}/rpc?token=${token}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/** Resident set size of a process, from /proc/PID/status (Linux), in MB. */
export function rssMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}
