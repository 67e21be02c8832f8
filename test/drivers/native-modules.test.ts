import { describe, expect, it } from 'vitest';
import { listHidScanners, loadNodeHid, type NodeHidModule } from '../../src-drivers/scanner/hid-transport.js';
import { listUsbPrinters, loadUsb, type UsbModule } from '../../src-drivers/transports/usb-printer.js';

/*
 * The real optional native packages (installed as optionalDependencies), on this machine: they
 * load through the transports' own loaders, and listing finds nothing attached without throwing.
 * On Linux node-hid needs Debian's libusb-1.0-0 (.ci/run installs it); usb carries its own libusb.
 */

// Compile time (tsc -b): the real packages fit the shapes the transports declare, so the fakes
// the other tests use cannot drift from them.
type Fits<Shape, Real extends Shape> = Real;
export type RealUsbFits = Fits<UsbModule, typeof import('usb')>;
export type RealNodeHidFits = Fits<NodeHidModule, typeof import('node-hid')>;

describe('the real native modules', () => {
  it('node-hid loads through loadNodeHid(), and listing HID POS scanners answers without an error', async () => {
    const hid = await loadNodeHid();
    expect(typeof hid.devicesAsync).toBe('function');
    expect(typeof hid.HIDAsync.open).toBe('function');
    const listed = await listHidScanners();
    expect(listed.error).toBeUndefined();
    expect(Array.isArray(listed.devices)).toBe(true);
  });

  it('usb (node-usb 2.x) loads through loadUsb(), and listing USB printers answers without an error', async () => {
    const usb = await loadUsb();
    expect(typeof usb.getDeviceList).toBe('function');
    expect(typeof usb.usb.on).toBe('function');
    const listed = await listUsbPrinters();
    expect(listed.error).toBeUndefined();
    expect(Array.isArray(listed.devices)).toBe(true);
    for (const d of listed.devices) expect(d.label).toMatch(/\([0-9a-f]{4}:[0-9a-f]{4}/);
  });
});
