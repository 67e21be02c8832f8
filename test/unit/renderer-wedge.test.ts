import { describe, expect, it } from 'vitest';
import { charOfKey, WedgeDetector } from '../../src-renderer/app/wedge.js';

/** Key events as a keyboard would send them: `code` is the physical key, `key` what the layout makes of it. */
function keys(codes: { code: string; key: string; shiftKey?: boolean; ctrlKey?: boolean; repeat?: boolean }[], start: number, gapMs: number) {
  return codes.map((k, i) => ({ shiftKey: false, ...k, timeStamp: start + i * gapMs }));
}
const digit = (d: string) => ({ code: `Digit${d}`, key: d });
const enter = { code: 'Enter', key: 'Enter' };

function feedAll(det: WedgeDetector, events: ReturnType<typeof keys>): (string | null)[] {
  return events.map((e) => det.feed(e));
}

describe('keyboard-wedge scanner detection', () => {
  it('reads a fast burst ending in Enter as one scan', () => {
    const det = new WedgeDetector();
    const out = feedAll(det, keys([...'4600000000015'].map(digit).concat(enter), 1000, 4));
    expect(out.at(-1)).toBe('4600000000015');
    expect(out.slice(0, -1).every((x) => x === null)).toBe(true);
  });

  it('takes characters from the physical key, so a Russian layout cannot make a code Cyrillic', () => {
    const det = new WedgeDetector();
    // "AB12cd" typed with the Russian layout active: key gives Cyrillic, code gives the Latin key.
    const ev = keys(
      [
        { code: 'KeyA', key: 'Ф', shiftKey: true },
        { code: 'KeyB', key: 'И', shiftKey: true },
        digit('1'),
        digit('2'),
        { code: 'KeyC', key: 'с' },
        { code: 'KeyD', key: 'в' },
        enter,
      ],
      0,
      3,
    );
    expect(feedAll(det, ev).at(-1)).toBe('AB12cd');
  });

  it('does not take a person typing digits for a scan', () => {
    const det = new WedgeDetector();
    expect(feedAll(det, keys([...'4600000000015'].map(digit).concat(enter), 0, 120)).at(-1)).toBeNull();
  });

  it('needs the Enter suffix, and enough characters', () => {
    const det = new WedgeDetector();
    expect(feedAll(det, keys([...'4600000000015'].map(digit), 0, 3)).every((x) => x === null)).toBe(true);
    det.reset();
    expect(feedAll(det, keys([...'123'].map(digit).concat(enter), 0, 3)).at(-1)).toBeNull();
  });

  it('starts over after a pause, so typed digits before a scan do not join it', () => {
    const det = new WedgeDetector();
    const typed = keys([digit('9'), digit('9')], 0, 200);
    const scanned = keys([...'4600000000022'].map(digit).concat(enter), 1000, 3);
    expect(feedAll(det, [...typed, ...scanned]).at(-1)).toBe('4600000000022');
  });

  it('reads a burst from the numpad with its own Enter key', () => {
    const det = new WedgeDetector();
    const ev = keys([...'2200001012345'].map((d) => ({ code: `Numpad${d}`, key: d })).concat({ code: 'NumpadEnter', key: 'Enter' }), 0, 2);
    expect(feedAll(det, ev).at(-1)).toBe('2200001012345');
  });

  it('keeps a burst whole when a busy machine holds a key event back', () => {
    const code = [...'4600000000015'].map(digit).concat(enter);
    // Keys 4 and 9 arrive 80 ms late: uneven, but the burst as a whole is machine-fast.
    const uneven = keys(code, 0, 4).map((e, i) => ({ ...e, timeStamp: e.timeStamp + (i >= 4 ? 80 : 0) + (i >= 9 ? 80 : 0) }));
    expect(feedAll(new WedgeDetector(), uneven).at(-1)).toBe('4600000000015');
  });

  it('starts over after a pause of more than 200 ms, so only what follows can be a scan', () => {
    const code = [...'4600000000015'].map(digit).concat(enter);
    const paused = keys(code, 0, 4).map((e, i) => ({ ...e, timeStamp: e.timeStamp + (i >= 5 ? 250 : 0) }));
    expect(feedAll(new WedgeDetector(), paused).at(-1)).toBe('00000015');
    // ...and a tail shorter than a code is nothing.
    const late = keys(code, 0, 4).map((e, i) => ({ ...e, timeStamp: e.timeStamp + (i >= 9 ? 250 : 0) }));
    expect(feedAll(new WedgeDetector(), late).at(-1)).toBeNull();
  });

  it('does not take a quick typist with rolled-over keys for a scanner', () => {
    // Pairs of keys 15 ms apart, 90 ms between pairs: some gaps are scanner-like, the average is not.
    const typed = [...'46000000'].map(digit).concat(enter);
    let t = 0;
    const ev = typed.map((k, i) => ({ shiftKey: false, ...k, timeStamp: (t += i === 0 ? 0 : i % 2 ? 15 : 90) }));
    expect(feedAll(new WedgeDetector(), ev).at(-1)).toBeNull();
  });

  it('treats a chord (Ctrl+V) as a person at the keyboard', () => {
    const det = new WedgeDetector();
    const ev = keys([...[...'460000'].map(digit), { code: 'KeyV', key: 'v', ctrlKey: true }, ...[...'0000015'].map(digit), enter], 0, 3);
    // The chord breaks the burst; what follows it is a burst of its own.
    expect(feedAll(det, ev).at(-1)).toBe('0000015');
  });

  it('does not take a held-down key (auto-repeat, ~30 ms apart) for a scan', () => {
    const held = keys([digit('0'), ...Array.from({ length: 9 }, () => ({ ...digit('0'), repeat: true })), enter], 0, 30);
    expect(feedAll(new WedgeDetector(), held).at(-1)).toBeNull();
  });

  it('maps the numpad and punctuation and ignores non-character keys', () => {
    expect(charOfKey({ code: 'Numpad7', shiftKey: false })).toBe('7');
    expect(charOfKey({ code: 'Minus', shiftKey: false })).toBe('-');
    expect(charOfKey({ code: 'Digit1', shiftKey: true })).toBe('!');
    expect(charOfKey({ code: 'ArrowUp', shiftKey: false })).toBeNull();
  });
});
