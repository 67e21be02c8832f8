import type { LabelDpi } from '../../src-common/price-tag.js';
import { DeviceError } from '../common/device.js';

/**
 * What differs between label printer models, as data (DEVICES.md §2). How Cyrillic reaches the
 * paper is firmware-dependent on every model here, so it is a profile setting, never a constant in
 * an encoder.
 *
 * Verified against vendor documents (ZPL II Programming Guide): `^CI28` is UTF-8 (firmware
 * V60.14/V50.14 and later) and `^CI33` is code page 1251 (x.16 and later); `^FH` takes `_` plus two
 * hex digits; `^BE` takes 12 digits and draws the check digit; `^BC` starts in subset B unless told
 * (`>:` B, `>;` C) and `><` `>0` `>=` stand for `^` `>` `~`; `~HS` answers three STX…ETX CR LF lines.
 * From the TSPL/TSPL2 manual as recalled, not checked against a document here: `CODEPAGE 1251` and
 * `CODEPAGE UTF-8`, the bitmap font cell sizes, `\["]` for a quote inside a string, TTF sizes in points.
 */
export type LabelCharset = 'utf8' | 'cp1251';

/** Zebra: the resident scalable font 0 (`^A0N`), or a font file on the printer (`^A@N,…,E:NAME.TTF`). */
export type ZplFont = { kind: 'resident'; name: '0' } | { kind: 'file'; path: string };

/** TSPL: the resident bitmap fonts "1"-"5" (code-page dependent), or a scalable font ("0" or a .TTF name). */
export type TsplFont = { kind: 'bitmap' } | { kind: 'scalable'; name: string };

interface ProfileBase {
  readonly id: string;
  readonly name: string;
  readonly dpi: LabelDpi;
  readonly charset: LabelCharset;
}

export interface ZplProfile extends ProfileBase {
  readonly language: 'zpl';
  readonly font: ZplFont;
  /** Send every byte above 0x7F as a `^FH` escape, so the job is 7-bit ASCII (old serial links, print servers). */
  readonly hexEscapeNonAscii: boolean;
}

export interface TsplProfile extends ProfileBase {
  readonly language: 'tspl';
  readonly font: TsplFont;
  /** 'escape': a `"` in text goes as `\["]` (TSC firmware); 'replace': it prints as `''` (clones of unknown firmware). */
  readonly quotes: 'escape' | 'replace';
}

export type LabelProfile = ZplProfile | TsplProfile;

const DEFINITIONS = {
  'zebra-gk420': {
    id: 'zebra-gk420',
    name: 'Zebra GK420d/GK420t (ZPL, 203 dpi)',
    language: 'zpl',
    dpi: 203,
    charset: 'utf8',
    // Cyrillic glyphs in resident font 0 on GK firmware: unverified. Where they are missing, point
    // `font` at a Unicode TTF stored on the printer instead.
    font: { kind: 'resident', name: '0' },
    hexEscapeNonAscii: false,
  },
  'zebra-zd220': {
    id: 'zebra-zd220',
    name: 'Zebra ZD220/ZD230 (ZPL, 203 dpi)',
    language: 'zpl',
    dpi: 203,
    charset: 'utf8',
    // Link-OS firmware; Cyrillic in font 0: unverified on this model.
    font: { kind: 'resident', name: '0' },
    hexEscapeNonAscii: false,
  },
  'zebra-zd421-300': {
    id: 'zebra-zd421-300',
    name: 'Zebra ZD421 300 dpi (ZPL)',
    language: 'zpl',
    dpi: 300,
    charset: 'utf8',
    // Unverified: resident font 0 with Cyrillic on this model.
    font: { kind: 'resident', name: '0' },
    hexEscapeNonAscii: false,
  },
  'zpl-cp1251': {
    id: 'zpl-cp1251',
    name: 'ZPL printer, code page 1251 (^CI33, x.16 firmware or later), 7-bit job',
    language: 'zpl',
    dpi: 203,
    charset: 'cp1251',
    font: { kind: 'resident', name: '0' },
    hexEscapeNonAscii: true,
  },
  'tsc-te200': {
    id: 'tsc-te200',
    name: 'TSC TE200/TE210 (TSPL, 203 dpi, CP1251)',
    language: 'tspl',
    dpi: 203,
    charset: 'cp1251',
    // CODEPAGE 1251 with the bitmap fonts: from the TSPL manual, unverified on a TE200.
    font: { kind: 'bitmap' },
    quotes: 'escape',
  },
  'xprinter-xp365b': {
    id: 'xprinter-xp365b',
    name: 'Xprinter XP-365B (TSPL, 203 dpi, CP1251)',
    language: 'tspl',
    dpi: 203,
    charset: 'cp1251',
    // Clone firmware: CODEPAGE 1251 support and the \["] escape are both unverified, so quotes are replaced.
    font: { kind: 'bitmap' },
    quotes: 'replace',
  },
  'xprinter-xp365b-utf8': {
    id: 'xprinter-xp365b-utf8',
    name: 'Xprinter XP-365B (TSPL, 203 dpi, UTF-8 with scalable font 0)',
    language: 'tspl',
    dpi: 203,
    charset: 'utf8',
    // Unverified: CODEPAGE UTF-8 and Cyrillic glyphs in scalable font "0" on this firmware.
    font: { kind: 'scalable', name: '0' },
    quotes: 'replace',
  },
} as const satisfies Record<string, LabelProfile>;

export type LabelProfileId = keyof typeof DEFINITIONS;

export const LABEL_PROFILES: Readonly<Record<LabelProfileId, LabelProfile>> = DEFINITIONS;

export const LABEL_PROFILE_IDS = Object.keys(LABEL_PROFILES) as LabelProfileId[];

export function isLabelProfileId(id: string): id is LabelProfileId {
  return Object.hasOwn(LABEL_PROFILES, id);
}

/** The profile a device setting names; an unknown id is a configuration error, not a crash. */
export function getLabelProfile(id: string): LabelProfile {
  if (!isLabelProfileId(id)) throw new DeviceError('unsupported', `unknown label printer profile "${id}"`);
  return LABEL_PROFILES[id];
}
