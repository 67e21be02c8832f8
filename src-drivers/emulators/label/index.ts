import type { LabelProfile } from '../../label/profiles.js';
import type { LabelPrinterEmulator } from './model.js';
import { TsplPrinterEmulator, type TsplEmulatorOptions } from './tspl.js';
import { ZplPrinterEmulator, type ZplEmulatorOptions } from './zpl.js';

export type { EmulatedBarcode, EmulatedLabel, EmulatedText, LabelEmulatorFault, LabelPrinterEmulator } from './model.js';
export { TsplPrinterEmulator, type TsplEmulatorOptions } from './tspl.js';
export { ZplPrinterEmulator, type ZplEmulatorOptions } from './zpl.js';
export { renderLabel, toPng } from './render.js';

/**
 * An emulated printer matching a profile (its language and resolution, firmware that has the
 * profile's code page), for the demo till and tests. Serve it like any emulator:
 * `serveTcp(createLabelEmulator(profile), 9100)` or `serveSerial(…, '/dev/pts/N')`.
 */
export function createLabelEmulator(
  profile: LabelProfile,
  opts: ZplEmulatorOptions & TsplEmulatorOptions = {},
): LabelPrinterEmulator & { feed(bytes: Uint8Array): Uint8Array; drain(): Uint8Array } {
  if (profile.language === 'zpl') return new ZplPrinterEmulator({ dpi: profile.dpi, ...opts });
  return new TsplPrinterEmulator({ dpi: profile.dpi, quoteEscape: profile.quotes === 'escape', ...opts });
}
