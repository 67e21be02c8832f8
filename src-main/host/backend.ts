import { systemClock, type Clock } from '../../src-common/clock.js';
import { handlers } from '../app/handlers.js';
import type { Connection, Repos } from '../app/context.js';
import { receiptLayout, toReceiptView } from '../app/receipt-view.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDatabase, type Db } from '../db/open.js';
import { ApprovalsRepo } from '../db/repos/approvals.js';
import { CatalogRepo } from '../db/repos/catalog.js';
import { DevicesRepo, type DeviceConfig } from '../db/repos/devices.js';
import { displayFor, printerFor, scaleFor, type DeviceState } from '../devices/drivers.js';
import { DisplayService } from '../devices/display-service.js';
import { ScaleService } from '../devices/scale-service.js';
import { PrintQueue, type DocumentPrinter } from '../devices/print-queue.js';
import { EffectsRepo } from '../db/repos/effects.js';
import { AuditRepo, CountersRepo, OutboxRepo, StockRepo } from '../db/repos/ledger.js';
import { PermissionsRepo } from '../db/repos/permissions.js';
import { PrintJobsRepo } from '../db/repos/print-jobs.js';
import { ReceiptsRepo } from '../db/repos/receipts.js';
import { SettingsRepo } from '../db/repos/settings.js';
import { ShiftsRepo } from '../db/repos/shifts.js';
import { UsersRepo } from '../db/repos/users.js';
import { isEmptyStore, seedDemoStore } from '../demo/seed.js';
import { receiptDocument, receiptText } from '../domain/receipt-text.js';
import type { PrintDocument } from '../../src-common/print-document.js';
import { EffectsRunner, type EffectConsumer } from '../effects/runner.js';
import { consoleLogger, Dispatcher, newConnection, type Logger } from '../rpc/dispatcher.js';
import type { EffectKind } from '../db/repos/effects.js';

export interface BackendConfig {
  dbPath: string;
  migrationsDir: string;
  clock?: Clock;
  log?: Logger;
  /**
   * On an empty store, create the demo store with this many generated products, and (unless
   * `openShift` is false) an open shift so the first start can sell at once.
   */
  demo?: { products: number; openShift?: boolean; emulatedDevices?: boolean } | false;
  checkResults?: boolean;
  /** Replace effect consumers (tests inject failing printers). */
  effects?: Partial<Record<EffectKind, EffectConsumer>>;
  /** The driver for a configured printer (the host passes the real drivers; tests, fakes). */
  printerFor?: (device: DeviceConfig) => DocumentPrinter | null;
}

export interface Backend {
  readonly db: Db;
  readonly repos: Repos;
  readonly dispatcher: Dispatcher;
  readonly effects: EffectsRunner;
  readonly printQueue: PrintQueue;
  connect(): Connection;
  close(): void;
}

function makeRepos(db: Db): Repos {
  return {
    settings: new SettingsRepo(db),
    catalog: new CatalogRepo(db),
    receipts: new ReceiptsRepo(db),
    users: new UsersRepo(db),
    outbox: new OutboxRepo(db),
    audit: new AuditRepo(db),
    counters: new CountersRepo(db),
    stock: new StockRepo(db),
    effects: new EffectsRepo(db),
    permissions: new PermissionsRepo(db),
    approvals: new ApprovalsRepo(db),
    shifts: new ShiftsRepo(db),
    printJobs: new PrintJobsRepo(db),
    devices: new DevicesRepo(db),
  };
}

/**
 * The composition root. Electron's main process and browser mode both call this; everything
 * the till does is reachable through the dispatcher it returns.
 */
export function createBackend(config: BackendConfig): Backend {
  const clock = config.clock ?? systemClock;
  const log = config.log ?? consoleLogger;
  const db = openDatabase(config.dbPath);
  try {
    migrate(db, loadMigrations(config.migrationsDir));
    if (config.demo && isEmptyStore(db)) {
      seedDemoStore(db, {
        products: config.demo.products,
        openShiftAt: config.demo.openShift === false ? null : clock.now(),
        emulatedDevices: config.demo.emulatedDevices ?? false,
      });
    }
  } catch (e) {
    db.close();
    throw e;
  }
  const repos = makeRepos(db);
  let effects: EffectsRunner | null = null;
  const deviceStates = new Map<string, DeviceState>();
  let scaleService: ScaleService | null = null;
  const dispatcher = new Dispatcher({
    db,
    repos,
    clock,
    handlers,
    log,
    services: {
      kickEffects: () => effects?.kick(),
      deviceState: (id) => deviceStates.get(id) ?? null,
      queuePrint: (kind, refId, document) => queuePrint(kind, refId, document),
      get scaleGrams() {
        const s = scaleService;
        return s ? () => s.stableGrams() : null;
      },
    },
    checkResults: config.checkResults ?? false,
  });

  // Printers: the configured ones get a driver and the persisted queue.
  const printQueue = new PrintQueue(repos.printJobs, clock, log, { changed: () => undefined });
  printQueue.recover();
  const printers: { device: DeviceConfig; printer: DocumentPrinter }[] = [];
  for (const device of repos.devices.all()) {
    if (device.kind !== 'printer' || !device.enabled) continue;
    const printer = config.printerFor
      ? config.printerFor(device)
      : printerFor(device, log, (s) => {
          deviceStates.set(device.id, s);
          dispatcher.publish('device.status', { deviceId: device.id, ...s });
        });
    if (!printer) continue;
    printers.push({ device, printer });
    printQueue.attach(printer);
  }
  const receiptPrinter = printers[0] ?? null;

  // The scale: the first enabled one, polled in the background; a sale takes its latest stable weight.
  const scaleDevice = repos.devices.all().find((d) => d.kind === 'scale' && d.enabled) ?? null;
  const scale = scaleDevice
    ? scaleFor(scaleDevice, log, (s) => {
        deviceStates.set(scaleDevice.id, s);
        dispatcher.publish('device.status', { deviceId: scaleDevice.id, ...s });
      })
    : null;
  // The customer display follows the basket.
  const displayDevice = repos.devices.all().find((d) => d.kind === 'display' && d.enabled) ?? null;
  const display = displayDevice
    ? displayFor(displayDevice, log, (s) => {
        deviceStates.set(displayDevice.id, s);
        dispatcher.publish('device.status', { deviceId: displayDevice.id, ...s });
      })
    : null;
  const displayService = display ? new DisplayService(display, repos, log) : null;
  displayService?.start(dispatcher);

  if (scale) {
    scaleService = new ScaleService(scale, clock, (w) => {
      const r = w.reading;
      dispatcher.publish(
        'scale.changed',
        !r ? { state: 'unavailable', grams: null } : r.kind === 'stable' || r.kind === 'unstable' ? { state: r.kind, grams: r.grams } : r.kind === 'underload' ? { state: r.kind, grams: r.grams } : { state: r.kind, grams: null },
      );
    });
    scaleService.start();
  }

  /** The receipt on screen always; on paper too when a printer is configured (queued, so a printer fault never touches the sale). */
  const printReceipt: EffectConsumer = (effect) => {
    const stored = repos.receipts.load(effect.receiptId);
    if (!stored) return { state: 'skipped', reason: 'receipt not found' };
    const view = toReceiptView(stored, repos.receipts.payments(effect.receiptId));
    const options = receiptLayout(repos.settings);
    if (receiptPrinter) {
      const { device } = receiptPrinter;
      db.transaction(() => printQueue.enqueue(device.id, 'receipt', view.id, receiptDocument(view, options), clock.now()))();
      printQueue.kick(device.id);
    }
    return { state: 'done', result: receiptText(view, options) };
  };
  /** The drawer opens through the receipt printer's kick-out port, now or never (see PrintQueue). */
  const openDrawer: EffectConsumer = (effect) => {
    const drawer = printers.find((p) => p.device.options.drawer !== false) ?? null;
    if (!drawer) return { state: 'skipped', reason: 'no cash drawer configured' };
    const pin = drawer.device.options.drawerPin === 5 ? 5 : 2;
    db.transaction(() => printQueue.enqueue(drawer.device.id, 'drawer', effect.receiptId, { blocks: [{ t: 'drawer', pin }] }, clock.now()))();
    printQueue.kick(drawer.device.id);
    return { state: 'done', result: `kick sent to ${drawer.device.name}` };
  };
  /** A drawer kick (document null) or a printout queued in the caller's transaction, started after it commits. */
  function queuePrint(kind: 'drawer' | 'reprint' | 'report', refId: string, document: PrintDocument | null): boolean {
    const target = kind === 'drawer' ? (printers.find((p) => p.device.options.drawer !== false) ?? null) : receiptPrinter;
    if (!target) return false;
    const pin = target.device.options.drawerPin === 5 ? 5 : 2;
    printQueue.enqueue(target.device.id, kind, refId, document ?? { blocks: [{ t: 'drawer', pin }] }, clock.now());
    setImmediate(() => printQueue.kick(target.device.id));
    return true;
  }
  const consumers: Record<EffectKind, EffectConsumer> = {
    print_receipt: printReceipt,
    open_drawer: openDrawer,
    ...config.effects,
  };
  const runner = new EffectsRunner(db, repos.effects, clock, log, consumers, (receiptId) =>
    dispatcher.publish('effects.changed', { receiptId }),
  );
  effects = runner;
  // Finish whatever a crash left pending.
  runner.kick();

  return {
    db,
    repos,
    dispatcher,
    effects: runner,
    printQueue,
    connect: newConnection,
    close: () => {
      runner.stop();
      printQueue.stop();
      scaleService?.stop();
      displayService?.stop();
      if (db.open) db.close();
    },
  };
}
