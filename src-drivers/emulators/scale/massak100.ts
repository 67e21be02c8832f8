import {
  createMassaKParser,
  encodeMassaK,
  encodeMassaKWeight,
  MASSAK_CMD,
  MASSAK_DIVISION_TENTHS,
  type MassaKCrc,
  type MassaKFrame,
} from '../../scale/massak100-codec.js';
import type { StreamParser } from '../../scale/stream.js';
import type { EmulatorCore } from '../serve.js';
import { concat, Pan, ScaleFaults, type PanOptions } from './pan.js';

/**
 * Not in the notes, chosen here: the frame acknowledging zero/tare, and the error codes. The
 * driver takes any intact frame other than a weight, error or NACK as the acknowledgement.
 */
export const MASSAK_EMULATOR = { ACK_SET: 0x27, ERROR_UNKNOWN_COMMAND: 0x07, ERROR_REFUSED: 0x08 } as const;

export interface MassaKEmulatorOptions extends PanOptions {
  crc?: MassaKCrc;
  /** Division code of the weight answers (1 = 1 g by default). */
  divisionCode?: number;
}

/**
 * A Massa-K scale on protocol 100. A request with a bad CRC is answered NACK; zero and tare are
 * refused (error frame) while the load moves. Over capacity it sends the weight it measures (the
 * notes give no overload flag). A corrupted answer has bit 0 of its last CRC byte flipped.
 */
export class MassaKEmulator implements EmulatorCore {
  readonly pan: Pan;
  readonly faults = new ScaleFaults();
  readonly requests: number[] = [];
  private readonly parser: StreamParser<MassaKFrame>;
  private readonly crc: MassaKCrc;

  constructor(private readonly opts: MassaKEmulatorOptions = {}) {
    this.pan = new Pan(opts);
    this.crc = opts.crc ?? 'massak';
    this.parser = createMassaKParser(this.crc);
  }

  feed(bytes: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    for (const ev of this.parser.push(bytes)) {
      const answer = ev.kind === 'corrupt' ? encodeMassaK(MASSAK_CMD.NACK, [], this.crc) : this.answer(ev.frame.cmd);
      if (ev.kind === 'frame') this.requests.push(ev.frame.cmd);
      out.push(this.faults.shape(answer, (a) => (a[a.length - 1] = (a[a.length - 1] ?? 0) ^ 0x01)));
    }
    return concat(out);
  }

  private answer(cmd: number): Uint8Array {
    switch (cmd) {
      case MASSAK_CMD.GET_MASSA:
        return this.weight();
      case MASSAK_CMD.SET_ZERO:
        return this.pan.zero() ? this.ack(cmd) : this.error(MASSAK_EMULATOR.ERROR_REFUSED);
      case MASSAK_CMD.SET_TARE:
        return this.pan.tare() ? this.ack(cmd) : this.error(MASSAK_EMULATOR.ERROR_REFUSED);
      default:
        return this.error(MASSAK_EMULATOR.ERROR_UNKNOWN_COMMAND);
    }
  }

  private weight(): Uint8Array {
    const r = this.pan.next();
    const divisionCode = this.opts.divisionCode ?? 1;
    const tenths = MASSAK_DIVISION_TENTHS[divisionCode] ?? 10;
    const divisions = Math.round((r.grams * 10) / tenths);
    return encodeMassaKWeight({ divisions, divisionCode, stable: r.stable, net: r.net, zero: r.stable && divisions === 0 }, this.crc);
  }

  private ack(cmd: number): Uint8Array {
    return encodeMassaK(MASSAK_EMULATOR.ACK_SET, [cmd], this.crc);
  }

  private error(code: number): Uint8Array {
    return encodeMassaK(MASSAK_CMD.ERROR, [code], this.crc);
  }
}
