import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the till keeps its store: LAVKA_DATA_DIR, else ./data beside the app. */
export function dataDir(appRoot: string): string {
  const dir = resolve(process.env.LAVKA_DATA_DIR ?? join(appRoot, 'data'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function demoProductCount(): number {
  const n = Number(process.env.LAVKA_DEMO_PRODUCTS ?? 10_000);
  return Number.isSafeInteger(n) && n >= 0 ? n : 10_000;
}

/** The till's version as package.json at the app root says (inside app.asar too); '0.0.0' when it cannot be read. */
export function appVersion(appRoot: string): string {
  try {
    const v = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' && v.length <= 40 ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
