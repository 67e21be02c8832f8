import { expect } from 'vitest';
import { ShtrihEmulator } from '../../src-drivers/emulators/fiscal/shtrih.js';
import { serveSerial } from '../../src-drivers/emulators/serve.js';
import { PtyPair } from '../support/pty.js';
import { openTill, type Till } from './support.js';

/** Work to do after each test (servers, ptys, tills), run in reverse. */
export const cleanups: (() => Promise<unknown> | unknown)[] = [];

export async function runCleanups(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

/** A till in fiscal mode with a Shtrih-M registrar on a serial line (the byte-level emulator on a socat pty). */
export async function shtrihTill(): Promise<{ x: Till; shtrih: ShtrihEmulator }> {
  const pty = await PtyPair.start();
  cleanups.push(() => pty.dispose());
  const shtrih = new ShtrihEmulator();
  const served = await serveSerial(shtrih, pty.device, 115_200);
  cleanups.push(() => served.stop());
  const x = openTill();
  cleanups.push(() => x.close());
  x.t.backend.repos.settings.set('fiscal.mode', 'shtrih');
  await x.as('owner');
  await x.c.call('devices.save', {
    device: { kind: 'fiscal', driver: 'shtrih', name: 'Штрих-М-01Ф', transport: { kind: 'serial', path: pty.till, baudRate: 115_200 }, options: { timeoutMs: 3_000 }, enabled: true },
  });
  await x.as('manager');
  await until(async () => (await x.c.call('devices.list', {})).find((d) => d.kind === 'fiscal')?.status === 'connected');
  return { x, shtrih };
}

export async function until(cond: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const idle = async (x: Till) => {
  await x.t.backend.fiscal.idle();
  expect(x.t.backend.repos.fiscalJournal.open()).toEqual([]);
};

