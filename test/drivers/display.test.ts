import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { Cd5220Display, displayPair } from '../../src-drivers/display/cd5220.js';
import { Cd5220Emulator } from '../../src-drivers/emulators/display/cd5220.js';
import { serveSerial } from '../../src-drivers/emulators/serve.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { PtyPair } from '../support/pty.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('CD5220 customer display', () => {
  it('shows the item and the total in Cyrillic over a real serial line, and a shorter line wipes the longer one', async () => {
    const pty = await PtyPair.start();
    cleanups.push(() => pty.dispose());
    const emulator = new Cd5220Emulator();
    const served = await serveSerial(emulator, pty.device);
    cleanups.push(() => served.stop());
    const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 9600 }));
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(3_000);
    const display = new Cd5220Display(conn, { codeTableN: 7 });

    await display.show(displayPair('Молоко «Лавка» 3,2% 1 л', '89,90', 20), displayPair('ИТОГО', '287,22', 20));
    await until(() => emulator.history.length === 1);
    // CP866 has no « »: they show as ". The name is cut to leave room for the price.
    expect(emulator.lines).toEqual(['Молоко "Лавка" 89,90', 'ИТОГО         287,22']);
    await display.show('Спасибо!', 'Сдача 12,78');
    await until(() => emulator.history.length === 2);
    expect(emulator.lines).toEqual(['Спасибо!'.padEnd(20), 'Сдача 12,78'.padEnd(20)]);
  });

  it('the emulator never throws on garbage and reads the same whatever the chunking', () => {
    const display = new Cd5220Display({ onStatus: () => () => undefined } as never);
    const valid = display.encode('Хлеб Бородинский', 'ИТОГО 54,90', true);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }), (noise, cuts) => {
        const whole = new Cd5220Emulator();
        whole.feed(noise);
        whole.feed(valid);
        const chunked = new Cd5220Emulator();
        chunked.feed(noise);
        let at = 0;
        for (let i = 0; at < valid.length; i++) {
          const n = cuts[i % cuts.length]!;
          chunked.feed(valid.slice(at, at + n));
          at += n;
        }
        expect(chunked.lines).toEqual(whole.lines);
        expect(whole.lines[1].trimEnd()).toBe('ИТОГО 54,90');
      }),
      { numRuns: 300 },
    );
  });
});
