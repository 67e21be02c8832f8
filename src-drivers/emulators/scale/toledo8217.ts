import { encodeToledoStatus, encodeToledoWeight, TOLEDO, TOLEDO_STATUS, withEvenParity } from '../../scale/toledo8217-codec.js';
import type { EmulatorCore } from '../serve.js';
import { concat, Pan, ScaleFaults, type PanOptions } from './pan.js';

export interface Toledo8217EmulatorOptions extends PanOptions {
  /** Send bytes as a 7E1 line looks to a port opened 8N1 (parity in bit 7). Default true. */
  parityBit?: boolean;
  /** Set bit 6 in the status byte (scales differ; the driver accepts both). Default true. */
  statusBit6?: boolean;
}

/**
 * A Mettler Toledo 8217 scale: `W` answers the weight or a status frame, `Z`/`T`/`C` zero, tare
 * and clear the tare with no answer (ignored while the load moves). A corrupted answer has bit 6
 * of its first character flipped ("0" becomes "p"): with no checksum, only a character that stops
 * being a digit can be detected.
 */
export class Toledo8217Emulator implements EmulatorCore {
  readonly pan: Pan;
  readonly faults = new ScaleFaults();
  /** Requests received, in order (`W`, `Z`, …). */
  readonly requests: string[] = [];

  constructor(private readonly opts: Toledo8217EmulatorOptions = {}) {
    this.pan = new Pan(opts);
  }

  feed(bytes: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    for (const raw of bytes) {
      const b = raw & 0x7f;
      if (b === TOLEDO.WEIGH) out.push(this.faults.shape(this.parity(this.weightAnswer()), (a) => flipBit(a, 1, 0x40)));
      else if (b === TOLEDO.ZERO) this.pan.zero();
      else if (b === TOLEDO.TARE) this.pan.tare();
      else if (b === TOLEDO.CLEAR) this.pan.clearTare();
      else continue;
      this.requests.push(String.fromCharCode(b));
    }
    return concat(out);
  }

  private weightAnswer(): Uint8Array {
    const r = this.pan.next();
    const bit6 = this.opts.statusBit6 === false ? 0 : 0x40;
    const net = r.net ? TOLEDO_STATUS.net : 0;
    if (r.overload) return encodeToledoStatus(bit6 | net | TOLEDO_STATUS.overCapacity | (r.stable ? 0 : TOLEDO_STATUS.motion));
    if (r.grams < 0) return encodeToledoStatus(bit6 | net | TOLEDO_STATUS.underZero | (r.stable ? 0 : TOLEDO_STATUS.motion));
    if (!r.stable) return encodeToledoStatus(bit6 | net | TOLEDO_STATUS.motion);
    return encodeToledoWeight(r.grams);
  }

  private parity(frame: Uint8Array): Uint8Array {
    return this.opts.parityBit === false ? frame : frame.map(withEvenParity);
  }
}

function flipBit(a: Uint8Array, at: number, mask: number): void {
  if (at < a.length) a[at] = (a[at] ?? 0) ^ mask;
}
