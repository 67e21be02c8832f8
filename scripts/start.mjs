// `npm start`: build what is stale, then run the till in Electron when its binary is here and
// usable, else in browser mode (the same backend under Node, the UI in a browser).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBinding, sqliteLoadsInElectron } from './electron-sqlite.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser') || process.env.LAVKA_MODE === 'browser';
const passThrough = args.filter((a) => a !== '--browser');

/** Newest modification time under the given files/folders (0 when none exist). */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (!st.isDirectory()) {
      max = Math.max(max, st.mtimeMs);
      return;
    }
    for (const name of readdirSync(p)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      visit(join(p, name));
    }
  };
  for (const p of paths) visit(join(root, p));
  return max;
}

/** Oldest output, or -1 when one is missing (so it is always stale). */
function oldest(paths) {
  let min = Infinity;
  for (const p of paths) {
    try {
      min = Math.min(min, statSync(join(root, p)).mtimeMs);
    } catch {
      return -1;
    }
  }
  return min;
}

function build() {
  const mainStale =
    oldest(['dist/main/bridge.mjs', 'dist/main/electron-main.cjs', 'dist/main/preload.cjs']) <
    newest(['src-main', 'src-common', 'src-drivers', 'scripts/build.mjs', 'package.json']);
  const rendererBuildable = existsSync(join(root, 'src-renderer/vite.config.ts'));
  const rendererStale =
    rendererBuildable && oldest(['dist/renderer/index.html']) < newest(['src-renderer', 'src-common', 'scripts/build.mjs', 'package.json']);
  if (!rendererBuildable && !existsSync(join(root, 'dist/renderer/index.html'))) {
    console.log('lavka: src-renderer/vite.config.ts is missing, so there is no UI to build; the backend starts anyway.');
  }
  if (!mainStale && !rendererStale) return;
  const flag = mainStale && rendererStale ? [] : mainStale ? ['--main-only'] : ['--renderer-only'];
  console.log(`lavka: building${flag.length ? ` (${flag[0].slice(2)})` : ''}…`);
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), ...flag], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('lavka: the build failed (see above).');
    process.exit(r.status ?? 1);
  }
}

/** The Electron binary's path (and extra env for it), or the reason there is none that can run the till. */
function electronBinary() {
  let path;
  try {
    // The electron package's main export is the binary's path; it throws when the download was skipped.
    path = createRequire(join(root, 'package.json'))('electron');
  } catch {
    return { reason: 'Electron is not installed (`npm run electron:fetch` downloads it)' };
  }
  if (typeof path !== 'string' || !existsSync(path)) return { reason: 'Electron is not installed (`npm run electron:fetch` downloads it)' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'Electron is installed but there is no display' };
  }
  // node_modules holds the build of better-sqlite3 for Node (tests and browser mode need it), which
  // Electron's ABI refuses: the window would only show a start-up error. Ask Electron's own Node,
  // and else use the Electron build `npm run electron:fetch` puts beside it (src-main/electron/native.ts).
  if (sqliteLoadsInElectron(path)) return { path, env: {} };
  const binding = electronSqliteBinding();
  if (binding && existsSync(binding) && sqliteLoadsInElectron(path, binding)) {
    return { path, env: { LAVKA_ELECTRON_SQLITE_BINDING: binding } };
  }
  return { reason: 'Electron is installed but there is no better-sqlite3 built for it (`npm run electron:fetch` downloads one)' };
}

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  let forwarded = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      forwarded = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (e) => {
    console.error(`lavka: could not start ${command}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== null) process.exit(code);
    process.exit(forwarded && (signal === 'SIGINT' || signal === 'SIGTERM') ? 0 : 1);
  });
}

build();
const electron = forceBrowser ? { reason: 'browser mode requested' } : electronBinary();
if (electron.path) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.LAVKA_ELECTRON_SQLITE_BINDING;
  Object.assign(env, electron.env);
  run(electron.path, [join(root, 'dist/main/electron-main.cjs'), ...passThrough], env);
} else {
  console.log(`lavka: ${electron.reason}; starting in browser mode.`);
  run(process.execPath, [join(root, 'dist/main/bridge.mjs'), ...passThrough], process.env);
}
