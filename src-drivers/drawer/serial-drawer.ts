import type { DeviceConnection } from '../common/connection.js';
import { DeviceError } from '../common/device.js';
import type { CashDrawer, DrawerStatus } from './drawer.js';
import { checkDrawerStatusFormat, decodeDrawerStatus, type DrawerStatusFormat } from './serial-drawer-codec.js';

/** BEL: what APG's SerialPRO interfaces open on at their factory settings (DIP switches choose others). */
export const BEL_OPEN_COMMAND = Uint8Array.of(0x07);

export interface DrawerStatusQuery extends Partial<Pick<DrawerStatusFormat, 'mask'>>, Omit<DrawerStatusFormat, 'mask'> {
  /** Bytes that ask for the state; the drawer answers with one byte. */
  command: Uint8Array;
}

export interface SerialCashDrawerOptions {
  /** Bytes that fire the solenoid; default BEL (0x07). Boxes that mimic a printer port take ESC p (`1B 70 00 19 FA`). */
  openCommand?: Uint8Array;
  /** How to ask for the state; absent: the drawer reports nothing (many do not) and status() is 'unknown'. Mask default 0xFF. */
  status?: DrawerStatusQuery;
  /** How long a status answer may take. Default 500 ms. */
  statusTimeoutMs?: number;
  /**
   * How long a command may take to leave the port. A few bytes that do not go out in this time
   * mean a dead line (a pty whose far end vanished never finishes draining): open() must not hang
   * the checkout on it. Default 2000 ms.
   */
  writeTimeoutMs?: number;
  /**
   * With `status`: how long after the trigger the drawer may take to report itself open before
   * open() fails. 0: do not check. Default 1500 ms.
   */
  confirmOpenMs?: number;
  /**
   * Least time between two triggers. Drawers powered from the port's DTR/RTS (APG 484A) store
   * the solenoid's energy and need seconds to recharge; a trigger sooner does nothing, so open()
   * waits instead. Default 0.
   */
  rechargeMs?: number;
}

const CONFIRM_POLL_MS = 100;

/**
 * A cash drawer on its own RS-232 line: a trigger byte (or string) opens it, and drawers with a
 * sensor answer a status request with one byte. One conversation at a time: a status answer
 * cannot be told from anything else on the line, so requests never overlap.
 */
export class SerialCashDrawer implements CashDrawer {
  private readonly openCommand: Uint8Array;
  private readonly format: DrawerStatusFormat | null;
  private queue: Promise<unknown> = Promise.resolve();
  private lastTrigger = -Infinity;

  constructor(
    private readonly conn: DeviceConnection,
    private readonly opts: SerialCashDrawerOptions = {},
  ) {
    this.openCommand = opts.openCommand ?? BEL_OPEN_COMMAND;
    if (this.openCommand.length === 0) throw new RangeError('the open command is empty');
    const s = opts.status;
    if (s && s.command.length === 0) throw new RangeError('the status command is empty');
    this.format = s ? { mask: s.mask ?? 0xff, openState: s.openState, ...(s.closedState !== undefined ? { closedState: s.closedState } : {}) } : null;
    if (this.format) checkDrawerStatusFormat(this.format);
  }

  open(): Promise<void> {
    return this.serialised(async () => {
      const wait = this.lastTrigger + (this.opts.rechargeMs ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      await this.send(this.openCommand);
      this.lastTrigger = Date.now();
      const confirmMs = this.opts.confirmOpenMs ?? 1_500;
      if (this.format && confirmMs > 0) await this.confirmOpen(confirmMs);
    });
  }

  status(): Promise<DrawerStatus> {
    return this.serialised(() => this.ask());
  }

  /** Read the state until it says open; a drawer that stays closed or silent did not (visibly) open. */
  private async confirmOpen(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    let last: DrawerStatus;
    for (;;) {
      last = await this.ask();
      if (last.state === 'open') return;
      if (Date.now() >= deadline) break;
      await sleep(CONFIRM_POLL_MS);
    }
    if (last.state === 'closed') {
      throw new DeviceError('timeout', 'the drawer was told to open but still reports closed: locked with its key, jammed, or not recharged yet');
    }
    throw new DeviceError('timeout', `the open command was sent, but the drawer cannot confirm it opened (${last.message ?? 'no answer'})`);
  }

  private async ask(): Promise<DrawerStatus> {
    const f = this.format;
    const query = this.opts.status;
    if (!f || !query) return { state: 'unknown', message: 'this drawer does not report its state' };
    if (this.conn.status !== 'connected') return { state: 'unknown', message: `not connected${this.conn.lastMessage ? `: ${this.conn.lastMessage}` : ''}` };
    const timeoutMs = this.opts.statusTimeoutMs ?? 500;
    let off = (): void => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Listening from before the request: a quick answer may arrive before the write is reported done.
    const answer = new Promise<number | null>((resolve) => {
      off = this.conn.onData((chunk) => {
        if (chunk.length > 0) resolve(chunk[0] ?? 0);
      });
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      await this.send(query.command);
      const byte = await answer;
      if (byte === null) return { state: 'unknown', message: `the drawer did not answer its status request within ${timeoutMs} ms` };
      return decodeDrawerStatus(byte, f);
    } catch (e) {
      return { state: 'unknown', message: e instanceof Error ? e.message : String(e) };
    } finally {
      off();
      clearTimeout(timer);
    }
  }

  private send(bytes: Uint8Array): Promise<void> {
    const ms = this.opts.writeTimeoutMs ?? 2_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('timeout', `the drawer's line did not take the command within ${ms} ms`)), ms);
      this.conn.write(bytes).then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private serialised<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
