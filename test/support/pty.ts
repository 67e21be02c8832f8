import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A pair of connected pseudo-terminals from socat, reachable at stable paths (symlinks), so a
 * "device" can be unplugged (kill) and plugged back (start again) at the same path. Real serial
 * ports to the drivers; no modem lines, parity or baud timing.
 */
export class PtyPair {
  private proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'lavka-pty-'));
  /** The till's end (the driver opens this). */
  readonly till = join(this.dir, 'till');
  /** The device's end (the emulator opens this). */
  readonly device = join(this.dir, 'device');

  static async start(): Promise<PtyPair> {
    const p = new PtyPair();
    await p.plug();
    return p;
  }

  /** Create the pair (again); resolves once both ends exist. */
  async plug(): Promise<void> {
    if (this.proc) return;
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.till}`, `pty,raw,echo=0,link=${this.device}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      let ptys = 0;
      const timer = setTimeout(() => reject(new Error(`socat did not start: ${seen}`)), 5_000);
      proc.stderr?.on('data', (d: Buffer) => {
        seen += d.toString();
        ptys = (seen.match(/PTY is /g) ?? []).length;
        if (ptys >= 2 && /starting data transfer loop/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited (${code}): ${seen}`));
      });
    });
  }

  /** Pull the cable: both ends vanish. */
  async unplug(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.unplug();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
