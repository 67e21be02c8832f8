import type { PrintDocument } from '../../src-common/print-document.js';
import type { DeviceConfig } from '../db/repos/devices.js';

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
