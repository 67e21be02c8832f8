import type { PortsView } from '../../src-common/rpc/schemas.js';
import { listHidScanners } from '../../src-drivers/scanner/hid-transport.js';
import { listSerialPorts } from '../../src-drivers/transports/serial.js';
import { listUsbPrinters } from '../../src-drivers/transports/usb-printer.js';

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/**
 * Serial ports, USB printers and HID POS scanners attached now, for the device panel's pickers.
 * Each kind is listed on its own: a missing native module or udev costs that kind only, with the
 * reason in `errors`.
 */
export async function findPorts(): Promise<Omit<PortsView, 'at' | 'scanning'>> {
  const [serial, usb, hid] = await Promise.all([listSerialPorts(), listUsbPrinters(), listHidScanners()]);
  const errors = [serial.error, usb.error, hid.error].filter((e): e is string => !!e);
  return {
    serial: serial.ports.map((p) => ({
      path: p.path,
      label: [p.path, p.manufacturer, p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : null].filter(Boolean).join(' · '),
    })),
    usb: usb.devices.map((d) => ({ vendorId: d.vendorId, productId: d.productId, serialNumber: d.serialNumber, label: d.label })),
    hid: hid.devices
      .filter((d): d is typeof d & { path: string } => typeof d.path === 'string')
      .map((d) => ({
        path: d.path,
        vendorId: d.vendorId,
        productId: d.productId,
        label: [d.manufacturer, d.product, `${hex4(d.vendorId)}:${hex4(d.productId)}`].filter(Boolean).join(' · '),
      })),
    errors,
  };
}
