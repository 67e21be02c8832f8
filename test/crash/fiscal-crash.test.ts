import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AtolWebServerEmulator } from '../../src-drivers/emulators/fiscal/atol.js';

/**
 * Must-show: a till killed (SIGKILL) at every point of a fiscalization — after the intent is
 * committed but before anything is sent; after the registrar committed the document but before it
 * answered (its power lost); after the answer but before the local mark — restarts, recovers, and
 * the registrar's archive holds exactly one document per receipt, with that receipt's total.
 * `LAVKA_CRASH_CYCLES` (default 50) lives per point.
 */
const CYCLES = Number(process.env.LAVKA_CRASH_CYCLES ?? 50);
const CHILD = join(import.meta.dirname, 'fiscal-crash-child.ts');

interface Life {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: { msg: string; [k: string]: unknown }[];
}

/** One life of the till; `killWhen` lets the test pull the plug itself (power loss at the registrar). */
function live(env: Record<string, string>, killWhen?: (line: { msg: string }) => Promise<boolean> | boolean): Promise<Life> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Life['lines'] = [];
    let err = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        if (!p.startsWith('{')) continue;
        const line = JSON.parse(p) as Life['lines'][number];
        lines.push(line);
        if (killWhen) void Promise.resolve(killWhen(line)).then((kill) => kill && child.kill('SIGKILL'));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`a till life took too long:\n${JSON.stringify(lines)}\n${err}`));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`the till failed (${code}):\n${JSON.stringify(lines)}\n${err}`));
      else resolve({ code, signal, lines });
    });
  });
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Point = 'fiscal.before-send' | 'registrar.power-loss' | 'fiscal.after-answer';

describe('fiscal crash test: kill -9 at every point, restart, exactly one document per receipt', () => {
  for (const point of ['fiscal.before-send', 'registrar.power-loss', 'fiscal.after-answer'] as Point[]) {
    it(`${point} × ${CYCLES}`, async () => {
      const atol = await AtolWebServerEmulator.start({ taskMs: 1 });
      const dir = mkdtempSync(join(tmpdir(), 'lavka-crash-'));
      dirs.push(dir);
      const env = { LAVKA_DATA_DIR: dir, LAVKA_ATOL_URL: atol.url };
      try {
        let killed = 0;
        for (let i = 0; i < CYCLES; i++) {
          if (point === 'registrar.power-loss') {
            atol.faults.powerLossAfterCommit = 'hang';
            const before = atol.model.archive.length;
            // The registrar commits the document and goes dark; the till is killed while it waits.
            const life = await live({ ...env }, async (line) => {
              if (line.msg !== 'sold') return false;
              await until(() => atol.model.archive.length > before);
              return true;
            });
            atol.powerOn();
            if (life.signal === 'SIGKILL') killed++;
          } else {
            const life = await live({ ...env, LAVKA_CRASH_AT: point });
            if (life.signal === 'SIGKILL') killed++;
          }
        }
        // Every life but (at most) ones whose recovery had nothing to send was killed at the point.
        expect(killed).toBeGreaterThanOrEqual(CYCLES - 1);
        const last = await live({ ...env, LAVKA_SELL: '0' });
        expect(last.lines.find((l) => l.msg === 'recovered')).toMatchObject({ open: [] });

        const db = new Database(join(dir, 'till.sqlite'), { readonly: true });
        const receipts = db.prepare(`SELECT id, total FROM receipts WHERE state = 'completed' AND kind = 'sale' ORDER BY completed_at`).all() as { id: string; total: number }[];
        const journal = db.prepare(`SELECT ref_id AS refId, state, document_number AS number FROM fiscal_journal WHERE op = 'receipt'`).all() as { refId: string; state: string; number: number }[];
        db.close();
        const sales = atol.model.archive.filter((d) => d.kind === 'sale');
        expect(receipts).toHaveLength(CYCLES);
        expect(sales).toHaveLength(CYCLES);
        const byRef = new Map(journal.map((j) => [j.refId, j]));
        const numbers = new Set<number>();
        for (const r of receipts) {
          const j = byRef.get(r.id);
          expect(j?.state).toBe('done');
          const doc = atol.model.archive.find((d) => d.number === j!.number);
          expect(doc).toMatchObject({ kind: 'sale', total: r.total });
          numbers.add(j!.number);
        }
        expect(numbers.size).toBe(CYCLES);
      } finally {
        await atol.stop();
      }
    }, 600_000);
  }
});
