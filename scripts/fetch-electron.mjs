// `npm run electron:fetch`: try to download the Electron binary that `npm ci` skipped, and a build of
// better-sqlite3 for Electron's ABI to go with it. Never fails the caller: without them, `npm start`
// runs the till in browser mode.
//
// Why two builds of better-sqlite3: node_modules keeps the one compiled for Node (tests, browser mode
// and the tools run under Node), and Electron refuses a Node-ABI addon. So the Electron build goes to
// node_modules/.lavka-electron/ and `npm start` hands it to the Electron main process
// (LAVKA_ELECTRON_SQLITE_BINDING, see src-main/electron/native.ts). Packaged apps do not need this:
// electron-builder rebuilds better-sqlite3 for Electron.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBinding, sqliteLoadsInElectron, versionOf } from './electron-sqlite.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installer = join(root, 'node_modules/electron/install.js');
const prebuildInstall = join(root, 'node_modules/prebuild-install/bin.js');
const timeoutMs = Number(process.env.LAVKA_ELECTRON_FETCH_TIMEOUT_MS ?? 120_000);
const sqliteTimeoutMs = Math.min(timeoutMs, 60_000);
const seconds = (ms) => Math.round(ms / 1000);
const say = (text) => console.log(`electron: ${text}`);

function installedPath() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Runs a Node script with a time limit; resolves to null on success, else what went wrong. */
function runNode(script, args, { cwd, env, limitMs }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, limitMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`could not run ${script}: ${e.message}`);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve(`gave up after ${seconds(limitMs)} s`);
      else if (code !== 0) resolve(lastProblem(stderr) || `exited with ${code}`);
      else resolve(null);
    });
  });
}

/** The line that says what went wrong: @electron/get prints a stack, prebuild-install a log. */
function lastProblem(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  return (lines.find((l) => /error|warn/i.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

async function fetchElectron() {
  const already = installedPath();
  if (already) {
    say(`binary already here (${already}).`);
    return already;
  }
  say(`downloading the binary (up to ${seconds(timeoutMs)} s)…`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete env.npm_config_electron_skip_binary_download;
  const problem = await runNode(installer, [], { cwd: root, env, limitMs: timeoutMs });
  const path = installedPath();
  if (path) say(`binary ready (${path}).`);
  else say(`binary not available${problem ? ` (${problem})` : ''}; \`npm start\` will use browser mode.`);
  return path;
}

async function fetchSqliteForElectron(electronPath) {
  if (sqliteLoadsInElectron(electronPath)) {
    say('better-sqlite3 in node_modules already loads in Electron.');
    return;
  }
  const binding = electronSqliteBinding();
  if (!binding) {
    say('better-sqlite3 is not installed (run `npm ci`); `npm start` will use browser mode.');
    return;
  }
  const shown = relative(root, binding);
  if (existsSync(binding) && sqliteLoadsInElectron(electronPath, binding)) {
    say(`better-sqlite3 for Electron already here (${shown}).`);
    return;
  }
  if (!existsSync(prebuildInstall)) {
    say('prebuild-install is missing (run `npm ci`); `npm start` will use browser mode.');
    return;
  }
  say(`downloading better-sqlite3 built for Electron ${versionOf('electron')} (up to ${seconds(sqliteTimeoutMs)} s)…`);
  // prebuild-install unpacks into <cwd>/build/Release: give it a scratch folder holding only the
  // package's manifest, so the Node build in node_modules/better-sqlite3 is never touched.
  mkdirSync(dirname(dirname(binding)), { recursive: true });
  const work = mkdtempSync(join(dirname(dirname(binding)), 'download-'));
  try {
    copyFileSync(join(root, 'node_modules/better-sqlite3/package.json'), join(work, 'package.json'));
    const env = { ...process.env };
    delete env.npm_config_build_from_source;
    const args = ['--runtime', 'electron', '--target', versionOf('electron'), '--arch', process.arch, '--platform', process.platform];
    const problem = await runNode(prebuildInstall, args, { cwd: work, env, limitMs: sqliteTimeoutMs });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (problem || !existsSync(built)) {
      say(`better-sqlite3 for Electron not available (${problem ?? 'no addon in the download'}); \`npm start\` will use browser mode.`);
      return;
    }
    mkdirSync(dirname(binding), { recursive: true });
    renameSync(built, binding);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (sqliteLoadsInElectron(electronPath, binding)) say(`better-sqlite3 for Electron ready (${shown}).`);
  else say(`the downloaded better-sqlite3 does not load in Electron; \`npm start\` will use browser mode.`);
}

async function main() {
  if (!existsSync(installer)) {
    say('the electron package is not installed (run `npm ci` first); browser mode still works.');
    return;
  }
  const electronPath = await fetchElectron();
  if (electronPath) await fetchSqliteForElectron(electronPath);
}

main()
  .catch((e) => say(`not available (${e instanceof Error ? e.message : String(e)}); \`npm start\` will use browser mode.`))
  .finally(() => process.exit(0));
