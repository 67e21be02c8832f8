import { describe, expect, it } from 'vitest';
import { layoutPriceTag, presetStock, type LabelDpi, type LabelPresetId, type PriceTag } from '../../src-common/price-tag.js';
import { createLabelEmulator, renderLabel, toPng } from '../../src-drivers/emulators/label/index.js';
import { encodeLabels } from '../../src-drivers/label/label-printer.js';
import { LABEL_PROFILES, type LabelProfileId } from '../../src-drivers/label/profiles.js';
import { haveZbar, zbarimg } from '../support/zbar.js';
import { milkTag } from './label-fixtures.js';



/** Lay out, encode for the profile, print on its emulator, draw the printed label, decode it. */
function printAndScan(profileId: LabelProfileId, preset: LabelPresetId, barcode: PriceTag['barcode']): string[] {
  const profile = LABEL_PROFILES[profileId];
  const tag = milkTag({ barcode, copies: 1 });
  const emulator = createLabelEmulator(profile);
  emulator.feed(encodeLabels([layoutPriceTag(tag, presetStock(preset, profile.dpi as LabelDpi))], profile));
  expect(emulator.labels).toHaveLength(1);
  return zbarimg(toPng(renderLabel(emulator.labels[0]!)));
}

describe('the emulated price tag as an image, read by zbar', () => {
  it('zbar is installed (.ci/run installs zbar-tools)', () => {
    expect(haveZbar).toBe(true);
  });

  it.each([
    ['zebra-gk420', '58x40'],
    ['zebra-gk420', '43x25'],
    ['zebra-zd421-300', '58x40'],
    ['tsc-te200', '58x40'],
    ['xprinter-xp365b', '43x25'],
  ] as const)('%s on %s: the EAN-13 decodes to exactly the product code', (profileId, preset) => {
    expect(printAndScan(profileId, preset, { symbology: 'ean13', data: '4601234567893' })).toEqual(['4601234567893']);
  });

  it.each([
    ['zpl-cp1251', '58x40', 'LAVKA-000123'],
    ['zebra-zd220', '43x25', 'A^B>C~D_E'],
    ['tsc-te200', '58x40', '00123456'],
    ['xprinter-xp365b-utf8', '43x25', 'SKU 42/7'],
  ] as const)('%s on %s: a CODE128 decodes to exactly "%s"', (profileId, preset, data) => {
    expect(printAndScan(profileId, preset, { symbology: 'code128', data })).toEqual([data]);
  });

  it('an EAN-8 decodes with the check digit the printer added', () => {
    expect(printAndScan('zebra-gk420', '43x25', { symbology: 'ean8', data: '4601234' })).toEqual(['46012340']);
  });
});
