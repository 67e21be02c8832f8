import { CAS, encodeCasFrame, type CasBcc } from '../../scale/cas-codec.js';
import type { EmulatorCore } from '../serve.js';
import { concat, Pan, ScaleFaults, type PanOptions } from './pan.js';

export interface CasEmulatorOptions extends PanOptions {
  /** Must match the driver's setting. Default 'xor-from-sta'. */
  bcc?: CasBcc;
}

/**
 * A CAS scale on the ENQ/ACK, DC1 protocol: ENQ is answered ACK, and the next DC1 the weight
 * frame (a DC1 with no ENQ before it is ignored). A corrupted answer has bit 0 of its last weight
 * digit flipped: still a digit, so only the BCC can catch it.
 */
export class CasEmulator implements EmulatorCore {
  readonly pan: Pan;
  readonly faults = new ScaleFaults();
  readonly requests: string[] = [];
  private enquired = false;

  constructor(private readonly opts: CasEmulatorOptions = {}) {
    this.pan = new Pan(opts);
  }

  feed(bytes: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    for (const b of bytes) {
      if (b === CAS.ENQ) {
        this.requests.push('ENQ');
        this.enquired = true;
        if (!this.faults.silent) out.push(Uint8Array.of(CAS.ACK));
      } else if (b === CAS.DC1) {
        this.requests.push('DC1');
        if (!this.enquired) continue;
        this.enquired = false;
        out.push(this.faults.shape(this.frame(), (a) => (a[9] = (a[9] ?? 0) ^ 0x01)));
      }
    }
    return concat(out);
  }

  private frame(): Uint8Array {
    const r = this.pan.next();
    return encodeCasFrame(r.overload ? 'F' : r.stable ? 'S' : 'U', r.grams, this.opts.bcc ?? 'xor-from-sta');
  }
}
