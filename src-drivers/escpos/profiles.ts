import { DeviceError } from '../common/device.js';
import type { CodePageId } from './codepage.js';

/**
 * What differs between ESC/POS printer models, as data. Code-page numbers differ per model
 * (DEVICES.md §1): they come from here, never from the encoder.
 */
export interface PrinterProfile {
  readonly id: string;
  readonly name: string;
  readonly paperWidthMm: 58 | 80;
  /** Printable width in dots; Font A is 12 dots wide, Font B 9. */
  readonly widthDots: number;
  /** Font A characters per line at normal size. */
  readonly charsPerLine: number;
  /** `ESC t n` on ESC/POS printers; Star selects the table with `ESC GS t n`. */
  readonly codePageCommand: 'esc-t' | 'esc-gs-t';
  /** The `n` that selects each table. */
  readonly codePages: Readonly<Record<CodePageId, number>>;
  /** The table a job selects when the caller does not choose one. */
  readonly defaultCodePage: CodePageId;
  /** Boots (and returns after `ESC @`) in Chinese double-byte mode: needs `FS .` after every init. */
  readonly chineseModeAtBoot: boolean;
  /** `GS ( k` QR; without it the caller sends a raster image. */
  readonly nativeQr: boolean;
  /** `GS k` EAN-13/CODE128; without it the caller sends a raster image. */
  readonly nativeBarcodes: boolean;
  /** Has a blade. A printer without one still accepts `GS V` (it feeds to the tear bar). */
  readonly cutter: boolean;
  /**
   * How the driver learns "everything before this point has been printed": `GS ( H` process-ID
   * response (answered only when printing reaches it), or `GS r 1` (also answered in sequence, not
   * in real time). `DLE EOT` is answered on receipt and says nothing about progress.
   */
  readonly printedMarker: 'process-id' | 'transmit-status';
  /**
   * Acts on a `10 04 n` that happens to occur inside image or other parameter data (DEVICES.md §1),
   * so an unsolicited status byte can arrive mid-job.
   */
  readonly realtimeInData: boolean;
}

const EPSON_BASE = {
  codePageCommand: 'esc-t',
  codePages: { cp437: 0, cp866: 17, cp1251: 46 },
  defaultCodePage: 'cp866',
  chineseModeAtBoot: false,
  nativeQr: true,
  nativeBarcodes: true,
  cutter: true,
  printedMarker: 'process-id',
  // Epson's manual warns the same for bit-image data unless GS ( D turns real-time commands off.
  realtimeInData: true,
} as const;

const CLONE_BASE = {
  codePageCommand: 'esc-t',
  // CP866 is 17 on some firmware and 59 on other (DEVICES.md); 1251 is 73 on all seen, hence the default.
  codePages: { cp437: 0, cp866: 17, cp1251: 73 },
  defaultCodePage: 'cp1251',
  chineseModeAtBoot: true,
  // Firmware-dependent: older "POS-5890" boards print GS ( k as garbage. Set false for such a unit.
  nativeQr: true,
  nativeBarcodes: true,
  printedMarker: 'transmit-status',
  realtimeInData: true,
} as const;

const DEFINITIONS = {
  'epson-tm-t20': {
    ...EPSON_BASE,
    id: 'epson-tm-t20',
    name: 'Epson TM-T20II/III',
    paperWidthMm: 80,
    widthDots: 576,
    charsPerLine: 48,
  },
  'epson-tm-t88': {
    ...EPSON_BASE,
    id: 'epson-tm-t88',
    name: 'Epson TM-T88V/VI',
    paperWidthMm: 80,
    // 180 dpi head: 512 dots, 42 columns in Font A (the 203 dpi models give 576/48).
    widthDots: 512,
    charsPerLine: 42,
  },
  'clone-58': {
    ...CLONE_BASE,
    id: 'clone-58',
    name: 'POS-5890 class 58 mm (Zjiang, Netum, Xprinter)',
    paperWidthMm: 58,
    widthDots: 384,
    charsPerLine: 32,
    cutter: false,
  },
  'clone-80': {
    ...CLONE_BASE,
    id: 'clone-80',
    name: 'POS-80 class 80 mm (Zjiang, Netum, Xprinter)',
    paperWidthMm: 80,
    widthDots: 576,
    charsPerLine: 48,
    cutter: true,
  },
  'rongta-rp326': {
    id: 'rongta-rp326',
    name: 'Rongta RP326/RP332',
    paperWidthMm: 80,
    widthDots: 576,
    charsPerLine: 48,
    codePageCommand: 'esc-t',
    codePages: { cp437: 0, cp866: 7, cp1251: 6 },
    defaultCodePage: 'cp866',
    // Export firmware boots in single-byte mode; FS . costs two bytes and is ignored if not needed.
    chineseModeAtBoot: true,
    nativeQr: true,
    nativeBarcodes: true,
    cutter: true,
    printedMarker: 'transmit-status',
    realtimeInData: true,
  },
  'star-tsp100': {
    id: 'star-tsp100',
    name: 'Star TSP100 (ESC/POS emulation)',
    paperWidthMm: 80,
    widthDots: 576,
    charsPerLine: 48,
    // Star's table numbers with Star's command (DEVICES.md); PC437 is 1 there, 0 being "Normal". Unverified.
    codePageCommand: 'esc-gs-t',
    codePages: { cp437: 1, cp866: 10, cp1251: 34 },
    defaultCodePage: 'cp866',
    chineseModeAtBoot: false,
    // Unverified in emulation mode: send QR and barcodes as raster images.
    nativeQr: false,
    nativeBarcodes: false,
    cutter: true,
    printedMarker: 'transmit-status',
    realtimeInData: false,
  },
} as const satisfies Record<string, PrinterProfile>;

export type PrinterProfileId = keyof typeof DEFINITIONS;

export const PROFILES: Readonly<Record<PrinterProfileId, PrinterProfile>> = DEFINITIONS;

export const PROFILE_IDS = Object.keys(PROFILES) as PrinterProfileId[];

export function isProfileId(id: string): id is PrinterProfileId {
  return Object.hasOwn(PROFILES, id);
}

/** The profile a device setting names; an unknown id is a configuration error, not a crash. */
export function getProfile(id: string): PrinterProfile {
  if (!isProfileId(id)) throw new DeviceError('unsupported', `unknown printer profile "${id}"`);
  return PROFILES[id];
}

/** The code page `n` selects on this printer, or null when the profile does not know that number. */
export function codePageForNumber(profile: PrinterProfile, n: number): CodePageId | null {
  for (const [id, num] of Object.entries(profile.codePages) as [CodePageId, number][]) if (num === n) return id;
  return null;
}
