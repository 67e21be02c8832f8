import { ImportFileError } from './errors.js';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const EOCD_MIN = 22;

export interface ZipDirectory {
  names: string[];
  /** Sum of the uncompressed sizes the directory declares. */
  unpackedBytes: number;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] as number) | ((b[at + 1] as number) << 8);
}
function u32(b: Uint8Array, at: number): number {
  return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16)) + (b[at + 3] as number) * 0x1000000;
}

function damaged(reason: string): ImportFileError {
  return new ImportFileError('file_damaged', 'the file is damaged (an incomplete or corrupt XLSX archive)', { reason });
}

/**
 * Read a zip's central directory before any decompression. The streaming XLSX reader trusts local
 * headers and would read half of a truncated file before failing; the directory sits at the end,
 * so a cut-off file is refused at once. The declared sizes also bound a zip bomb.
 */
export function readZipDirectory(bytes: Uint8Array, maxUnpackedBytes: number): ZipDirectory {
  const stop = Math.max(0, bytes.length - EOCD_MIN - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - EOCD_MIN; i >= stop; i--) {
    if (u32(bytes, i) === EOCD && i + EOCD_MIN + u16(bytes, i + 20) === bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('no end of central directory');
  const entries = u16(bytes, eocd + 10);
  const size = u32(bytes, eocd + 12);
  const offset = u32(bytes, eocd + 16);
  if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new ImportFileError('file_too_large', 'the workbook is too large (ZIP64)', { reason: 'zip64' });
  }
  if (offset + size > eocd) throw damaged('central directory out of bounds');
  const names: string[] = [];
  let unpacked = 0;
  let at = offset;
  const utf8 = new TextDecoder('utf-8');
  for (let k = 0; k < entries; k++) {
    if (at + 46 > eocd || u32(bytes, at) !== CENTRAL) throw damaged('bad central directory entry');
    const entrySize = u32(bytes, at + 24);
    const nameLen = u16(bytes, at + 28);
    const extraLen = u16(bytes, at + 30);
    const commentLen = u16(bytes, at + 32);
    const localOffset = u32(bytes, at + 42);
    if (at + 46 + nameLen > eocd || localOffset >= offset) throw damaged('bad central directory entry');
    names.push(utf8.decode(bytes.subarray(at + 46, at + 46 + nameLen)));
    unpacked += entrySize;
    if (entrySize === 0xffffffff || unpacked > maxUnpackedBytes) {
      throw new ImportFileError('file_too_large', 'the workbook unpacks to more than the limit', { limit: maxUnpackedBytes });
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  return { names, unpackedBytes: unpacked };
}
