// `npm run quickstart`: from a fresh checkout to a running till. Node built-ins only, since
// node_modules may not exist yet.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (text) => console.log(`quickstart: ${text}`);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(`Node ${process.versions.node} is too old; Lavka POS needs Node 20.19 or newer.`);
  process.exit(1);
}

/** npm the same way whoever started us did (npm_execpath under `npm run`), else from PATH. */
function npm(args, env = process.env) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.js$/.test(npmCli)) return run(process.execPath, [npmCli, ...args], env);
  // Node refuses to spawn npm.cmd without a shell on Windows.
  return run('npm', args, env, process.platform === 'win32');
}

function run(command, args, env, shell = false) {
  return new Promise((resolve) => {
    // On POSIX the child leads its own process group and a signal goes to the whole group: npm runs
    // scripts through a shell, and signalling npm alone leaves the app running as an orphan.
    const group = process.platform !== 'win32';
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit', shell, detached: group });
    const forward = (signal) => {
      try {
        if (group) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (e) => {
      say(`could not run ${command}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

/** npm records what it installed in node_modules/.package-lock.json; newer than the lockfile means up to date. */
function dependenciesCurrent() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules/.package-lock.json');
  if (!existsSync(lock) || !existsSync(installed)) return false;
  return statSync(installed).mtimeMs >= Math.max(statSync(lock).mtimeMs, statSync(join(root, 'package.json')).mtimeMs);
}

async function main() {
  if (dependenciesCurrent()) {
    // `npm ci` would wipe node_modules, including an Electron binary fetched earlier.
    say('dependencies are installed and current; skipping npm ci.');
  } else {
    const command = existsSync(join(root, 'package-lock.json')) ? 'ci' : 'install';
    say(`installing dependencies (npm ${command}, Electron binary download skipped)…`);
    const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    let code = await npm([command, '--no-audit', '--no-fund'], env);
    if (code !== 0 && command === 'ci') {
      // Some npm versions leave other platforms' optional packages (rollup's native builds) out of
      // the lockfile and then refuse `npm ci`; `npm install` still honours the locked versions.
      say('npm ci refused the lockfile; installing with npm install instead…');
      code = await npm(['install', '--no-audit', '--no-fund'], env);
    }
    if (code !== 0) {
      say(`npm ${command} failed (exit ${code}); fix the error above and run \`npm run quickstart\` again.`);
      process.exit(code);
    }
  }

  say('fetching the Electron binary and better-sqlite3 for Electron (optional; browser mode works without them)…');
  await run(process.execPath, [join(root, 'scripts/fetch-electron.mjs')], process.env);

  say('starting Lavka POS (npm start)…');
  process.exit(await npm(['start']));
}

main().catch((e) => {
  say(`failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
