import type { EmulatorCore } from '../serve.js';

export interface SerialDrawerEmulatorOptions {
  /** Default BEL (0x07), as APG SerialPRO interfaces at their factory settings. */
  openCommand?: Uint8Array;
  /** The status request it answers; null: a drawer without a sensor (answers nothing). Default null. */
  statusCommand?: Uint8Array | null;
  /** The byte it answers while open / closed. Defaults 0x01 / 0x00. */
  openAnswer?: number;
  closedAnswer?: number;
}

/**
 * - stuckClosed: triggers arrive but the drawer stays shut (locked with its key, jammed, no charge);
 * - noAnswer: it acts on triggers but never answers a status request;
 * - disconnected: its cable is cut at the drawer's end: the port is there, nothing happens.
 */
export type SerialDrawerFault = 'stuckClosed' | 'noAnswer' | 'disconnected';

/**
 * A cash drawer with a serial interface: it watches the byte stream for its trigger sequence and
 * its status request (either may span chunk boundaries) and ignores everything else, as the
 * interface boards do.
 */
export class SerialDrawerEmulator implements EmulatorCore {
  /** Trigger sequences received (whether or not the drawer could open). */
  triggers = 0;
  /** Times it actually opened. */
  opens = 0;
  /** Status requests answered. */
  statusAnswers = 0;
  private open_ = false;
  private readonly faults: Record<SerialDrawerFault, boolean> = { stuckClosed: false, noAnswer: false, disconnected: false };
  private readonly openCommand: Uint8Array;
  private readonly statusCommand: Uint8Array | null;
  private recent: number[] = [];
  private readonly keep: number;

  constructor(private readonly opts: SerialDrawerEmulatorOptions = {}) {
    this.openCommand = opts.openCommand ?? Uint8Array.of(0x07);
    this.statusCommand = opts.statusCommand ?? null;
    this.keep = Math.max(this.openCommand.length, this.statusCommand?.length ?? 0);
  }

  get isOpen(): boolean {
    return this.open_;
  }

  fault(f: SerialDrawerFault): boolean {
    return this.faults[f];
  }

  setFault(f: SerialDrawerFault, on: boolean): void {
    this.faults[f] = on;
  }

  /** The cashier pushes the drawer shut. */
  close(): void {
    this.open_ = false;
  }

  feed(bytes: Uint8Array): Uint8Array {
    if (this.faults.disconnected) return new Uint8Array(0);
    const out: number[] = [];
    for (const b of bytes) {
      this.recent.push(b);
      if (this.recent.length > this.keep) this.recent.shift();
      // The longer sequence first, so a status request that ends like the trigger is not taken for one.
      const [first, second] = (this.statusCommand?.length ?? 0) > this.openCommand.length ? (['status', 'open'] as const) : (['open', 'status'] as const);
      const hit = this.matches(first) ? first : this.matches(second) ? second : null;
      if (hit === null) continue;
      this.recent = [];
      if (hit === 'open') this.trigger();
      else if (!this.faults.noAnswer) {
        out.push(this.open_ ? (this.opts.openAnswer ?? 0x01) : (this.opts.closedAnswer ?? 0x00));
        this.statusAnswers++;
      }
    }
    return Uint8Array.from(out);
  }

  private trigger(): void {
    this.triggers++;
    if (this.faults.stuckClosed) return;
    this.open_ = true;
    this.opens++;
  }

  private matches(which: 'open' | 'status'): boolean {
    const cmd = which === 'open' ? this.openCommand : this.statusCommand;
    if (!cmd || cmd.length === 0 || this.recent.length < cmd.length) return false;
    const from = this.recent.length - cmd.length;
    return cmd.every((b, i) => this.recent[from + i] === b);
  }
}
