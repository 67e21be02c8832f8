import type { DeviceConnection } from '../common/connection.js';
import { DeviceError } from '../common/device.js';
import { CAS, createCasParser, decodeCas, type CasBcc, type CasFrame } from './cas-codec.js';
import { FrameLink } from './link.js';
import { capReading, type Scale, type ScaleOptions, type ScaleReading, type StableWeight } from './scale.js';
import { settle } from './settle.js';

export interface CasOptions extends ScaleOptions {
  /** Which bytes the BCC covers (unverified in DEVICES.md); 'none' reads frames without checking it. */
  bcc?: CasBcc;
}

/**
 * A CAS scale (PD-II, AP/ER) polled with ENQ/ACK then DC1. The notes give this protocol no tare or
 * zero command: those are done on the scale's keys, and the driver says so.
 */
export class CasScale implements Scale {
  readonly protocol = 'cas' as const;
  readonly capabilities = { tare: false, zero: false, clearTare: false };
  private readonly link: FrameLink<CasFrame>;
  private readonly bcc: CasBcc;

  constructor(
    conn: DeviceConnection,
    private readonly opts: CasOptions = {},
  ) {
    this.bcc = opts.bcc ?? 'xor-from-sta';
    this.link = new FrameLink(conn, createCasParser(this.bcc), { answerTimeoutMs: opts.answerTimeoutMs ?? 500, retries: opts.retries ?? 2 });
  }

  read(): Promise<ScaleReading> {
    return this.readUntil();
  }

  readStable(timeoutMs: number): Promise<StableWeight> {
    const confirm = this.opts.confirmReadings ?? (this.bcc === 'none' ? 2 : 1);
    return settle((d) => this.readUntil(d), timeoutMs, { pollMs: this.opts.pollMs ?? 100, confirm });
  }

  tare(): Promise<void> {
    return Promise.reject(unsupported('tare'));
  }

  zero(): Promise<void> {
    return Promise.reject(unsupported('zero'));
  }

  clearTare(): Promise<void> {
    return Promise.reject(unsupported('clear the tare'));
  }

  dispose(): void {
    this.link.dispose();
  }

  private readUntil(deadline?: number): Promise<ScaleReading> {
    return this.link.transact(async (ask) => {
      await ask.request(Uint8Array.of(CAS.ENQ), (f) => (f.kind === 'ack' ? { value: true } : undefined));
      return ask.request(Uint8Array.of(CAS.DC1), (f) => (f.kind === 'weight' ? { value: capReading(decodeCas(f), this.opts.capacityGrams) } : undefined));
    }, deadline);
  }
}

function unsupported(what: string): DeviceError {
  return new DeviceError('unsupported', `the CAS protocol cannot ${what} from the till: use the key on the scale`);
}
