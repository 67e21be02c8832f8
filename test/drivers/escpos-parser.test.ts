import { describe, expect, it } from 'vitest';
import { EscPosEncoder } from '../../src-drivers/escpos/encoder.js';
import { PROFILES } from '../../src-drivers/escpos/profiles.js';
import { decodeCode128, EscPosParser, type DocNode, type ParseEvent } from '../../src-drivers/emulators/escpos/parser.js';

const t20 = PROFILES['epson-tm-t20'];
const b = (...xs: (number | string)[]): Uint8Array =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'string' ? [...Buffer.from(x, 'latin1')] : [x])));

function nodes(bytes: Uint8Array, profile = t20): DocNode[] {
  return new EscPosParser(profile)
    .push(bytes)
    .filter((e): e is Extract<ParseEvent, { kind: 'node' }> => e.kind === 'node')
    .map((e) => e.node);
}
const texts = (ns: DocNode[]): string[] => ns.flatMap((n) => (n.type === 'line' ? [n.text] : []));

describe('the command-length table', () => {
  it('never reads a parameter byte as a command or as text', () => {
    // ESC a LF, GS h DLE, ESC t ESC, ESC d 0x1D: parameters that look like commands.
    const ns = nodes(b(0x1b, 0x61, 0x0a, 0x1d, 0x68, 0x10, 0x1b, 0x74, 0x1b, 'A', 0x1b, 0x64, 0x01));
    expect(texts(ns)).toEqual(['A']);
    expect(ns.filter((n) => n.type === 'unknown')).toEqual([]);
  });

  it('skips an unknown ESC command by its two bytes and keeps going', () => {
    const ns = nodes(b(0x1b, 0x99, 'AB', 0x0a));
    expect(ns[0]).toEqual({ type: 'unknown', bytes: b(0x1b, 0x99), reason: 'unknown-command' });
    expect(texts(ns)).toEqual(['AB']);
  });

  it('a lone DLE costs one byte: the next one is read afresh', () => {
    expect(texts(nodes(b(0x10, 'A', 0x10, 0x1b, 0x45, 0x01, 'B', 0x0a)))).toEqual(['AB']);
  });

  it('skips known commands with variable length: ESC ( A beeper, GS ( L graphics, GS 8 L', () => {
    const ns = nodes(b(0x1b, 0x28, 0x41, 0x04, 0x00, 0x30, 0x0a, 0x0a, 0x0a, 'X', 0x1d, 0x28, 0x4c, 0x02, 0x00, 0x30, 0x0a, 0x1d, 0x38, 0x4c, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x0a, 'Y', 0x0a));
    expect(texts(ns)).toEqual(['XY']);
  });

  it('an absurd length field is consumed without being stored', () => {
    const p = new EscPosParser(t20);
    const ev = p.push(b(0x1d, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff, 'text that is image data'));
    expect(ev).toEqual([expect.objectContaining({ kind: 'node', node: expect.objectContaining({ type: 'unknown', reason: 'oversized' }) })]);
    expect(p.offset).toBe(31);
    expect(p.inCommand).toBe(true);
  });

  it('GS k function A ends at NUL', () => {
    const ns = nodes(b(0x1d, 0x6b, 0x02, '460000000001', 0x00, 'Z', 0x0a));
    expect(ns[0]).toMatchObject({ type: 'barcode', symbology: 'EAN13', data: '4600000000015', valid: true });
    expect(texts(ns)).toEqual(['Z']);
  });
});

describe('text and layout', () => {
  it('wraps at the paper width like the printer does (32 columns on 58 mm, 16 at double width)', () => {
    const clone = PROFILES['clone-58'];
    const ns = nodes(b('x'.repeat(40), 0x0a, 0x1d, 0x21, 0x10, 'y'.repeat(20), 0x0a), clone);
    expect(ns.filter((n) => n.type === 'line').map((n) => [n.text.length, n.wrapped])).toEqual([
      [32, true],
      [8, false],
      [16, true],
      [4, false],
    ]);
  });

  it('justification takes effect only at the start of a line', () => {
    const ns = nodes(b(0x1b, 0x61, 0x01, 'A', 0x1b, 0x61, 0x02, 'B', 0x0a, 'C', 0x0a));
    expect(ns.filter((n) => n.type === 'line').map((n) => [n.text, n.align])).toEqual([
      ['AB', 'center'],
      ['C', 'center'],
    ]);
  });

  it('ESC @ throws away a line not yet printed and resets the style', () => {
    const ns = nodes(b(0x1b, 0x45, 0x01, 'lost', 0x1b, 0x40, 'kept', 0x0a));
    expect(texts(ns)).toEqual(['kept']);
    const line = ns.find((n) => n.type === 'line');
    expect(line?.type === 'line' && line.runs[0]?.style.bold).toBe(false);
  });

  it('ESC ! sets font, bold, double height/width, underline at once; runs split on style changes', () => {
    const ns = nodes(b(0x1b, 0x21, 0xb9, 'A', 0x1b, 0x21, 0x00, 'B', 0x0a));
    const line = ns.find((n) => n.type === 'line');
    expect(line?.type === 'line' && line.runs).toEqual([
      { text: 'A', style: { font: 'B', bold: true, height: 2, width: 2, underline: 1, reverse: false }, codePage: 'cp437' },
      { text: 'B', style: { font: 'A', bold: false, height: 1, width: 1, underline: 0, reverse: false }, codePage: 'cp437' },
    ]);
  });

  it('ESC d n prints the line and feeds n-1 blank lines; ESC J feeds dots', () => {
    expect(texts(nodes(b('A', 0x1b, 0x64, 0x03, 0x1b, 0x64, 0x00, 'B', 0x1b, 0x4a, 0x10)))).toEqual(['A', '', '', 'B']);
  });

  it('a table the profile does not know prints its upper half as U+FFFD', () => {
    const ns = nodes(b(0x1b, 0x74, 0x63, 0x88, 'a', 0x0a));
    expect(ns[0]).toEqual({ type: 'codepage', n: 0x63, codePage: null });
    expect(texts(ns)).toEqual(['\ufffda']);
  });

  it('Star selects tables with ESC GS t', () => {
    const star = PROFILES['star-tsp100'];
    const bytes = new EscPosEncoder(star, { codePage: 'cp1251' }).init().line('Итого').encode();
    expect(texts(nodes(bytes, star))).toEqual(['Итого']);
  });

  it('a clone left in Chinese mode prints Cyrillic as wide garbage; FS . fixes it', () => {
    const clone = PROFILES['clone-58'];
    const withoutCancel = b(0x1b, 0x40, 0x1b, 0x74, 73, 0xc8, 0xf2, 0xee, 0xe3, 0xee, 0x0a);
    expect(texts(nodes(withoutCancel, clone))).toEqual(['\ufffd\ufffd\ufffd']);
    expect(texts(nodes(new EscPosEncoder(clone).init().line('Итого').encode(), clone))).toEqual(['Итого']);
  });
});

describe('symbols, images, cuts, drawer', () => {
  it('ESC * column images become bitmaps', () => {
    const ns = nodes(b(0x1b, 0x2a, 0x00, 0x02, 0x00, 0x80, 0x01));
    const img = ns.find((n) => n.type === 'image');
    expect(img?.type === 'image' && img.bitmap).toEqual({ width: 2, height: 8, data: Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 0x40) });
  });

  it('GS v 0 keeps the raster bits, and the justification it was printed with', () => {
    const ns = nodes(b(0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0xaa, 0x55));
    expect(ns).toEqual([{ type: 'image', command: 'GS v 0', align: 'left', bitmap: { width: 8, height: 2, data: Uint8Array.of(0xaa, 0x55) } }]);
    const right = nodes(b(0x1b, 0x61, 0x02, 0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x01, 0x00, 0xff));
    expect(right).toMatchObject([{ type: 'image', align: 'right' }]);
  });

  it('decodes CODE128 code sets back to the text', () => {
    expect(decodeCode128(b('{BRC1{C', 23, 45, '{Bx{{'))).toEqual({ text: 'RC12345x{', valid: true });
    expect(decodeCode128(b('RC1'))).toMatchObject({ valid: false });
    expect(decodeCode128(b('{C', 100))).toMatchObject({ valid: false });
  });

  it('a QR print with nothing stored prints nothing and says so', () => {
    const ns = nodes(b(0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30));
    expect(ns).toEqual([expect.objectContaining({ type: 'unknown', reason: 'invalid-parameter' })]);
  });

  it('drawer pulses: ESC p and the real-time DLE DC4 1', () => {
    expect(nodes(b(0x1b, 0x70, 0x31, 0x0a, 0x14, 0x10, 0x14, 0x01, 0x00, 0x02))).toEqual([
      { type: 'drawer', pin: 5, onMs: 20, offMs: 40, realtime: false },
      { type: 'drawer', pin: 2, onMs: 200, offMs: 200, realtime: true },
    ]);
  });

  it('legacy cuts and GS V variants', () => {
    expect(nodes(b(0x1d, 0x56, 0x00, 0x1d, 0x56, 0x31, 0x1b, 0x69, 0x1d, 0x56, 0x41, 0x05)).filter((n) => n.type === 'cut')).toEqual([
      { type: 'cut', partial: false, feed: 0 },
      { type: 'cut', partial: true, feed: 0 },
      { type: 'cut', partial: true, feed: 0 },
      { type: 'cut', partial: false, feed: 5 },
    ]);
  });
});

describe('control events', () => {
  it('reports status queries, recovery, GS r, GS ( H and GS a in stream order with offsets', () => {
    const ev = new EscPosParser(t20).push(
      b(0x10, 0x04, 0x01, 'A', 0x10, 0x05, 0x02, 0x1d, 0x72, 0x01, 0x1d, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30, '0042', 0x1d, 0x61, 0x0f),
    );
    expect(ev.map((e) => (e.kind === 'control' ? e.control : e.node))).toEqual([
      { type: 'status-query', n: 1, inData: false },
      { type: 'recover', n: 2 },
      { type: 'transmit-status', n: 1 },
      { type: 'process-id', id: b('0042') },
      { type: 'asb', mask: 0x0f },
    ]);
    expect(ev.map((e) => e.offset)).toEqual([3, 7, 10, 21, 24]);
  });

  it('finds 10 04 n inside image data on profiles that act on it, and only there', () => {
    const image = b(0x1d, 0x76, 0x30, 0x00, 0x03, 0x00, 0x01, 0x00);
    const clone = new EscPosParser(PROFILES['clone-80']);
    const star = new EscPosParser(PROFILES['star-tsp100']);
    const evs = [...clone.push(image), ...clone.push(b(0x10, 0x04)), ...clone.push(b(0x01))];
    expect(evs.filter((e) => e.kind === 'control')).toEqual([{ kind: 'control', control: { type: 'status-query', n: 1, inData: true }, offset: 11 }]);
    expect(evs.filter((e) => e.kind === 'node').map((e) => (e.kind === 'node' ? e.node.type : ''))).toEqual(['image']);
    expect([...star.push(image), ...star.push(b(0x10, 0x04, 0x01))].filter((e) => e.kind === 'control')).toEqual([]);
  });

  it('pushUntil stops right after the event the caller stops on', () => {
    const p = new EscPosParser(t20);
    const bytes = b('one', 0x0a, 'two', 0x0a, 'three', 0x0a);
    const first = p.pushUntil(bytes, (e) => e.kind === 'node' && e.node.type === 'line');
    expect(first.consumed).toBe(4);
    expect(first.events).toHaveLength(1);
    expect(texts(p.push(bytes.subarray(first.consumed)).flatMap((e) => (e.kind === 'node' ? [e.node] : [])))).toEqual(['two', 'three']);
  });
});
