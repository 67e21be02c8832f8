import { assertNever } from '../../src-common/money.js';
import type { DeviceConnection } from '../common/connection.js';
import { CasScale, type CasOptions } from './cas.js';
import { MassaKScale, type MassaKOptions } from './massak100.js';
import type { Scale } from './scale.js';
import { Toledo8217Scale, type Toledo8217Options } from './toledo8217.js';

export type ScaleConfig =
  | ({ protocol: 'toledo8217' } & Toledo8217Options)
  | ({ protocol: 'cas' } & CasOptions)
  | ({ protocol: 'massak100' } & MassaKOptions);

/** The driver for a configured scale (a device row's `driver` + `options`). */
export function createScale(conn: DeviceConnection, config: ScaleConfig): Scale {
  switch (config.protocol) {
    case 'toledo8217':
      return new Toledo8217Scale(conn, config);
    case 'cas':
      return new CasScale(conn, config);
    case 'massak100':
      return new MassaKScale(conn, config);
    default:
      return assertNever(config);
  }
}

export { ScaleWeightError, type NoWeight, type Scale, type ScaleCapabilities, type ScaleOptions, type ScaleProtocol, type ScaleReading, type StableWeight } from './scale.js';
export { CasScale, type CasOptions } from './cas.js';
export { MassaKScale, type MassaKOptions } from './massak100.js';
export { TOLEDO_8217_SERIAL, Toledo8217Scale, type Toledo8217Options } from './toledo8217.js';
