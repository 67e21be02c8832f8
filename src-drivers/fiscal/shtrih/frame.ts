import { ResyncParser, type Probe } from '../../scale/stream.js';

/**
 * Shtrih-M link layer (DEVICES.md §5; checked against oleg-golovanov/pyshtrih protocol.py and the
 * frames in re-star-ru/shtrih-m-driver docs/out.txt):
 *   host ENQ → device NAK (ready for a command) | ACK (an answer is pending) | silence (no link);
 *   frame `02 LEN CMD[1-2] DATA LRC`, LEN counts CMD + DATA, LRC = XOR of LEN..last data byte;
 *   the receiver of a frame answers ACK, or NAK when the LRC is wrong (the sender sends it again).
 * Answers carry `CMD ERR DATA`. Two-byte commands start with FF (`FF 01` FN status).
 */
export const STX = 0x02;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;

/** LEN is one byte: the largest body (CMD + DATA). */
export const MAX_BODY = 255;

export function lrc(bytes: ArrayLike<number>, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] ?? 0;
  return x;
}

/** The command code as it goes on the wire: 0x10 → [10], 0xFF46 → [FF, 46]. */
export function commandBytes(cmd: number): number[] {
  return cmd > 0xff ? [cmd >> 8, cmd & 0xff] : [cmd];
}

/** A frame around `body` (command code(s) and data, or an answer's code, error and data). */
export function frame(body: ArrayLike<number>): Uint8Array {
  if (body.length === 0 || body.length > MAX_BODY) throw new RangeError(`a Shtrih frame body must be 1-${MAX_BODY} bytes, got ${body.length}`);
  const out = new Uint8Array(body.length + 3);
  out[0] = STX;
  out[1] = body.length;
  out.set(Array.from(body), 2);
  out[out.length - 1] = lrc(out, 1, out.length - 1);
  return out;
}

export function encodeCommand(cmd: number, data: ArrayLike<number>): Uint8Array {
  return frame([...commandBytes(cmd), ...Array.from(data)]);
}

export function encodeAnswer(cmd: number, error: number, data: ArrayLike<number> = []): Uint8Array {
  return frame([...commandBytes(cmd), error, ...Array.from(data)]);
}

export interface ShtrihRequest {
  cmd: number;
  data: Uint8Array;
}

export interface ShtrihAnswer {
  cmd: number;
  /** 0 = done; anything else is the registrar's refusal (see errors.ts). */
  error: number;
  data: Uint8Array;
}

/** Split a frame body into command and data; null when a two-byte code is cut short. */
export function parseRequest(body: Uint8Array): ShtrihRequest | null {
  const first = body[0];
  if (first === undefined) return null;
  if (first !== 0xff) return { cmd: first, data: body.slice(1) };
  const second = body[1];
  if (second === undefined) return null;
  return { cmd: 0xff00 | second, data: body.slice(2) };
}

/** An answer body: code, error byte, data; null when too short to hold an error byte. */
export function parseAnswer(body: Uint8Array): ShtrihAnswer | null {
  const req = parseRequest(body);
  if (!req) return null;
  const error = req.data[0];
  if (error === undefined) return null;
  return { cmd: req.cmd, error, data: req.data.slice(1) };
}

/** What arrives on a Shtrih line, in either direction. */
export type LinkEvent =
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'enq' }
  | { kind: 'frame'; body: Uint8Array }
  | { kind: 'corrupt'; reason: string };

/**
 * Decides at one position of the buffer. A frame whose LRC fails is consumed whole (LEN is
 * trusted): rescanning inside it would read its data bytes as ACK/NAK/ENQ, and the peer sends the
 * whole frame again after our NAK anyway. Bytes that are none of STX/ACK/NAK/ENQ are line noise.
 */
type Unit = Exclude<LinkEvent, { kind: 'corrupt' }>;
const unit = (u: Unit): { kind: 'frame'; frame: Unit } => ({ kind: 'frame', frame: u });

function probe(buf: Uint8Array, i: number): Probe<Unit> {
  const b = buf[i];
  if (b === ACK) return { take: 1, event: unit({ kind: 'ack' }) };
  if (b === NAK) return { take: 1, event: unit({ kind: 'nak' }) };
  if (b === ENQ) return { take: 1, event: unit({ kind: 'enq' }) };
  if (b !== STX) return 'skip';
  const len = buf[i + 1];
  if (len === undefined) return 'more';
  if (len === 0) return { take: 2, event: { kind: 'corrupt', reason: 'a frame of length 0' } };
  const total = len + 3;
  if (i + total > buf.length) return 'more';
  const got = buf[i + total - 1];
  if (lrc(buf, i + 1, i + total - 1) !== got) return { take: total, event: { kind: 'corrupt', reason: 'LRC mismatch' } };
  return { take: total, event: unit({ kind: 'frame', body: buf.slice(i + 2, i + total - 1) }) };
}

export interface ShtrihParser {
  /** Never throws; keeps at most one frame's worth of bytes between calls. */
  push(chunk: Uint8Array): LinkEvent[];
  reset(): void;
}

/** The stream assembler both ends use: split chunks, noise and bad LRC tolerated; never throws. */
export function createShtrihParser(): ShtrihParser {
  const inner = new ResyncParser(probe, MAX_BODY + 3);
  return {
    push: (chunk) => inner.push(chunk).map((ev) => (ev.kind === 'frame' ? ev.frame : ev)),
    reset: () => inner.reset(),
  };
}
