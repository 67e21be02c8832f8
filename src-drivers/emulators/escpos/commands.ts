/**
 * How long each ESC/POS command is, decided from its first bytes, so the emulator never reads a
 * parameter byte as a command. Lengths follow Epson's ESC/POS reference and DEVICES.md §1; the
 * variable ones are computed from their length fields (`GS ( k pL pH`, `GS v 0 xL xH yL yH`, …).
 */
export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;

export type Measure =
  /** Call again once the command has at least this many bytes. */
  | { t: 'need'; atLeast: number }
  /** The whole command is this long. Shorter than what was read: give the extra bytes back. */
  | { t: 'len'; len: number }
  /** Not a command this table knows: skip this many bytes (the prefix and, usually, its letter). */
  | { t: 'unknown'; len: number };

const need = (atLeast: number): Measure => ({ t: 'need', atLeast });
const len = (n: number): Measure => ({ t: 'len', len: n });
const unknown = (n: number): Measure => ({ t: 'unknown', len: n });

const at = (b: Uint8Array, i: number): number => b[i] ?? 0;
const u16 = (b: Uint8Array, i: number): number => at(b, i) + at(b, i + 1) * 256;
const u32 = (b: Uint8Array, i: number): number => u16(b, i) + u16(b, i + 2) * 65536;

/** Parameter bytes after `ESC x`. */
const ESC_PARAMS: ReadonlyMap<number, number> = new Map([
  [0x0c, 0], // ESC FF  print data in page mode
  [0x20, 1], // ESC SP  right-side character spacing
  [0x21, 1], // ESC !   print mode
  [0x24, 2], // ESC $   absolute position
  [0x25, 1], // ESC %   user-defined character set
  [0x2d, 1], // ESC -   underline
  [0x32, 0], // ESC 2   default line spacing
  [0x33, 1], // ESC 3   line spacing
  [0x3c, 0], // ESC <   return home
  [0x3d, 1], // ESC =   select peripheral
  [0x3f, 1], // ESC ?   cancel user-defined character
  [0x40, 0], // ESC @   initialise
  [0x45, 1], // ESC E   emphasised
  [0x47, 1], // ESC G   double-strike
  [0x4a, 1], // ESC J   print and feed n dots
  [0x4b, 1], // ESC K   print and reverse feed
  [0x4c, 0], // ESC L   page mode
  [0x4d, 1], // ESC M   font
  [0x52, 1], // ESC R   international character set
  [0x53, 0], // ESC S   standard mode
  [0x54, 1], // ESC T   page-mode direction
  [0x55, 1], // ESC U   unidirectional printing
  [0x56, 1], // ESC V   90° rotation
  [0x57, 8], // ESC W   page-mode area
  [0x5c, 2], // ESC \   relative position
  [0x61, 1], // ESC a   justification
  [0x63, 2], // ESC c 3/4/5 n  paper sensors, panel buttons
  [0x64, 1], // ESC d   print and feed n lines
  [0x65, 1], // ESC e   print and reverse feed n lines
  [0x69, 0], // ESC i   partial cut (legacy)
  [0x6d, 0], // ESC m   partial cut (legacy)
  [0x70, 3], // ESC p   drawer kick
  [0x72, 1], // ESC r   colour
  [0x74, 1], // ESC t   character code table
  [0x75, 1], // ESC u   transmit peripheral status
  [0x76, 0], // ESC v   transmit paper sensor status
  [0x7b, 1], // ESC {   upside-down
]);

/** Parameter bytes after `GS x` for the fixed-length ones. */
const GS_PARAMS: ReadonlyMap<number, number> = new Map([
  [0x21, 1], // GS !   character size
  [0x24, 2], // GS $   absolute vertical position (page mode)
  [0x2f, 1], // GS /   print downloaded bit image
  [0x3a, 0], // GS :   macro start/end
  [0x42, 1], // GS B   reverse
  [0x48, 1], // GS H   HRI position
  [0x49, 1], // GS I   transmit printer ID
  [0x4c, 2], // GS L   left margin
  [0x50, 2], // GS P   motion units
  [0x54, 1], // GS T   print position to line start
  [0x57, 2], // GS W   print area width
  [0x5c, 2], // GS \   relative vertical position
  [0x5e, 3], // GS ^   execute macro
  [0x61, 1], // GS a   Automatic Status Back
  [0x62, 1], // GS b   smoothing
  [0x63, 0], // GS c   print counter
  [0x66, 1], // GS f   HRI font
  [0x68, 1], // GS h   barcode height
  [0x72, 1], // GS r   transmit status
  [0x77, 1], // GS w   barcode module width
]);

/** Parameter bytes after `FS x` for the fixed-length ones. */
const FS_PARAMS: ReadonlyMap<number, number> = new Map([
  [0x21, 1], // FS !   Kanji print mode
  [0x26, 0], // FS &   Kanji mode on
  [0x2d, 1], // FS -   Kanji underline
  [0x2e, 0], // FS .   Kanji mode off
  [0x3f, 2], // FS ?   cancel user-defined Kanji
  [0x43, 1], // FS C   Kanji code system
  [0x53, 2], // FS S   Kanji spacing
  [0x57, 1], // FS W   Kanji quadruple size
  [0x70, 2], // FS p   print NV bit image
]);

/** Scan for the NUL that ends a command, from `from`, reading at most `max` data bytes. */
function nulTerminated(b: Uint8Array, n: number, from: number, max: number): Measure {
  for (let i = from; i < n; i++) if (at(b, i) === 0) return len(i + 1);
  if (n - from >= max) return len(from + max);
  return need(n + 1);
}

function measureDle(b: Uint8Array, n: number): Measure {
  const c = at(b, 1);
  if (c === 0x04 || c === 0x05) {
    if (n < 3) return need(3);
    const m = at(b, 2);
    if (c === 0x04 && (m === 7 || m === 8)) return n < 4 ? need(4) : len(4);
    return len(3);
  }
  if (c === 0x14) {
    if (n < 3) return need(3);
    switch (at(b, 2)) {
      case 1:
      case 2:
      case 3:
        return n < 5 ? need(5) : len(5);
      case 7:
        return n < 4 ? need(4) : len(4);
      case 8:
        return n < 10 ? need(10) : len(10);
      default:
        return unknown(3);
    }
  }
  // A lone DLE is not a command: skip it and read the next byte afresh.
  return unknown(1);
}

function measureEsc(b: Uint8Array, n: number): Measure {
  const c = at(b, 1);
  const fixed = ESC_PARAMS.get(c);
  if (fixed !== undefined) return n < 2 + fixed ? need(2 + fixed) : len(2 + fixed);
  switch (c) {
    case 0x28: // ESC ( fn pL pH …
      return n < 5 ? need(5) : len(5 + u16(b, 3));
    case 0x2a: {
      // ESC * m nL nH d…: 8-dot (m 0, 1) or 24-dot (m 32, 33) columns
      if (n < 3) return need(3);
      const m = at(b, 2);
      if (m !== 0 && m !== 1 && m !== 32 && m !== 33) return unknown(3);
      if (n < 5) return need(5);
      return len(5 + u16(b, 3) * (m >= 32 ? 3 : 1));
    }
    case 0x44: // ESC D n1 … nk NUL, k ≤ 32
      return nulTerminated(b, n, 2, 33);
    case 0x26: {
      // ESC & y c1 c2 [x d1…d(y·x)]…
      if (n < 5) return need(5);
      const y = at(b, 2);
      const c1 = at(b, 3);
      const c2 = at(b, 4);
      if (y < 1 || y > 3 || c1 < 0x20 || c2 > 0x7e || c1 > c2) return unknown(5);
      let pos = 5;
      for (let ch = c1; ch <= c2; ch++) {
        if (n <= pos) return need(pos + 1);
        pos += 1 + y * at(b, pos);
      }
      return len(pos);
    }
    case 0x1d: {
      // Star: ESC GS t n (code page), ESC GS a n (alignment)
      if (n < 3) return need(3);
      const d = at(b, 2);
      if (d === 0x74 || d === 0x61) return n < 4 ? need(4) : len(4);
      return unknown(3);
    }
    default:
      return unknown(2);
  }
}

function measureGs(b: Uint8Array, n: number): Measure {
  const c = at(b, 1);
  const fixed = GS_PARAMS.get(c);
  if (fixed !== undefined) return n < 2 + fixed ? need(2 + fixed) : len(2 + fixed);
  switch (c) {
    case 0x28: // GS ( fn pL pH …
      return n < 5 ? need(5) : len(5 + u16(b, 3));
    case 0x38: // GS 8 fn p1 p2 p3 p4 …
      return n < 7 ? need(7) : len(7 + u32(b, 3));
    case 0x56: {
      // GS V m [n]
      if (n < 3) return need(3);
      const m = at(b, 2);
      if (m === 0 || m === 1 || m === 48 || m === 49) return len(3);
      if (m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104) return n < 4 ? need(4) : len(4);
      return unknown(3);
    }
    case 0x76: {
      // GS v 0 m xL xH yL yH d…
      if (n < 3) return need(3);
      if (at(b, 2) !== 0x30) return unknown(2);
      return n < 8 ? need(8) : len(8 + u16(b, 4) * u16(b, 6));
    }
    case 0x51: {
      // GS Q 0 m xL xH yL yH d…: column format, x dots × ceil(y / 8) bytes
      if (n < 3) return need(3);
      if (at(b, 2) !== 0x30) return unknown(2);
      return n < 8 ? need(8) : len(8 + u16(b, 4) * Math.ceil(u16(b, 6) / 8));
    }
    case 0x2a: // GS * x y d…: x·y·8 bytes
      return n < 4 ? need(4) : len(4 + at(b, 2) * at(b, 3) * 8);
    case 0x6b: {
      // GS k m …: function A (m 0-6) ends with NUL, function B (m 65-79) has a length byte
      if (n < 3) return need(3);
      const m = at(b, 2);
      if (m <= 6) return nulTerminated(b, n, 3, 255);
      if (m >= 65 && m <= 79) return n < 4 ? need(4) : len(4 + at(b, 3));
      return unknown(3);
    }
    case 0x67: {
      // GS g 0 m nL nH / GS g 2 m nL nH: maintenance counters
      if (n < 3) return need(3);
      const d = at(b, 2);
      if (d === 0x30 || d === 0x32) return n < 6 ? need(6) : len(6);
      return unknown(3);
    }
    case 0x7a: {
      // GS z 0 t1 t2: online recovery wait time
      if (n < 3) return need(3);
      return at(b, 2) === 0x30 ? (n < 5 ? need(5) : len(5)) : unknown(3);
    }
    default:
      return unknown(2);
  }
}

function measureFs(b: Uint8Array, n: number): Measure {
  const c = at(b, 1);
  const fixed = FS_PARAMS.get(c);
  if (fixed !== undefined) return n < 2 + fixed ? need(2 + fixed) : len(2 + fixed);
  switch (c) {
    case 0x28: // FS ( fn pL pH …
      return n < 5 ? need(5) : len(5 + u16(b, 3));
    case 0x32: // FS 2 c1 c2 d1…d72: one 24×24 user Kanji
      return n < 76 ? need(76) : len(76);
    case 0x67: {
      // FS g 1 m a1-a4 nL nH d… (write NV user memory) / FS g 2 m a1-a4 nL nH (read)
      if (n < 3) return need(3);
      const d = at(b, 2);
      if (d !== 0x31 && d !== 0x32) return unknown(3);
      if (n < 10) return need(10);
      return len(d === 0x31 ? 10 + u16(b, 8) : 10);
    }
    case 0x71: {
      // FS q n [xL xH yL yH d…]×n: define NV bit images
      if (n < 3) return need(3);
      let pos = 3;
      for (let k = 0; k < at(b, 2); k++) {
        if (n < pos + 4) return need(pos + 4);
        pos += 4 + u16(b, pos) * u16(b, pos + 2) * 8;
      }
      return len(pos);
    }
    default:
      return unknown(2);
  }
}

/**
 * Measure the command in `b[0..n)`; `b[0]` is ESC, GS, FS or DLE. A result shorter than `n` only
 * ever gives back the last byte read (every such decision is taken on a `need(n + 1)`), so the
 * streaming parser can always step back within the chunk it is reading.
 */
export function measureCommand(b: Uint8Array, n: number): Measure {
  if (n < 2) return need(2);
  switch (at(b, 0)) {
    case DLE:
      return measureDle(b, n);
    case ESC:
      return measureEsc(b, n);
    case GS:
      return measureGs(b, n);
    case FS:
      return measureFs(b, n);
    default:
      return unknown(1);
  }
}

export function isCommandPrefix(byte: number): boolean {
  return byte === ESC || byte === GS || byte === FS || byte === DLE;
}
