import type { DecodedScan, ScanEvent, Symbology } from './scanner.js';

/** `]` + symbology code character + modifier (ISO/IEC 15424). */
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

/** The symbology an AIM identifier names; `data` tells EAN-13 from UPC-A and UPC-E under `]E0`. */
export function symbologyFromAim(aim: string, data = ''): Symbology | undefined {
  const code = aim[1];
  const mod = aim[2] ?? '';
  switch (code) {
    case 'E':
      if (mod === '4') return 'ean8';
      if (mod === '0') return data.length === 12 ? 'upca' : data.length === 8 ? 'upce' : 'ean13';
      return 'ean13'; // 1-3: with an add-on
    case 'C':
      return mod === '1' ? 'gs1-128' : 'code128';
    case 'd':
      return mod === '2' ? 'gs1-datamatrix' : 'datamatrix';
    case 'Q':
      return mod === '3' || mod === '4' ? 'gs1-qr' : 'qr';
    case 'A':
      return 'code39';
    case 'G':
      return 'code93';
    case 'I':
      return 'itf';
    case 'F':
      return 'codabar';
    case 'e':
      return 'gs1-databar';
    case 'L':
      return 'pdf417';
    case 'z':
      return 'aztec';
    case undefined:
      return undefined;
    default:
      return 'other';
  }
}

const GS1_SYMBOLOGIES: ReadonlySet<Symbology> = new Set(['gs1-128', 'gs1-datamatrix', 'gs1-qr', 'gs1-databar']);

export function isGs1Symbology(s: Symbology | undefined): boolean {
  return s !== undefined && GS1_SYMBOLOGIES.has(s);
}

/** Split a leading AIM identifier off a scan (when `aim` is on) and name the symbology. */
export function withAim(text: string, aim: boolean): DecodedScan {
  const id = aim ? AIM_ID.exec(text)?.[0] : undefined;
  if (!id) return { code: text };
  const code = text.slice(id.length);
  const symbology = symbologyFromAim(id, code);
  return symbology ? { code, aim: id, symbology } : { code, aim: id };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Scanners send ASCII, UTF-8 for text QR codes; anything else (a cp1251 payment QR) is kept byte for byte. */
export function decodeScanBytes(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }
}

/**
 * The code to hand the checkout (`checkout.scan`): a GS1 symbol keeps its AIM identifier, because
 * the FNC1 that opened it is not in the data and the identifier is the only proof it is GS1.
 */
export function checkoutCode(scan: Pick<ScanEvent, 'code' | 'aim' | 'symbology'>): string {
  return scan.aim && isGs1Symbology(scan.symbology) ? scan.aim + scan.code : scan.code;
}
