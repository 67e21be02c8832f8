// Where better-sqlite3's Electron build lives beside the Node build, and whether Electron can load
// it. Shared by start.mjs (which build to hand Electron) and fetch-electron.mjs (which fetches it).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function versionOf(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** The addon file fetch-electron.mjs writes; null without the packages. */
export function electronSqliteBinding() {
  try {
    const key = `better-sqlite3-${versionOf('better-sqlite3')}-electron-${versionOf('electron')}-${process.platform}-${process.arch}`;
    return join(root, 'node_modules', '.lavka-electron', key, 'better_sqlite3.node');
  } catch {
    return null;
  }
}

/** Does better-sqlite3 open a database inside Electron's own Node (with that addon file, if given)? */
export function sqliteLoadsInElectron(electronPath, binding) {
  const options = binding ? `, { nativeBinding: ${JSON.stringify(binding)} }` : '';
  const probe = spawnSync(electronPath, ['-e', `new (require('better-sqlite3'))(':memory:'${options}).close()`], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
    timeout: 30_000,
  });
  return probe.status === 0;
}
