import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: join(import.meta.dirname, '..', '..') });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** The layer rules of ARCHITECTURE.md, checked against the real lint config. */
describe('layer boundaries', () => {
  it.each([
    ['src-common/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src-common/x.ts', "import { createBackend } from '../src-main/host/backend.js';"],
    ['src-renderer/x.ts', "import { readFileSync } from 'fs';"],
    ['src-renderer/x.ts', "import { CatalogRepo } from '../src-main/db/repos/catalog.js';"],
    ['src-renderer/x.ts', "import { ipcRenderer } from 'electron';"],
    ['src-main/app/x.ts', "import { app } from 'electron';"],
    ['src-main/app/x.ts', "import { createRoot } from 'react-dom/client';"],
    ['src-drivers/x.ts', "import { createBackend } from '../src-main/host/backend.js';"],
    ['src-server/x.ts', "import Database from 'better-sqlite3';"],
  ])('%s may not %s', async (file, source) => {
    expect(await importErrors(file, `${source}\nexport {};\n`)).not.toEqual([]);
  });

  it.each([
    ['src-main/electron/x.ts', "import { app } from 'electron';"],
    ['src-renderer/x.ts', "import { formatMoney } from '../src-common/money.js';"],
    ['src-main/app/x.ts', "import { readFileSync } from 'node:fs';"],
  ])('%s may %s', async (file, source) => {
    expect(await importErrors(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});
