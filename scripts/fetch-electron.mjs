// `npm run electron:fetch`: try to download the Electron binary that `npm ci` skipped.
// Never fails the caller: without Electron, `npm start` runs the till in browser mode.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installer = join(root, 'node_modules/electron/install.js');
const timeoutMs = Number(process.env.LAVKA_ELECTRON_FETCH_TIMEOUT_MS ?? 120_000);

function installedPath() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function download() {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
    const child = spawn(process.execPath, [installer], { cwd: root, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`could not run the installer: ${e.message}`);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve(`gave up after ${Math.round(timeoutMs / 1000)} s`);
      else if (code !== 0) resolve(lastLine(stderr) || `installer exited with ${code}`);
      else resolve(null);
    });
  });
}

function lastLine(text) {
  // @electron/get prints a stack; its first line says what went wrong.
  return text.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at ')) ?? '';
}

async function main() {
  if (!existsSync(installer)) {
    console.log('electron: the electron package is not installed (run `npm ci` first); browser mode still works.');
    return;
  }
  const already = installedPath();
  if (already) {
    console.log(`electron: already here (${already}).`);
    return;
  }
  console.log(`electron: downloading the binary (up to ${Math.round(timeoutMs / 1000)} s)…`);
  const problem = await download();
  const path = installedPath();
  if (path) console.log(`electron: ready (${path}).`);
  else console.log(`electron: not available${problem ? ` (${problem})` : ''}; \`npm start\` will use browser mode.`);
}

main()
  .catch((e) => console.log(`electron: not available (${e instanceof Error ? e.message : String(e)}); \`npm start\` will use browser mode.`))
  .finally(() => process.exit(0));
