/**
 * What else the machine was doing while we measured. Tail latencies on a shared 2-core machine
 * are as much the neighbours' as ours, so every run records how busy the rest of the machine was
 * and how fast the disk committed a bare transaction right next to the till's own commits.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src-main/db/open.js';

/** Busy and total CPU jiffies of the whole machine (Linux /proc/stat), or null elsewhere. */
function machineJiffies(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] as string;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, total: busy + idle! + iowait! };
  } catch {
    return null;
  }
}

export function load1(): number {
  return loadavg()[0] as number;
}

/**
 * CPU the rest of the machine used between start() and stop(), in % of one core (2 cores = 200):
 * all busy time on the machine minus this process's own. Only meaningful for groups that run in
 * this process; processes we spawn (browser mode, Chromium) count as "other".
 */
export function watchHost(): { stop(): number | null } {
  const m0 = machineJiffies();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop: () => {
      const m1 = machineJiffies();
      if (!m0 || !m1 || m1.total === m0.total) return null;
      const wallMs = performance.now() - t0;
      const machinePct = ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length * 100;
      const c = process.cpuUsage(c0);
      const ownPct = ((c.user + c.system) / 1000 / wallMs) * 100;
      return Math.max(0, machinePct - ownPct);
    },
  };
}

/**
 * The disk's floor for a commit, measured in the same run: a bare transaction of 5 small inserts
 * on a scratch database in the same directory, opened with the store's own pragmas (WAL,
 * synchronous=FULL), so it pays the same fsync the till's commits pay. Call run() between the
 * till's own timed commits so both see the same disk and the same neighbours.
 */
export class CommitProbe {
  private readonly db: Db;
  private readonly tx: () => void;
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'commit-probe.sqlite');
    rmSync(this.path, { force: true });
    this.db = openDatabase(this.path);
    this.db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, receipt TEXT NOT NULL, product INTEGER NOT NULL, qty INTEGER NOT NULL, amount INTEGER NOT NULL)');
    // Grow the WAL file past the checkpoint threshold once, untimed: SQLite then reuses it from
    // the start after every checkpoint, so the timed commits overwrite in place like a till's
    // long-running WAL does (appending to a growing file makes every fsync journal a new size,
    // which would make the floor look higher and add disk work next to the till's commits).
    const pages = (this.db.pragma('wal_autocheckpoint', { simple: true }) as number) + 64;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    this.db.pragma('synchronous = OFF');
    this.db.exec(`CREATE TABLE pad (b BLOB); INSERT INTO pad VALUES (zeroblob(${pages * pageSize})); DROP TABLE pad;`);
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_checkpoint(PASSIVE)');
    const insert = this.db.prepare('INSERT INTO probe (receipt, product, qty, amount) VALUES (?, ?, ?, ?)');
    let n = 0;
    this.tx = this.db.transaction(() => {
      n++;
      for (let i = 0; i < 5; i++) insert.run(`r-${n}`, 1000 + i, 1000, 12_345);
    });
  }

  /** One timed commit, in ms. */
  run(): number {
    const t0 = performance.now();
    this.tx();
    return performance.now() - t0;
  }

  close(): void {
    this.db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(this.path + suffix, { force: true });
  }
}
