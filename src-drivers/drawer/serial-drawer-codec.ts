import type { DrawerStatus } from './drawer.js';

/**
 * How a serial drawer's one-byte status answer reads: (answer & mask) === openState means open.
 * Drawers differ (a DIP switch or jumper often picks the bit and its polarity), so it is data.
 */
export interface DrawerStatusFormat {
  /** The bits that carry the state (1-255). */
  mask: number;
  /** (answer & mask) when the drawer is open. */
  openState: number;
  /** (answer & mask) when it is closed; absent: anything but openState is closed. With it, any other answer is unreadable. */
  closedState?: number;
}

/** Throws RangeError for a format no answer could satisfy sensibly. */
export function checkDrawerStatusFormat(f: DrawerStatusFormat): void {
  const byte = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xff;
  if (!byte(f.mask) || f.mask === 0) throw new RangeError(`status mask must be 1-255, got ${f.mask}`);
  if (!byte(f.openState) || (f.openState & ~f.mask) !== 0) throw new RangeError(`open state 0x${hex(f.openState)} has bits outside the mask 0x${hex(f.mask)}`);
  if (f.closedState !== undefined) {
    if (!byte(f.closedState) || (f.closedState & ~f.mask) !== 0) throw new RangeError(`closed state 0x${hex(f.closedState)} has bits outside the mask 0x${hex(f.mask)}`);
    if (f.closedState === f.openState) throw new RangeError('open and closed states are the same');
  }
}

export function decodeDrawerStatus(answer: number, f: DrawerStatusFormat): DrawerStatus {
  const v = answer & f.mask;
  if (v === f.openState) return { state: 'open' };
  if (f.closedState === undefined || v === f.closedState) return { state: 'closed' };
  return { state: 'unknown', message: `the drawer's answer 0x${hex(answer & 0xff)} is neither its open nor its closed state` };
}

/** "1B 70 00 19 FA", "1b7000", "07": the form a settings screen keeps a command in. Throws RangeError otherwise. */
export function hexBytes(s: string): Uint8Array {
  const compact = s.replace(/[\s,:]+/g, '');
  if (compact.length === 0 || compact.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(compact)) throw new RangeError(`not hex bytes: "${s}"`);
  const out = new Uint8Array(compact.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(compact.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}
