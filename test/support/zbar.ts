import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** zbar (Debian's zbar-tools, installed by .ci/run) answers here. */
export const haveZbar = spawnSync('zbarimg', ['--version'], { encoding: 'utf8' }).status === 0;

/** Every symbol zbar, an independent decoder, finds in a PNG (raw contents, one per symbol). */
export function zbarimg(png: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lavka-zbar-'));
  try {
    const file = join(dir, 'image.png');
    writeFileSync(file, png);
    const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
    // 4: no symbol found (an empty answer, not a failure).
    if (r.status !== 0 && r.status !== 4) throw new Error(`zbarimg failed (${r.status}): ${r.stderr}`);
    return r.stdout.split('\n').filter((l) => l.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
