import type { DeviceConnection } from '../common/connection.js';
import { DeviceError } from '../common/device.js';
import type { SerialOptions } from '../transports/serial.js';
import { FrameLink } from './link.js';
import { capReading, type Scale, type ScaleOptions, type ScaleReading, type StableWeight } from './scale.js';
import { settle } from './settle.js';
import { createToledoParser, decodeToledo, TOLEDO, type ToledoFrame } from './toledo8217-codec.js';

/** The link DEVICES.md gives for the 8217: 9600 7E1. */
export const TOLEDO_8217_SERIAL: Omit<SerialOptions, 'path'> = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };

export interface Toledo8217Options extends ScaleOptions {
  /** How long zero/tare may take to show on the scale. */
  commandTimeoutMs?: number;
}

/**
 * A Mettler Toledo 8217 scale. Zero, tare and clear get no answer from the scale, so zero and
 * tare are confirmed by reading: they succeed once the scale shows a stable 0 g (a scale refuses
 * them while the load moves, and that is reported, never ignored).
 */
export class Toledo8217Scale implements Scale {
  readonly protocol = 'toledo8217' as const;
  readonly capabilities = { tare: true, zero: true, clearTare: true };
  private readonly link: FrameLink<ToledoFrame>;

  constructor(
    conn: DeviceConnection,
    private readonly opts: Toledo8217Options = {},
  ) {
    this.link = new FrameLink(conn, createToledoParser(), { answerTimeoutMs: opts.answerTimeoutMs ?? 500, retries: opts.retries ?? 2 });
  }

  read(): Promise<ScaleReading> {
    return this.readUntil();
  }

  readStable(timeoutMs: number): Promise<StableWeight> {
    return settle((d) => this.readUntil(d), timeoutMs, { pollMs: this.opts.pollMs ?? 100, confirm: this.opts.confirmReadings ?? 2 });
  }

  zero(): Promise<void> {
    return this.command(TOLEDO.ZERO, 'zero', true);
  }

  tare(): Promise<void> {
    return this.command(TOLEDO.TARE, 'tare', true);
  }

  clearTare(): Promise<void> {
    return this.command(TOLEDO.CLEAR, 'clear the tare', false);
  }

  dispose(): void {
    this.link.dispose();
  }

  private readUntil(deadline?: number): Promise<ScaleReading> {
    return this.link.transact(
      (ask) => ask.request(Uint8Array.of(TOLEDO.WEIGH), (frame) => ({ value: capReading(decodeToledo(frame), this.opts.capacityGrams) })),
      deadline,
    );
  }

  private async command(byte: number, what: string, showsZero: boolean): Promise<void> {
    await this.link.transact((ask) => ask.write(Uint8Array.of(byte)));
    const deadline = Date.now() + (this.opts.commandTimeoutMs ?? 1_500);
    let last: ScaleReading = await this.readUntil();
    for (;;) {
      if (!showsZero || (last.kind === 'stable' && last.grams === 0)) return;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(this.opts.pollMs ?? 100, Math.max(0, deadline - Date.now()))));
      last = await this.readUntil();
    }
    const shows = last.kind === 'stable' ? `${last.grams} g` : last.kind === 'fault' ? last.detail : last.kind;
    const hint = last.kind === 'stable' ? ' (a scale ignores it while the load moves: try again once it settles)' : '';
    throw new DeviceError('busy', `the scale did not ${what}: it shows ${shows}${hint}`);
  }
}
