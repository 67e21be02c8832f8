// Build what `npm start` runs: the backend bundles (browser mode and Electron) with esbuild,
// and the renderer with Vite. Native modules stay external and load from node_modules.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const external = ['better-sqlite3', 'electron', 'serialport', 'node-hid', 'usb', 'bufferutil', 'utf-8-validate'];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, external, logLevel: 'warning' };

const only = process.argv.includes('--main-only') ? 'main' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';

if (only !== 'renderer') {
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'src-main/bridge/main.ts')],
      outfile: join(root, 'dist/main/bridge.mjs'),
      format: 'esm',
      // ws and friends are CommonJS: give the ESM bundle a require().
      banner: { js: "import { createRequire as __lavkaRequire } from 'node:module'; const require = __lavkaRequire(import.meta.url);" },
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src-main/electron/main.ts')],
      outfile: join(root, 'dist/main/electron-main.cjs'),
      format: 'cjs',
      // import.meta.url (the WAL checkpointer resolves better-sqlite3 from it) as the bundle's own file URL.
      define: { 'import.meta.url': '__lavkaImportMetaUrl' },
      banner: { js: "const __lavkaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src-main/electron/preload.ts')],
      outfile: join(root, 'dist/main/preload.cjs'),
      format: 'cjs',
    }),
  ]);
}
if (only !== 'main') {
  await viteBuild({ configFile: join(root, 'src-renderer/vite.config.ts'), logLevel: 'warn' });
}
