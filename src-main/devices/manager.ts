import type { Clock } from '../../src-common/clock.js';
import type { EpochMs } from '../../src-common/units.js';
import type { EventMap, EventTopic } from '../../src-common/rpc/contract.js';
import type { PortsView } from '../../src-common/rpc/schemas.js';
import type { DeviceConnection } from '../../src-drivers/common/connection.js';
import type { PrinterSensors } from '../../src-drivers/common/printer.js';
import type { CustomerDisplay } from '../../src-drivers/display/cd5220.js';
import type { Scanner } from '../../src-drivers/scanner/scanner.js';
import type { Repos } from '../app/context.js';
import type { Db } from '../db/open.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import type { Logger } from '../rpc/dispatcher.js';
import type { FiscalRegistrar } from '../../src-drivers/fiscal/registrar.js';
import { drawerFor, displayFor, labelPrinterFor, labelSetup, printerFor, registrarFor, scaleFor, scannerFor, type DeviceState, type Started } from './drivers.js';
import { LABEL_FAULT_TEXT, type LabelFault, type LabelPrinter } from '../../src-drivers/common/label-printer.js';
import type { LabelStock } from '../../src-common/price-tag.js';
import type { LabelQueue } from './label-queue.js';
import { findPorts } from './ports.js';
import type { DocumentPrinter, PrintQueue } from './print-queue.js';
import { ScaleService, type WeightSnapshot } from './scale-service.js';

/** A device the manager is running: its driver, and how to stop it. */
type Running =
  | { config: DeviceConfig; kind: 'printer' | 'drawer'; printer: DocumentPrinter; conn: DeviceConnection | null }
  | { config: DeviceConfig; kind: 'scale'; scale: ScaleService; conn: DeviceConnection }
  | { config: DeviceConfig; kind: 'display'; display: CustomerDisplay; conn: DeviceConnection }
  | { config: DeviceConfig; kind: 'scanner'; scanner: Scanner; conn: DeviceConnection; off: () => void }
  | { config: DeviceConfig; kind: 'fiscal'; registrar: FiscalRegistrar; conn: DeviceConnection | null }
  | { config: DeviceConfig; kind: 'label'; printer: LabelPrinter; stock: LabelStock; conn: DeviceConnection | null };

export interface DeviceManagerDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  log: Logger;
  printQueue: PrintQueue;
  /** Price tags: label printers are attached to it as they start. */
  labelQueue: LabelQueue;
  publish<T extends EventTopic>(topic: T, payload: EventMap[T]): void;
  /** Tests: the driver for a configured printer (fakes that fail on cue). */
  printerFor?: (device: DeviceConfig) => DocumentPrinter | null;
  /** Tests: the driver for a configured fiscal registrar. */
  registrarFor?: (device: DeviceConfig) => FiscalRegistrar | null;
  /** A device came (back) on line: work waiting for it may go (the fiscal journal). */
  onConnected?: (device: DeviceConfig) => void;
  /** The customer display changed (a pole display appeared or went). */
  onDisplay?: (display: CustomerDisplay | null) => void;
  /** How ports are found (tests pass a fixed list). */
  findPorts?: () => Promise<Omit<PortsView, 'at' | 'scanning'>>;
}

/** How old the port list may be before a panel asking for it triggers a fresh scan. */
const PORTS_STALE_MS = 3_000;
/** How often an idle printer is asked for its drawer switch and paper sensor. */
const SENSOR_POLL_MS = 3_000;

/**
 * The till's devices as data, running: one driver per enabled device, restarted when the device
 * panel changes its configuration, with every state change published (`device.status`) and the
 * last fault remembered. The rest of the till asks it for the receipt printer, the drawer, the
 * scale and the customer display; none of those calls ever waits on a device.
 */
export class DeviceManager {
  private readonly running = new Map<string, Running>();
  private readonly states = new Map<string, DeviceState>();
  private readonly faults = new Map<string, { message: string; at: number }>();
  private readonly sensors = new Map<string, PrinterSensors>();
  /** What stops each label printer, as it last answered (absent: it can print, or it was not asked yet). */
  private readonly labelFaults = new Map<string, LabelFault>();
  private ports: PortsView = { at: null, scanning: false, serial: [], usb: [], hid: [], errors: [] };
  private sensorTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Whether an enabled registrar is configured: asked on every sale in fiscal mode, so remembered until the devices change. */
  private fiscalConfigured: boolean | null = null;

  constructor(private readonly deps: DeviceManagerDeps) {}

  /** Start every enabled device. */
  start(): void {
    for (const d of this.deps.repos.devices.all()) if (d.enabled) this.launch(d);
    this.afterChange();
    this.sensorTimer = setTimeout(() => void this.pollSensors(), SENSOR_POLL_MS);
  }

  /** Apply the stored configuration of one device (after the command that changed it committed). */
  async reload(deviceId: string): Promise<void> {
    this.fiscalConfigured = null;
    await this.halt(deviceId);
    if (this.stopped) return;
    const config = this.deps.repos.devices.byId(deviceId);
    this.states.delete(deviceId);
    if (config?.enabled) this.launch(config);
    this.afterChange();
    this.deps.publish('devices.changed', { ports: false });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sensorTimer) clearTimeout(this.sensorTimer);
    await Promise.all([...this.running.keys()].map((id) => this.halt(id)));
  }

  state(deviceId: string): DeviceState | null {
    return this.states.get(deviceId) ?? null;
  }

  lastError(deviceId: string): { message: string; at: number } | null {
    return this.faults.get(deviceId) ?? null;
  }

  /** What a printer last said about its drawer switch and paper (null: it does not say, or not yet). */
  sensorsOf(deviceId: string): PrinterSensors | null {
    return this.sensors.get(deviceId) ?? null;
  }

  /**
   * Ask each idle, connected printer that can say for its drawer switch and paper-low sensor; a
   * change is announced (`devices.changed`). A printer that is printing is left alone: it reports
   * before and after its job anyway.
   */
  async pollSensors(): Promise<void> {
    let changed = false;
    for (const r of [...this.running.values()]) {
      if (r.kind === 'label' && !this.stopped) {
        await this.pollLabelPrinter(r);
        continue;
      }
      if (this.stopped || (r.kind !== 'printer' && r.kind !== 'drawer') || !r.printer.readSensors) continue;
      if (this.states.get(r.config.id)?.status !== 'connected' || this.deps.printQueue.isBusy(r.config.id)) continue;
      try {
        const now = await r.printer.readSensors();
        const before = this.sensors.get(r.config.id);
        if (before?.drawerOpen !== now.drawerOpen || before?.paperNearEnd !== now.paperNearEnd) changed = true;
        this.sensors.set(r.config.id, now);
      } catch {
        // No answer: the connection reports the fault; the last known sensors stay.
      }
    }
    if (changed && !this.stopped) this.deps.publish('devices.changed', { ports: false });
    if (!this.stopped) this.sensorTimer = setTimeout(() => void this.pollSensors(), SENSOR_POLL_MS);
  }

  /**
   * Ask an idle, connected label printer whether it can print: a fault (head open, out of labels)
   * shows on its status, and once it clears, jobs waiting for it go at once.
   */
  private async pollLabelPrinter(r: Extract<Running, { kind: 'label' }>): Promise<void> {
    const id = r.config.id;
    if (this.states.get(id)?.status !== 'connected' && !this.labelFaults.has(id)) return;
    if (this.deps.labelQueue.isBusy(id)) return;
    const now = await r.printer.status();
    if (this.stopped || this.running.get(id) !== r) return;
    // Not connected: the connection reports that itself.
    const fault = now.fault === 'offline' ? null : now.fault;
    if (fault !== (this.labelFaults.get(id) ?? null)) {
      if (fault) this.labelFaults.set(id, fault);
      else this.labelFaults.delete(id);
      if (now.connection === 'connected') this.onState(r.config, fault ? { status: 'error', message: LABEL_FAULT_TEXT[fault] } : { status: 'connected' }, true);
    }
    if (!fault && now.connection === 'connected' && this.deps.labelQueue.hasWork(id)) this.deps.labelQueue.kick(id);
  }

  /** The label stock loaded in a running label printer (null: it is not one, or it does not run). */
  labelStockOf(deviceId: string): LabelStock | null {
    const r = this.running.get(deviceId);
    return r?.kind === 'label' ? r.stock : null;
  }

  /** The label printer price tags go to (the first enabled one that runs), with the stock loaded in it. */
  labelPrinter(): { config: DeviceConfig; stock: LabelStock } | null {
    const r = this.first('label');
    return r?.kind === 'label' ? { config: r.config, stock: r.stock } : null;
  }

  /** The printer receipts, reports and reprints go to: the first enabled one. */
  receiptPrinter(): DeviceConfig | null {
    return this.first('printer')?.config ?? null;
  }

  /**
   * Where a drawer kick goes: a drawer on its own line first, else a printer with the drawer on its
   * kick-out port (option `drawer`, default on). The pin matters only for the printer.
   */
  drawer(): { device: DeviceConfig; pin: 2 | 5 } | null {
    const own = this.first('drawer');
    if (own) return { device: own.config, pin: 2 };
    for (const r of this.running.values()) {
      if (r.kind === 'printer' && r.config.options.drawer !== false) return { device: r.config, pin: r.config.options.drawerPin === 5 ? 5 : 2 };
    }
    return null;
  }

  scale(): ScaleService | null {
    const r = this.first('scale');
    return r?.kind === 'scale' ? r.scale : null;
  }

  /** The fiscal registrar (the first enabled one), or null. */
  registrar(): FiscalRegistrar | null {
    const r = this.first('fiscal');
    return r?.kind === 'fiscal' ? r.registrar : null;
  }

  /** A fiscal registrar is configured and enabled (whether or not it answers now). */
  registrarConfigured(): boolean {
    this.fiscalConfigured ??= this.deps.repos.devices.all().some((d) => d.kind === 'fiscal' && d.enabled);
    return this.fiscalConfigured;
  }

  display(): CustomerDisplay | null {
    const r = this.first('display');
    return r?.kind === 'display' ? r.display : null;
  }

  /** A running scale by its device id (the panel's weight test reads the scale it is on). */
  scaleOf(deviceId: string): ScaleService | null {
    const r = this.running.get(deviceId);
    return r?.kind === 'scale' ? r.scale : null;
  }

  displayOf(deviceId: string): CustomerDisplay | null {
    const r = this.running.get(deviceId);
    return r?.kind === 'display' ? r.display : null;
  }

  /** The port list as last found; a fresh scan starts in the background when it is stale. */
  portList(): PortsView {
    const p = this.ports;
    if (!p.scanning && (p.at === null || this.deps.clock.now() - p.at > PORTS_STALE_MS)) void this.scanPorts();
    return this.ports;
  }

  async scanPorts(): Promise<PortsView> {
    if (this.ports.scanning) return this.ports;
    this.ports = { ...this.ports, scanning: true };
    try {
      const found = await (this.deps.findPorts ?? findPorts)();
      this.ports = { ...found, at: this.deps.clock.now(), scanning: false };
    } catch (e) {
      this.ports = { ...this.ports, at: this.deps.clock.now(), scanning: false, errors: [e instanceof Error ? e.message : String(e)] };
    }
    if (!this.stopped) this.deps.publish('devices.changed', { ports: true });
    return this.ports;
  }

  private first(kind: Running['kind']): Running | null {
    // Devices are listed in a stable order (kind, name, id): "the first" is the same on every start.
    for (const d of this.deps.repos.devices.all()) {
      const r = this.running.get(d.id);
      if (r?.kind === kind) return r;
    }
    return null;
  }

  private onState(device: DeviceConfig, s: DeviceState, labelFault = false): void {
    if (this.stopped) return;
    // The link changed under a label printer: what it said about its head and labels is old news.
    if (!labelFault) this.labelFaults.delete(device.id);
    this.states.set(device.id, s);
    if ((s.status === 'disconnected' || s.status === 'error') && s.message && s.message !== 'stopped') {
      this.faults.set(device.id, { message: s.message, at: this.deps.clock.now() });
    }
    this.deps.log.info('device status', { device: device.id, ...s });
    this.deps.publish('device.status', { deviceId: device.id, ...s });
    if (s.status === 'connected') this.deps.onConnected?.(device);
  }

  private launch(device: DeviceConfig): void {
    const { log } = this.deps;
    const onState = (s: DeviceState) => this.onState(device, s);
    switch (device.kind) {
      case 'printer': {
        if (this.deps.printerFor) {
          const printer = this.deps.printerFor(device);
          if (printer) this.running.set(device.id, { config: device, kind: 'printer', printer, conn: null });
          break;
        }
        const s = printerFor(device, log, onState);
        if (s) this.running.set(device.id, { config: device, kind: 'printer', printer: s.driver, conn: s.conn });
        break;
      }
      case 'drawer': {
        const s = drawerFor(device, log, onState);
        if (s) this.running.set(device.id, { config: device, kind: 'drawer', printer: s.driver, conn: s.conn });
        break;
      }
      case 'scale': {
        const s = scaleFor(device, log, onState);
        if (s) this.running.set(device.id, { config: device, kind: 'scale', scale: this.scaleService(s), conn: s.conn });
        break;
      }
      case 'display': {
        const s = displayFor(device, log, onState);
        if (s) this.running.set(device.id, { config: device, kind: 'display', display: s.driver, conn: s.conn });
        break;
      }
      case 'scanner': {
        const s = scannerFor(device, log, onState);
        if (!s) break;
        const off = s.driver.onScan((scan) => this.deps.publish('scanner.scan', { deviceId: device.id, code: scan.code, symbology: scan.symbology ?? null }));
        this.running.set(device.id, { config: device, kind: 'scanner', scanner: s.driver, conn: s.conn, off });
        break;
      }
      case 'fiscal': {
        if (this.deps.registrarFor) {
          const registrar = this.deps.registrarFor(device);
          if (registrar) this.running.set(device.id, { config: device, kind: 'fiscal', registrar, conn: null });
          break;
        }
        const s = registrarFor(device, log, onState);
        if (s) this.running.set(device.id, { config: device, kind: 'fiscal', registrar: s.driver, conn: s.conn });
        break;
      }
      case 'label': {
        const s = labelPrinterFor(device, log, onState);
        const setup = labelSetup(device);
        if (s && setup) this.running.set(device.id, { config: device, kind: 'label', printer: s.driver, stock: setup.stock, conn: s.conn });
        break;
      }
      default:
        log.error('this kind of device is not driven yet', { device: device.id, kind: device.kind });
        return;
    }
    const r = this.running.get(device.id);
    if (!r) this.onState(device, { status: 'error', message: `no driver "${device.driver}" for a ${device.kind}` });
    if (r?.kind === 'printer' || r?.kind === 'drawer') this.deps.printQueue.attach(r.printer);
    if (r?.kind === 'label') this.deps.labelQueue.attach(r.printer);
  }

  private scaleService(s: Started<import('../../src-drivers/scale/index.js').Scale>): ScaleService {
    const service = new ScaleService(s.driver, this.deps.clock, (w: WeightSnapshot) => {
      const r = w.reading;
      this.deps.publish(
        'scale.changed',
        !r ? { state: 'unavailable', grams: null } : r.kind === 'stable' || r.kind === 'unstable' || r.kind === 'underload' ? { state: r.kind, grams: r.grams } : { state: r.kind, grams: null },
      );
    });
    service.start();
    return service;
  }

  private async halt(deviceId: string): Promise<void> {
    const r = this.running.get(deviceId);
    if (!r) return;
    this.running.delete(deviceId);
    this.sensors.delete(deviceId);
    this.labelFaults.delete(deviceId);
    switch (r.kind) {
      case 'label':
        this.deps.labelQueue.detach(deviceId);
        break;
      case 'printer':
      case 'drawer':
        this.deps.printQueue.detach(deviceId);
        break;
      case 'scale':
        r.scale.stop();
        break;
      case 'scanner':
        r.off();
        r.scanner.dispose();
        break;
      case 'fiscal':
        r.registrar.dispose();
        break;
      case 'display':
        break;
    }
    await r.conn?.stop();
  }

  /** After devices came or went: the display follows, and no job waits for a printer that is gone. */
  private afterChange(): void {
    this.deps.onDisplay?.(this.display());
    const live = [...this.running.values()].filter((r) => r.kind === 'printer' || r.kind === 'drawer').map((r) => r.config.id);
    const to = this.receiptPrinter()?.id ?? null;
    const moved = this.deps.db.transaction(() => this.deps.repos.printJobs.adoptOrphans(live, to, this.deps.clock.now()))();
    if (moved > 0 && to) {
      this.deps.log.info('print jobs moved to the receipt printer', { jobs: moved, device: to });
      this.deps.printQueue.kick(to);
    }
    // Price tags waiting for a label printer that is gone go to the label printer now, if there is one.
    const labels = [...this.running.values()].filter((r) => r.kind === 'label').map((r) => r.config.id);
    const labelTo = this.labelPrinter()?.config.id;
    if (labelTo) {
      const tags = this.deps.repos.labelJobs.adoptOrphans(labels, labelTo, this.deps.clock.now() as EpochMs);
      if (tags > 0) {
        this.deps.log.info('label jobs moved to the label printer', { jobs: tags, device: labelTo });
        this.deps.labelQueue.kick(labelTo);
      }
    }
  }
}
