import type { PrintDocument } from '../../src-common/print-document.js';
import { newId } from '../../src-common/ids.js';
import { formatMoney } from '../../src-common/money.js';
import type { LabelStock } from '../../src-common/price-tag.js';
import type { EpochMs, Minor } from '../../src-common/units.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import type { NewLabelJob } from '../db/repos/label-jobs.js';
import type { SettingsRepo } from '../db/repos/settings.js';
import { tagDate, tagSettingsOf } from '../domain/price-tags.js';

/**
 * The device panel's test page: the printer's own settings, a Cyrillic line (a wrong code page
 * shows at once), a barcode and a QR code (native or raster, as the profile says), and a cut.
 */
export function testPage(device: DeviceConfig, storeName: string, at: number): PrintDocument {
  const o = device.options;
  return {
    blocks: [
      { t: 'text', text: storeName, align: 'center', bold: true, size: 2 },
      { t: 'text', text: 'Lavka POS — тестовая страница / test page', align: 'center' },
      { t: 'rule' },
      { t: 'pair', left: 'Принтер / printer', right: device.name },
      { t: 'pair', left: 'Профиль / profile', right: String(o.profile ?? 'epson-tm-t20') },
      { t: 'pair', left: 'Кодовая страница', right: String(o.codePage ?? 'по профилю') },
      { t: 'pair', left: 'Время / time', right: new Date(at).toISOString().replace('T', ' ').slice(0, 19) },
      { t: 'text', text: 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя 0123456789 ₽ №' },
      { t: 'barcode', symbology: 'ean13', data: '4607001771234' },
      { t: 'qr', data: 'https://lavka.example/test' },
      { t: 'feed', lines: 2 },
      { t: 'cut' },
    ],
  };
}

/**
 * The device panel's test label: a price tag with a long Cyrillic name (a wrong code page or a
 * missing font shows at once), a price in the store's currency, a price per litre, the model and
 * the stock as the SKU line, and the same EAN-13 as the test page. It goes through the label queue
 * as any tag does.
 */
export function testLabel(device: DeviceConfig, settings: Pick<SettingsRepo, 'get'>, stock: LabelStock | null, at: number): NewLabelJob {
  const s = tagSettingsOf(settings);
  const size = stock ? `${stock.widthMm}x${stock.heightMm}` : '';
  return {
    id: newId(),
    kind: 'test',
    via: 'label',
    deviceId: device.id,
    tags: [
      {
        name: 'Тестовая этикетка Lavka POS: АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ',
        price: formatMoney(123_450 as Minor, s.currency),
        unitPrice: `${formatMoney(24_690 as Minor, s.currency)}/${s.language === 'en' ? 'l' : 'л'}`,
        barcode: { symbology: 'ean13', data: '4607001771234' },
        date: tagDate(at, s),
        sku: `${String(device.options.profile ?? device.driver)} ${size}`.trim(),
        copies: 1,
      },
    ],
    priceChangeIds: [],
    createdBy: null,
    at: at as EpochMs,
  };
}
