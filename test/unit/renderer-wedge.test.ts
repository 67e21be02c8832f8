import { describe, expect, it } from 'vitest';
import { charOfKey, WedgeDetector } from '../../src-renderer/app/wedge.js';

/** Key events as a keyboard would send them: `code` is the physical key, `key` what the layout makes of it. */
function keys(codes: { code: string; key: string; shiftKey?: boolean }[], start: number, gapMs: number) {
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

  it('maps the numpad and punctuation and ignores non-character keys', () => {
    expect(charOfKey({ code: 'Numpad7', shiftKey: false })).toBe('7');
    expect(charOfKey({ code: 'Minus', shiftKey: false })).toBe('-');
    expect(charOfKey({ code: 'Digit1', shiftKey: true })).toBe('!');
    expect(charOfKey({ code: 'ArrowUp', shiftKey: false })).toBeNull();
  });
});
