import { LoyaltyRepo } from '../db/repos/loyalty.js';
import { readSmsSettings } from '../../src-common/sms-schemas.js';
import { smsRepo } from '../db/repos/sms.js';
import { EMULATOR_API_KEY, SmsProviders, SmsSender } from '../sms/sender.js';
import { SmsProviderEmulator } from '../sms/emulator.js';
import { smsDaily } from '../app/sms.js';
import { confirmBalance } from '../app/loyalty.js';
import { CustomersRepo } from '../db/repos/customers.js';
import { PricingRepo } from '../db/repos/pricing.js';
import { applyDuePrices } from '../app/pricing.js';
import { ExportFiles } from '../import/exports.js';
import { ImportSessions } from '../import/sessions.js';
import type { ImportStatus } from '../../src-common/rpc/schemas.js';
import { StockDocsRepo } from '../db/repos/stock-docs.js';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../../src-common/clock.js';
import { handlers } from '../app/handlers.js';
import type { Connection, Repos } from '../app/context.js';
import { receiptLayout, toReceiptView } from '../app/receipt-view.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { WalCheckpointer, type CheckpointResult } from '../db/checkpointer.js';
import { openDatabase, type Db } from '../db/open.js';
import { ApprovalsRepo } from '../db/repos/approvals.js';
import { CatalogRepo } from '../db/repos/catalog.js';
import { DevicesRepo, type DeviceConfig } from '../db/repos/devices.js';
import { CustomerViewService } from '../devices/customer-view.js';
import { FiscalJournalRepo } from '../db/repos/fiscal-journal.js';
import { FiscalService, type FiscalCrashPoint } from '../fiscal/service.js';
import { zDifferences } from '../fiscal/z-compare.js';
import { MarkingChecks } from '../fiscal/marking-checks.js';
import { PermitProviders } from '../fiscal/permit/providers.js';
import { MarkingPermitsRepo } from '../db/repos/marking-permits.js';
import type { FiscalJournalRow } from '../db/repos/fiscal-journal.js';
import type { ShiftReport } from '../../src-common/rpc/schemas.js';
import type { FiscalRegistrar, FiscalStatus, ShiftTotals } from '../../src-drivers/fiscal/registrar.js';
import { DeviceManager, type DeviceManagerDeps } from '../devices/manager.js';
import { testPage } from '../devices/test-page.js';
import type { DeviceTestResult } from '../../src-common/rpc/schemas.js';
import { PrintQueue, type DocumentPrinter } from '../devices/print-queue.js';
import { EffectsRepo } from '../db/repos/effects.js';
import { AuditRepo, CountersRepo, OutboxRepo, StockRepo } from '../db/repos/ledger.js';
import { PermissionsRepo } from '../db/repos/permissions.js';
import { PrintJobsRepo } from '../db/repos/print-jobs.js';
import { LabelJobsRepo } from '../db/repos/label-jobs.js';
import { LabelQueue, type LabelTarget } from '../devices/label-queue.js';
import { testLabel } from '../devices/test-page.js';
import { ReceiptsRepo } from '../db/repos/receipts.js';
import { SettingsRepo } from '../db/repos/settings.js';
import { ShiftsRepo } from '../db/repos/shifts.js';
import { UsersRepo } from '../db/repos/users.js';
import { isEmptyStore, seedDemoStore } from '../demo/seed.js';
import { receiptDocument, receiptText } from '../domain/receipt-text.js';
import type { PrintDocument } from '../../src-common/print-document.js';
import { EffectsRunner, type EffectConsumer } from '../effects/runner.js';
import { consoleLogger, Dispatcher, newConnection, type Logger } from '../rpc/dispatcher.js';
import { SyncStateRepo } from '../db/repos/sync-state.js';
import { SyncClient } from '../sync/client.js';
import { FileCredentialStore, type CredentialStore } from '../sync/credentials.js';
import { CatalogStore } from '../sync/catalog-store.js';
import { SyncService, type SyncOptions } from '../sync/service.js';
import type { EffectKind } from '../db/repos/effects.js';

export interface BackendConfig {
  dbPath: string;
  migrationsDir: string;
  clock?: Clock;
  log?: Logger;
  /** How often scheduled prices are looked at (default 30 s). */
  pricesIntervalMs?: number;
  /** false: the till's connection checkpoints its own WAL (no worker thread). Default: a worker does. */
  walCheckpointer?: boolean;
  /**
   * On an empty store, create the demo store with this many generated products, and (unless
   * `openShift` is false) an open shift so the first start can sell at once.
   */
  demo?: { products: number; openShift?: boolean; emulatedDevices?: boolean; emulatedFiscal?: boolean } | false;
  checkResults?: boolean;
  /** Replace effect consumers (tests inject failing printers). */
  effects?: Partial<Record<EffectKind, EffectConsumer>>;
  /** The driver for a configured printer (the host passes the real drivers; tests, fakes). */
  printerFor?: (device: DeviceConfig) => DocumentPrinter | null;
  /** Crash tests: called at the fiscal journal's named points (the test kills the process there). */
  crashPoint?: (point: FiscalCrashPoint) => void;
  /** The driver for a configured fiscal registrar (tests: an in-memory one). */
  registrarFor?: (device: DeviceConfig) => FiscalRegistrar | null;
  /** What is attached (tests: a scan they control). */
  findPorts?: DeviceManagerDeps['findPorts'];
  /** The till's version (package.json), told to the head office. */
  appVersion?: string;
  /**
   * The head office link: where the credential is kept (default: `sync-credential` beside the
   * database), the per-request timeout, and timings tests shorten.
   */
  sync?: Partial<SyncOptions> & { credentials?: CredentialStore; timeoutMs?: number };
}

export interface Backend {
  readonly db: Db;
  readonly repos: Repos;
  readonly dispatcher: Dispatcher;
  readonly effects: EffectsRunner;
  readonly printQueue: PrintQueue;
  readonly labelQueue: LabelQueue;
  readonly devices: DeviceManager;
  readonly fiscal: FiscalService;
  readonly sync: SyncService;
  /** Checkpoint the WAL now, off the sale path (what the till does whenever it is quiet); null without the worker. */
  checkpoint(): Promise<CheckpointResult | null>;
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
    stockDocs: new StockDocsRepo(db),
    pricing: new PricingRepo(db),
    customers: new CustomersRepo(db),
    loyalty: new LoyaltyRepo(db),
    effects: new EffectsRepo(db),
    permissions: new PermissionsRepo(db),
    approvals: new ApprovalsRepo(db),
    shifts: new ShiftsRepo(db),
    printJobs: new PrintJobsRepo(db),
    labelJobs: new LabelJobsRepo(db),
    devices: new DevicesRepo(db),
    fiscalJournal: new FiscalJournalRepo(db),
    markingPermits: new MarkingPermitsRepo(db),
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
        emulatedFiscal: config.demo.emulatedFiscal ?? false,
      });
    }
  } catch (e) {
    db.close();
    throw e;
  }
  // WAL checkpoints in a worker thread, off the sale path (the till's connection keeps a safety net).
  const checkpointer = new WalCheckpointer(db, log);
  if (config.walCheckpointer !== false) checkpointer.start();
  const repos = makeRepos(db);
  let effects: EffectsRunner | null = null;
  // Set below: the dispatcher's services reach the devices through these once they exist.
  let devices: DeviceManager | null = null;
  let labelQueue: LabelQueue | null = null;
  let customer: CustomerViewService | null = null;
  let fiscal: FiscalService | null = null;
  let markingChecks: MarkingChecks | null = null;
  let fiscalStatus: { status: FiscalStatus; at: number } | null = null;
  let sync: SyncService | null = null;
  let smsSender: SmsSender | null = null;
  let smsEmulator: SmsProviderEmulator | null = null;
  // The dispatcher it tells is made below.
  const importEvents = { publish: (_status: ImportStatus): void => undefined };
  const imports = new ImportSessions({ now: () => clock.now(), changed: (status) => importEvents.publish(status) });
  const dispatcher = new Dispatcher({
    db,
    repos,
    clock,
    handlers,
    log,
    committed: () => checkpointer.committed(),
    services: {
      kickEffects: () => effects?.kick(),
      devices: {
        state: (id) => devices?.state(id) ?? null,
        lastError: (id) => devices?.lastError(id) ?? null,
        sensors: (id) => devices?.sensorsOf(id) ?? null,
        reload: (id) => void devices?.reload(id),
        ports: () => devices!.portList(),
        test: (id, action) => testDevice(id, action),
        customerView: () => customer!.current(),
      },
      fiscal: {
        kick: () => fiscal?.kick(),
        blocked: () => fiscalBlocked(),
        lastStatus: () => fiscalStatus,
        marking: (code, line, ask) => markingChecks?.check(code, line, ask) ?? { state: 'unavailable', reason: 'starting', why: 'unavailable', permit: null },
      },
      sync: {
        kick: () => sync?.kick(),
        now: () => sync?.now(),
        enroll: (url, code, userId) => sync?.enroll(url, code, userId),
        status: () => sync!.status(),
        confirmCustomer: (id) => void sync?.confirmCustomer(id),
      },
      get sms() {
        const worker = smsSender;
        return worker ? { kick: () => worker.kick(), wake: () => wakeSms(), balance: () => worker.balance() } : null;
      },
      smsEmulated: () => smsEmulator?.sent.map((m) => ({ ...m })) ?? [],
      imports,
      exports: new ExportFiles(() => clock.now()),
      queuePrint: (kind, refId, document) => queuePrint(kind, refId, document),
      labels: {
        target: () => labelTarget(),
        queue: (job) => labelQueue!.enqueue(job),
        kick: (target) => setImmediate(() => (target.via === 'label' ? labelQueue?.kick(target.deviceId) : printQueue.kick(target.deviceId))),
      },
      get scaleGrams() {
        const s = devices?.scale();
        return s ? () => s.stableGrams() : null;
      },
    },
    checkResults: config.checkResults ?? false,
  });

  importEvents.publish = (status) => dispatcher.publish('import.changed', status);
  const printQueue = new PrintQueue(repos.printJobs, clock, log, { changed: (job) => labelQueue?.followPrintJob(job) });
  printQueue.recover();
  const labels = new LabelQueue(repos.labelJobs, repos.printJobs, printQueue, clock, log, {
    changed: (job) => dispatcher.publish('labels.changed', { jobId: job.id, state: job.state }),
  });
  labelQueue = labels;
  labels.recover();
  customer = new CustomerViewService(repos, log, (view) => dispatcher.publish('customer.view', view));
  customer.start(dispatcher);
  const manager = new DeviceManager({
    db,
    repos,
    clock,
    log,
    printQueue,
    labelQueue: labels,
    publish: (topic, payload) => dispatcher.publish(topic, payload),
    ...(config.printerFor ? { printerFor: config.printerFor } : {}),
    ...(config.registrarFor ? { registrarFor: config.registrarFor } : {}),
    ...(config.findPorts ? { findPorts: config.findPorts } : {}),
    onDisplay: (d) => customer?.setPole(d),
    onConnected: (d) => {
      if (d.kind === 'fiscal') fiscal?.kick();
    },
  });
  devices = manager;
  manager.start();

  // Fiscalization: the journal is worked off in order through the configured registrar.
  fiscal = new FiscalService({
    db,
    journal: repos.fiscalJournal,
    clock,
    log,
    registrar: () => manager.registrar(),
    changed: (row) => {
      if (row.op === 'close_shift' && row.state === 'done') compareZ(row);
      dispatcher.publish('fiscal.changed', { refId: row.refId, state: row.state });
    },
    status: (status) => {
      fiscalStatus = { status, at: clock.now() };
    },
    ...(config.crashPoint ? { crashPoint: config.crashPoint } : {}),
  });
  fiscal.kick();
  const fiscalService = fiscal;
  const permits = new PermitProviders(repos.settings);
  markingChecks = new MarkingChecks({
    registrar: () => manager.registrar(),
    exclusive: (fn) => fiscalService.exclusive(fn),
    permit: () => permits.current(),
    log,
    now: () => clock.now(),
    checked: (code, result) => dispatcher.publish('marking.checked', { code, state: result.state }),
  });
  /**
   * The registrar's Z against the till's: equal, or the differences are put in front of the owner
   * (an alarm on the journal row and an audit entry). A Z recovered from the archive has no totals to compare.
   */
  function compareZ(row: FiscalJournalRow): void {
    const totals = row.result as ShiftTotals | { recovered: true } | { already: string } | null;
    const shift = row.refId ? repos.shifts.byId(row.refId) : null;
    if (!totals || !('sales' in totals) || !shift?.z_report) return;
    const diff = zDifferences(JSON.parse(shift.z_report) as ShiftReport, totals);
    if (diff.length === 0) return;
    const text = diff.map((d) => `${d.field}: till ${d.till}, registrar ${d.registrar}`).join('; ');
    log.error('the registrar Z differs from the till Z', { shift: row.refId, diff: text });
    db.transaction(() => {
      repos.fiscalJournal.markFailed(row.id, 'attention', `the registrar's Z report differs from the till's: ${text}`, 'z_mismatch', clock.now());
      repos.audit.append(clock.now(), null, 'fiscal.z_mismatch', row.refId, { diff: text });
    })();
  }

  /** Why the registrar would refuse a receipt now, from what it last said; unknown is not a refusal (the receipt waits in the journal). */
  function fiscalBlocked(): { reason: string; message: string } | null {
    if (!manager.registrarConfigured()) return { reason: 'no_registrar', message: 'fiscal mode is on but no fiscal registrar is configured' };
    // What the registrar refused last, when it stops selling (it says exactly why).
    const refused = fiscal?.blockingError();
    if (refused) return { reason: refused.code, message: refused.message };
    const s = fiscalStatus?.status;
    if (!s) return null;
    if (s.fn.blocked) return { reason: 'fn_blocked', message: 'the fiscal storage accepts no more documents' };
    if (s.mode === 'shift_expired') return { reason: 'shift_expired', message: 'the registrar shift is over 24 hours: close the shift' };
    if (s.fn.unsent.oldestAt !== null && clock.now() - s.fn.unsent.oldestAt > 30 * 86_400_000) {
      return { reason: 'ofd_overdue', message: 'documents have not reached the ОФД for 30 days: the fiscal storage blocks' };
    }
    return null;
  }

  /** The receipt on screen always; on paper too when a printer is configured (queued, so a printer fault never touches the sale). */
  const printReceipt: EffectConsumer = (effect) => {
    const stored = repos.receipts.load(effect.receiptId);
    if (!stored) return { state: 'skipped', reason: 'receipt not found' };
    const view = toReceiptView(stored, repos.receipts.payments(effect.receiptId));
    const options = receiptLayout(repos.settings);
    const printer = manager.receiptPrinter();
    // With a fiscal registrar the receipt is the one it prints; a second, non-fiscal one would only confuse.
    const registrarPrints = repos.settings.get('fiscal.mode') !== 'none' && manager.registrarConfigured();
    if (printer && !registrarPrints) {
      db.transaction(() => printQueue.enqueue(printer.id, 'receipt', view.id, receiptDocument(view, options), clock.now()))();
      printQueue.kick(printer.id);
    }
    return { state: 'done', result: receiptText(view, options) };
  };
  /** The drawer opens through its own line or the receipt printer's kick-out port, now or never (see PrintQueue). */
  const openDrawer: EffectConsumer = (effect) => {
    const drawer = manager.drawer();
    if (!drawer) return { state: 'skipped', reason: 'no cash drawer configured' };
    db.transaction(() => printQueue.enqueue(drawer.device.id, 'drawer', effect.receiptId, { blocks: [{ t: 'drawer', pin: drawer.pin }] }, clock.now()))();
    printQueue.kick(drawer.device.id);
    return { state: 'done', result: `kick sent to ${drawer.device.name}` };
  };
  /** A drawer kick (document null) or a printout queued in the caller's transaction, started after it commits. */
  function queuePrint(kind: 'drawer' | 'reprint' | 'report' | 'test', refId: string, document: PrintDocument | null): boolean {
    const drawer = manager.drawer();
    const printer = manager.receiptPrinter();
    const target = kind === 'drawer' ? (drawer?.device ?? null) : printer;
    if (!target) return false;
    printQueue.enqueue(target.id, kind, refId, document ?? { blocks: [{ t: 'drawer', pin: drawer?.pin ?? 2 }] }, clock.now());
    setImmediate(() => printQueue.kick(target.id));
    return true;
  }
  /** Where price tags go now: the label printer, else small tags on the receipt printer. */
  function labelTarget(): LabelTarget | null {
    const label = manager.labelPrinter();
    if (label) return { via: 'label', deviceId: label.config.id, deviceName: label.config.name, stock: label.stock };
    const receipt = manager.receiptPrinter();
    return receipt ? { via: 'receipt', deviceId: receipt.id, deviceName: receipt.name, stock: null } : null;
  }
  /** The device panel's test buttons: each goes the way a sale would (the queue, the scale's latest reading). */
  function testDevice(deviceId: string, action: 'print' | 'drawer' | 'weigh' | 'display'): DeviceTestResult {
    const result = (ok: boolean, r: DeviceTestResult['result'], detail: string | null = null, grams: number | null = null): DeviceTestResult => ({ ok, result: r, detail, grams });
    const device = repos.devices.byId(deviceId);
    if (!device) return result(false, 'not_running');
    const state = manager.state(deviceId);
    const connected = state?.status === 'connected';
    const why = state?.message ?? null;
    switch (action) {
      case 'print': {
        if (device.kind === 'label') {
          const stock = device.enabled ? manager.labelStockOf(device.id) : null;
          if (!stock) return result(false, 'not_running', why);
          db.transaction(() => labels.enqueue(testLabel(device, repos.settings, stock, clock.now())))();
          setImmediate(() => labels.kick(device.id));
          // Not ready: the test label waits in the queue and prints when the printer is.
          return connected ? result(true, 'sent') : result(false, 'queued', why);
        }
        if (device.kind !== 'printer') return result(false, 'wrong_kind');
        if (!device.enabled) return result(false, 'not_running');
        const doc = testPage(device, repos.settings.get('store.name'), clock.now());
        db.transaction(() => printQueue.enqueue(device.id, 'test', null, doc, clock.now()))();
        setImmediate(() => printQueue.kick(device.id));
        // Not connected: the page waits in the queue and prints when the printer is back.
        return connected ? result(true, 'sent') : result(false, 'queued', why);
      }
      case 'drawer': {
        if (device.kind !== 'printer' && device.kind !== 'drawer') return result(false, 'wrong_kind');
        if (!device.enabled) return result(false, 'not_running');
        const pin = device.options.drawerPin === 5 ? 5 : 2;
        db.transaction(() => printQueue.enqueue(device.id, 'drawer', null, { blocks: [{ t: 'drawer', pin }] }, clock.now()))();
        setImmediate(() => printQueue.kick(device.id));
        // A kick is now or never (its job expires): not connected means the drawer stays shut.
        return connected ? result(true, 'sent') : result(false, 'not_sent', why);
      }
      case 'weigh': {
        if (device.kind !== 'scale') return result(false, 'wrong_kind');
        const scale = manager.scaleOf(device.id);
        if (!scale) return result(false, 'not_running');
        const { reading, error } = scale.snapshot;
        if (!reading) return result(false, 'no_reading', error);
        switch (reading.kind) {
          case 'stable':
            return result(true, 'stable', null, reading.grams);
          case 'unstable':
            return result(false, 'unstable', null, reading.grams);
          case 'underload':
            return result(false, 'underload', null, reading.grams);
          case 'overload':
            return result(false, 'overload');
          case 'fault':
            return result(false, 'fault', reading.detail);
        }
        return result(false, 'no_reading');
      }
      case 'display': {
        if (device.kind !== 'display') return result(false, 'wrong_kind');
        const display = manager.displayOf(device.id);
        if (!display) return result(false, 'not_running');
        if (!connected) return result(false, 'not_sent', why);
        void display.show('Lavka POS', new Date(clock.now()).toISOString().slice(11, 19)).catch(() => undefined);
        return result(true, 'sent');
      }
    }
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

  // The head office link: in the background, off every command's path.
  const appVersion = config.appVersion ?? '0.0.0';
  const { credentials, timeoutMs, ...syncOptions } = config.sync ?? {};
  const syncService = new SyncService({
    db,
    outbox: repos.outbox,
    state: new SyncStateRepo(db),
    audit: repos.audit,
    tillName: () => repos.settings.get('till.name'),
    managedSettings: () => repos.settings.managedKeys(),
    clock,
    log,
    client: new SyncClient({ appVersion, timeoutMs: timeoutMs ?? 30_000 }),
    credentials: credentials ?? new FileCredentialStore(join(dirname(config.dbPath), 'sync-credential')),
    publish: (status) => dispatcher.publish('sync.state', status),
    catalog: new CatalogStore(db, repos.settings, { rolesChanged: () => repos.permissions.invalidate(), storeChanged: () => dispatcher.publish('system.changed', {}) }),
    ledgerFloor: (n) => repos.loyalty.numberAfter(n),
    customerConfirmed: (answer) => {
      db.transaction(() => confirmBalance(db, repos, answer, clock.now()))();
      dispatcher.publish('customer.changed', { customerId: answer.id });
    },
    options: { appVersion, ...syncOptions },
  });
  sync = syncService;
  syncService.start();

  // SMS to customers: one worker sends what the outbox holds, through the provider the settings name
  // (the demo's emulator runs on a loopback port in this process).
  const smsSettings = () => readSmsSettings(repos.settings.get('sms'));
  let smsEmulatorUrl: string | null = null;
  const smsProviders = new SmsProviders({ emulatorUrl: () => smsEmulatorUrl });
  const smsWorker = new SmsSender({
    db,
    repo: smsRepo(db),
    clock,
    log,
    settings: smsSettings,
    timeZone: () => repos.settings.get('timeZone'),
    provider: () => smsProviders.current(smsSettings()),
    changed: (id, state) => dispatcher.publish('sms.changed', { id, state }),
    alert: (a) => dispatcher.publish('sms.alert', a),
    daily: smsDaily(db, repos, clock, smsSettings),
    dailyTurn: (day) => syncService.smsDailyTurn(day),
  });
  smsSender = smsWorker;
  const wakeSms = () => {
    if (smsSettings().provider === 'emulator' && !smsEmulator) {
      const emulator = new SmsProviderEmulator(EMULATOR_API_KEY);
      // The demo's account starts well above the default low-balance alert (100 ₽).
      emulator.balance = 500_000;
      smsEmulator = emulator;
      void emulator.start().then(
        (url) => {
          smsEmulatorUrl = url;
          smsWorker.wake();
        },
        (e: unknown) => log.error('the SMS emulator did not start', { error: String(e) }),
      );
    }
    smsWorker.wake();
  };
  smsWorker.start();
  wakeSms();

  // Scheduled retail prices take effect when their moment comes (between baskets).
  const applyPrices = () => {
    try {
      const n = applyDuePrices(db, repos, clock.now());
      if (n > 0) log.info('scheduled prices took effect', { count: n });
    } catch (e) {
      log.error('scheduled prices could not be applied', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  applyPrices();
  const pricesTimer = setInterval(applyPrices, config.pricesIntervalMs ?? 30_000);
  pricesTimer.unref?.();

  return {
    db,
    repos,
    dispatcher,
    effects: runner,
    printQueue,
    labelQueue: labels,
    devices: manager,
    fiscal,
    sync: syncService,
    checkpoint: () => checkpointer.checkpointNow(),
    connect: newConnection,
    close: () => {
      clearInterval(pricesTimer);
      syncService.stop();
      smsWorker.stop();
      void smsEmulator?.stop();
      runner.stop();
      printQueue.stop();
      labels.stop();
      customer?.stop();
      fiscal?.stop();
      void manager.stop();
      checkpointer.stop();
      if (db.open) db.close();
    },
  };
}
