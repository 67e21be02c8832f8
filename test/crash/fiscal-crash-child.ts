/**
 * One life of a till for the fiscal crash test, as its own process so the test can SIGKILL it:
 * open the store (recovery of whatever the last life left runs at start), finish the fiscal
 * journal, then sell one receipt and fiscalize it — dying at `LAVKA_CRASH_AT` if set. Prints one
 * JSON line per milestone for the parent.
 */
import { join } from 'node:path';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { createBackend } from '../../src-main/host/backend.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';

const dataDir = process.env.LAVKA_DATA_DIR!;
const atolUrl = new URL(process.env.LAVKA_ATOL_URL!);
const crashAt = process.env.LAVKA_CRASH_AT ?? 'none';
const sell = process.env.LAVKA_SELL !== '0';
const say = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);
/** Armed once the last life's leftovers are recovered: each life dies fiscalizing its own sale. */
let armed = false;

const backend = createBackend({
  dbPath: join(dataDir, 'till.sqlite'),
  migrationsDir: join(import.meta.dirname, '..', '..', 'migrations'),
  demo: { products: 20 },
  log: { info: () => undefined, error: () => undefined },
  crashPoint: (point) => {
    if (armed && point === crashAt) {
      say({ msg: 'crash', point });
      process.kill(process.pid, 'SIGKILL');
    }
  },
});

async function main(): Promise<void> {
  const { repos } = backend;
  if (repos.settings.get('fiscal.mode') === 'none') {
    backend.db.transaction(() => {
      repos.settings.set('fiscal.mode', 'atol');
      repos.devices.upsert({
        id: 'atol',
        kind: 'fiscal',
        driver: 'atol',
        name: 'АТОЛ',
        transport: { kind: 'tcp', host: atolUrl.hostname, port: Number(atolUrl.port) },
        options: { timeoutMs: 1_500 },
        enabled: true,
      });
    })();
    // The device was added behind the running manager's back: start it.
    await backend.devices.reload('atol');
  }
  await backend.fiscal.idle();
  say({ msg: 'recovered', open: repos.fiscalJournal.open().map((r) => ({ ref: r.refId, state: r.state, error: r.lastError })) });
  if (!sell) return;
  armed = true;
  const c = inProcessClient(backend.dispatcher);
  const cashier = DEMO_USERS.find((u) => u.role === 'cashier')!;
  const users = await c.call('session.users', {});
  await c.call('session.login', { userId: users.find((u) => u.name === cashier.name)!.id, pin: cashier.pin });
  const codes = [DEMO_BARCODES.milk, DEMO_BARCODES.bread, DEMO_BARCODES.water, DEMO_BARCODES.coffee];
  const n = 1 + Math.floor(Math.random() * 3);
  for (let i = 0; i < n; i++) await c.call('checkout.scan', { code: codes[Math.floor(Math.random() * codes.length)]! });
  const total = (await c.call('checkout.current', {}))!.total;
  const sale = await c.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
  say({ msg: 'sold', receiptId: sale.id, total: sale.total });
  await backend.fiscal.idle();
  say({ msg: 'fiscalized', state: repos.fiscalJournal.forRef(sale.id)[0]?.state });
}

main().then(
  () => {
    backend.close();
    process.exit(0);
  },
  (e: unknown) => {
    say({ msg: 'error', error: e instanceof Error ? e.message : String(e) });
    backend.close();
    process.exit(1);
  },
);
