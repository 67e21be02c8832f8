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

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;

/** CRC-32 (IEEE), for the one small entry this module writes. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Entry {
  name: string;
  /** The local record (header, name, extra, data, data descriptor) as it is in the file. */
  local: Uint8Array;
  /** The central directory record, its local offset to be rewritten. */
  central: Uint8Array;
}

const FIRST = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'];
const EMPTY_SST = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');

/**
 * The same workbook with the entries a streaming reader needs before any worksheet (the workbook,
 * its relations, the shared strings, the styles) moved to the front, and an empty shared-strings
 * part added when there is none. The streaming XLSX reader buffers worksheets that come before the
 * shared strings (as Excel writes them) in temporary files, which a damaged or abandoned read can
 * leave behind as an uncaught error; in this order it never does. Compressed data is copied as it
 * is; only offsets change. Call after readZipDirectory has vouched for the directory.
 */
export function reorderForStreaming(bytes: Uint8Array): Uint8Array {
  let eocd = -1;
  for (let i = bytes.length - EOCD_MIN; i >= Math.max(0, bytes.length - EOCD_MIN - 0xffff); i--) {
    if (u32(bytes, i) === EOCD && i + EOCD_MIN + u16(bytes, i + 20) === bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('no end of central directory');
  const count = u16(bytes, eocd + 10);
  const dirOffset = u32(bytes, eocd + 16);
  const utf8 = new TextDecoder('utf-8');
  const entries: Entry[] = [];
  let at = dirOffset;
  for (let k = 0; k < count; k++) {
    if (u32(bytes, at) !== CENTRAL) throw damaged('bad central directory entry');
    const flags = u16(bytes, at + 8);
    const compressed = u32(bytes, at + 20);
    const nameLen = u16(bytes, at + 28);
    const centralLen = 46 + nameLen + u16(bytes, at + 30) + u16(bytes, at + 32);
    const localAt = u32(bytes, at + 42);
    if (u32(bytes, localAt) !== LOCAL) throw damaged('bad local header');
    let end = localAt + 30 + u16(bytes, localAt + 26) + u16(bytes, localAt + 28) + compressed;
    if (flags & 0x8) end += u32(bytes, end) === DESCRIPTOR ? 16 : 12;
    if (end > dirOffset) throw damaged('an entry runs past the directory');
    entries.push({ name: utf8.decode(bytes.subarray(at + 46, at + 46 + nameLen)), local: bytes.subarray(localAt, end), central: bytes.slice(at, at + centralLen) });
    at += centralLen;
  }
  if (!entries.some((e) => e.name === 'xl/sharedStrings.xml')) entries.push(storedEntry('xl/sharedStrings.xml', EMPTY_SST));
  const rank = (n: string) => (FIRST.includes(n) ? FIRST.indexOf(n) : FIRST.length);
  const ordered = entries.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e.name) - rank(b.e.name) || a.i - b.i).map((x) => x.e);
  const localSize = ordered.reduce((n, e) => n + e.local.length, 0);
  const centralSize = ordered.reduce((n, e) => n + e.central.length, 0);
  const out = new Uint8Array(localSize + centralSize + EOCD_MIN);
  const view = new DataView(out.buffer);
  let w = 0;
  const offsets: number[] = [];
  for (const e of ordered) {
    offsets.push(w);
    out.set(e.local, w);
    w += e.local.length;
  }
  const centralAt = w;
  ordered.forEach((e, i) => {
    out.set(e.central, w);
    view.setUint32(w + 42, offsets[i] as number, true);
    w += e.central.length;
  });
  view.setUint32(w, EOCD, true);
  view.setUint16(w + 8, ordered.length, true);
  view.setUint16(w + 10, ordered.length, true);
  view.setUint32(w + 12, centralSize, true);
  view.setUint32(w + 16, centralAt, true);
  return out;
}

/** A stored (uncompressed) entry, local record and central record. */
function storedEntry(name: string, data: Uint8Array): Entry {
  const n = new TextEncoder().encode(name);
  const crc = crc32(data);
  const local = new Uint8Array(30 + n.length + data.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, LOCAL, true);
  lv.setUint16(4, 20, true);
  lv.setUint32(14, crc, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, data.length, true);
  lv.setUint16(26, n.length, true);
  local.set(n, 30);
  local.set(data, 30 + n.length);
  const central = new Uint8Array(46 + n.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, CENTRAL, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint32(16, crc, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, data.length, true);
  cv.setUint16(28, n.length, true);
  central.set(n, 46);
  return { name, local, central };
}
