import type { DeviceConnection } from '../common/connection.js';
import { DeviceError } from '../common/device.js';
import { FrameLink, type Pick } from './link.js';
import {
  createMassaKParser,
  decodeMassaKWeight,
  encodeMassaK,
  MASSAK_CMD,
  parseMassaKWeight,
  type MassaKCrc,
  type MassaKFrame,
} from './massak100-codec.js';
import { capReading, type Scale, type ScaleOptions, type ScaleReading, type StableWeight } from './scale.js';
import { settle } from './settle.js';

export interface MassaKOptions extends ScaleOptions {
  /**
   * The scale's Max. Required: the notes give protocol 100 no overload flag, so a weight above
   * Max is the only overload the driver can see.
   */
  capacityGrams: number;
  /** The CRC variant (see `MassaKCrc`); 'massak' by default. */
  crc?: MassaKCrc;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * A Massa-K scale on protocol 100, over a serial line or TCP. A CRC guards every frame, so one
 * stable reading is enough. Zero and tare are confirmed by the scale's answer: an error frame is
 * a refusal (`busy`), a NACK is a request it did not receive intact (sent again).
 */
export class MassaKScale implements Scale {
  readonly protocol = 'massak100' as const;
  readonly capabilities = { tare: true, zero: true, clearTare: false };
  private readonly link: FrameLink<MassaKFrame>;
  private readonly crc: MassaKCrc;

  constructor(
    conn: DeviceConnection,
    private readonly opts: MassaKOptions,
  ) {
    this.crc = opts.crc ?? 'massak';
    this.link = new FrameLink(conn, createMassaKParser(this.crc), { answerTimeoutMs: opts.answerTimeoutMs ?? 500, retries: opts.retries ?? 2 });
  }

  read(): Promise<ScaleReading> {
    return this.readUntil();
  }

  readStable(timeoutMs: number): Promise<StableWeight> {
    return settle((d) => this.readUntil(d), timeoutMs, { pollMs: this.opts.pollMs ?? 100, confirm: this.opts.confirmReadings ?? 1 });
  }

  zero(): Promise<void> {
    return this.command(MASSAK_CMD.SET_ZERO, 'zero');
  }

  tare(): Promise<void> {
    return this.command(MASSAK_CMD.SET_TARE, 'tare');
  }

  clearTare(): Promise<void> {
    return Promise.reject(new DeviceError('unsupported', 'protocol 100 has no clear-tare command in our notes: tare an empty pan instead'));
  }

  dispose(): void {
    this.link.dispose();
  }

  private readUntil(deadline?: number): Promise<ScaleReading> {
    const request = encodeMassaK(MASSAK_CMD.GET_MASSA, [], this.crc);
    return this.link.transact(
      (ask) =>
        ask.request(request, (f): Pick<ScaleReading> | undefined => {
          if (f.cmd === MASSAK_CMD.ACK_MASSA) {
            const w = parseMassaKWeight(f.data);
            return w ? { value: capReading(decodeMassaKWeight(w), this.opts.capacityGrams) } : { retry: 'a weight answer too short or with an unknown division' };
          }
          if (f.cmd === MASSAK_CMD.ERROR) return { value: { kind: 'fault', detail: `error code ${hex(f.data[0] ?? 0)}` } };
          if (f.cmd === MASSAK_CMD.NACK) return { retry: 'the scale did not take the request (NACK)' };
          return undefined;
        }),
      deadline,
    );
  }

  private command(cmd: number, what: string): Promise<void> {
    const request = encodeMassaK(cmd, [], this.crc);
    return this.link.transact((ask) =>
      ask.request(request, (f): Pick<void> | undefined => {
        if (f.cmd === MASSAK_CMD.ERROR) return { fail: new DeviceError('busy', `the scale refused to ${what} (error code ${hex(f.data[0] ?? 0)})`) };
        if (f.cmd === MASSAK_CMD.NACK) return { retry: 'the scale did not take the request (NACK)' };
        // A late weight answer is not the acknowledgement, nor our own request echoed by a
        // half-duplex adapter; any other intact frame is.
        if (f.cmd === MASSAK_CMD.ACK_MASSA || (f.cmd === cmd && f.data.length === 0)) return undefined;
        return { value: undefined };
      }),
    );
  }
}
