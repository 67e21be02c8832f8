import { describe, expect, it } from 'vitest';
import { GS, gtinToEan13, parseGs1 } from '../../src-common/gs1.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { charOfKey, WedgeDetector, type KeyInput } from '../../src-renderer/app/wedge.js';

/**
 * A keyboard-wedge scanner "types" a Честный знак code on a till whose active layout is Russian:
 * `code` is the physical key the scanner presses (it assumes a US layout), `key` is what the
 * Russian layout makes of it. The detector reads `code`, so the Latin letters survive; what
 * happens to GS depends on how the scanner sends it.
 */
const RU_LETTERS: Record<string, string> = Object.fromEntries(
  [...'qwertyuiop[]asdfghjkl;\'zxcvbnm,.'].map((c, i) => [c, 'йцукенгшщзхъфывапролджэячсмитьбю'[i] ?? c]),
);
const PHYSICAL = [
  ...Array.from({ length: 10 }, (_, d) => `Digit${d}`),
  ...Array.from({ length: 26 }, (_, i) => `Key${String.fromCharCode(65 + i)}`),
  'Minus', 'Equal', 'Period', 'Comma', 'Slash', 'Semicolon', 'Quote', 'BracketLeft', 'BracketRight', 'Backslash',
];
const KEY_FOR = new Map<string, { code: string; shiftKey: boolean }>();
for (const code of PHYSICAL) {
  for (const shiftKey of [false, true]) {
    const ch = charOfKey({ code, shiftKey });
    if (ch !== null && !KEY_FOR.has(ch)) KEY_FOR.set(ch, { code, shiftKey });
  }
}

type GsMode = 'dropped' | 'ctrl+]';

function typeOnRussianLayout(text: string, gs: GsMode, start = 1_000, gapMs = 3): KeyInput[] {
  const events: Omit<KeyInput, 'timeStamp'>[] = [];
  for (const ch of text) {
    if (ch === GS) {
      // Many scanners type ASCII 29 as Ctrl+]; others are set to leave it out.
      if (gs === 'ctrl+]') events.push({ code: 'BracketRight', key: 'ъ', shiftKey: false, ctrlKey: true });
      continue;
    }
    const k = KEY_FOR.get(ch);
    if (!k) throw new Error(`no key types ${JSON.stringify(ch)}`);
    const ru = RU_LETTERS[ch.toLowerCase()];
    events.push({ ...k, key: ru ? (k.shiftKey ? ru.toUpperCase() : ru) : ch });
  }
  events.push({ code: 'Enter', key: 'Enter', shiftKey: false });
  return events.map((e, i) => ({ ...e, timeStamp: start + i * gapMs }));
}

function wedge(events: KeyInput[]): string | null {
  const det = new WedgeDetector();
  let out: string | null = null;
  for (const e of events) out = det.feed(e) ?? out;
  return out;
}

const milkGtin = `0${DEMO_BARCODES.milk}`;
const sig = 'MEUCIQDx3g7ZrVY1Jb+Nf0sKq8hU2fXyTz4LcAo9pWm=';
const marking = `01${milkGtin}21Qw3rTy/uI+oP5${GS}91EE06${GS}92${sig}`;

describe('a GS1 marking code through a keyboard wedge with the Russian layout active', () => {
  it('the layout turns the letters Cyrillic in `key`: read that way the code is lost, and the parser says why', () => {
    const typed = typeOnRussianLayout(marking, 'dropped')
      .slice(0, -1)
      .map((e) => e.key)
      .join('');
    expect(typed).toMatch(/[а-яА-Я]/);
    const r = parseGs1(typed);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/Russian layout/);
  });

  it('GS left out by the scanner: the detector yields the Latin code without separators, and the parser restores them', () => {
    const scanned = wedge(typeOnRussianLayout(marking, 'dropped'));
    expect(scanned).toBe(marking.split(GS).join(''));
    const r = parseGs1(scanned ?? '');
    if (!r.ok) throw new Error(r.error.message);
    expect(gtinToEan13(r.value.gtin ?? '')).toBe(DEMO_BARCODES.milk);
    expect(r.value.elementString).toBe(marking);
    expect(r.value.isMarkingCode).toBe(true);
    expect(r.value.warnings.map((w) => w.code)).toEqual(['separators_recovered']);
  });

  it('the same for a water code with a 93 crypto tail', () => {
    const water = `01${`0${DEMO_BARCODES.water}`}21aB3dE5gH7jK9m${GS}93Zx+/`;
    const r = parseGs1(wedge(typeOnRussianLayout(water, 'dropped')) ?? '');
    expect(r.ok && gtinToEan13(r.value.gtin ?? '')).toBe(DEMO_BARCODES.water);
    expect(r.ok && r.value.elementString).toBe(water);
  });

  it('a lost separator the lengths cannot settle is reported, with the GTIN still named', () => {
    const batch = `01${milkGtin}10LOT7${GS}17261231`;
    const r = parseGs1(wedge(typeOnRussianLayout(batch, 'dropped')) ?? '');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'ambiguous', gtin: milkGtin });
  });

  it('GS sent as Ctrl+]: the detector keeps it as the separator, so the marking code arrives whole', () => {
    const scanned = wedge(typeOnRussianLayout(marking, 'ctrl+]'));
    expect(scanned).toBe(marking);
    const r = parseGs1(scanned ?? '');
    expect(r.ok && r.value.gtin).toBe(milkGtin);
    expect(r.ok && r.value.isMarkingCode).toBe(true);
  });
});
