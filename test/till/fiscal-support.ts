import { expect } from 'vitest';
import { AtolWebServerEmulator } from '../../src-drivers/emulators/fiscal/atol.js';
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


/** A till in fiscal mode with an ATOL registrar behind its Driver v10 web server (the emulator, over real HTTP). */
export async function atolTill(): Promise<{ x: Till; atol: AtolWebServerEmulator }> {
  const atol = await AtolWebServerEmulator.start();
  cleanups.push(() => atol.stop());
  const x = openTill();
  cleanups.push(() => x.close());
  x.t.backend.repos.settings.set('fiscal.mode', 'atol');
  await x.as('owner');
  const url = new URL(atol.url);
  await x.c.call('devices.save', {
    device: { kind: 'fiscal', driver: 'atol', name: 'АТОЛ 30Ф', transport: { kind: 'tcp', host: url.hostname, port: Number(url.port) }, options: { timeoutMs: 5_000 }, enabled: true },
  });
  await x.as('manager');
  return { x, atol };
}

/** One registrar under test, whichever its protocol: its till, its archive, and its power switch. */
export interface RegistrarUnderTest {
  x: Till;
  archive(): readonly { number: number; kind: string; total: number | null; fiscalSign: string }[];
  /** The next document is committed, then the registrar goes dark before answering. */
  losePowerAfterCommit(): void;
  powerBack(): void;
  /** Documents the ФН holds before the first of the test (a Shtrih ФН's registration report). */
  before: string[];
}

export const REGISTRARS: { name: string; start(): Promise<RegistrarUnderTest> }[] = [
  {
    name: 'Shtrih-M over a pseudo-terminal',
    start: async () => {
      const { x, shtrih } = await shtrihTill();
      return { x, archive: () => shtrih.archive, losePowerAfterCommit: () => shtrih.faults.powerLossAfterCommit(), powerBack: () => undefined, before: ['registration'] };
    },
  },
  {
    name: 'ATOL over HTTP',
    start: async () => {
      const { x, atol } = await atolTill();
      return { x, archive: () => atol.model.archive, losePowerAfterCommit: () => void (atol.faults.powerLossAfterCommit = 'drop'), powerBack: () => atol.powerOn(), before: [] };
    },
  },
];
