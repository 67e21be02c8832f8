import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { serveSerial, serveTcp, type RunningEmulator } from '../../src-drivers/emulators/serve.js';
import { CasEmulator } from '../../src-drivers/emulators/scale/cas.js';
import { MassaKEmulator } from '../../src-drivers/emulators/scale/massak100.js';
import type { Pan, ScaleFaults } from '../../src-drivers/emulators/scale/pan.js';
import { Toledo8217Emulator } from '../../src-drivers/emulators/scale/toledo8217.js';
import { CasScale, type CasOptions } from '../../src-drivers/scale/cas.js';
import { MassaKScale } from '../../src-drivers/scale/massak100.js';
import { ScaleWeightError, type Scale, type ScaleOptions } from '../../src-drivers/scale/scale.js';
import { Toledo8217Scale } from '../../src-drivers/scale/toledo8217.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import { PtyPair } from '../support/pty.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CAPACITY = 15_000;
/** Short enough that a silent scale is given up within seconds, long enough for a pty on a loaded CI machine. */
const TIMING = { answerTimeoutMs: 500, retries: 2, pollMs: 20 } satisfies ScaleOptions;
/** Noise with a false start of every protocol's frame in it. */
const GARBAGE = Uint8Array.of(0x00, 0xff, 0x02, 0x41, 0x0d, 0x01, 0x02, 0x06, 0xf8, 0x55, 0x13, 0x3f);

interface Emulated {
  pan: Pan;
  faults: ScaleFaults;
  feed(bytes: Uint8Array): Uint8Array;
}

interface Rig<E extends Emulated = Emulated, S extends Scale = Scale> {
  emulator: E;
  scale: S;
  served: RunningEmulator;
  conn: DeviceConnection;
}

async function overPty<E extends Emulated, S extends Scale>(emulator: E, makeScale: (conn: DeviceConnection) => S, baudRate: number): Promise<Rig<E, S>> {
  const pty = await PtyPair.start();
  cleanups.push(() => pty.dispose());
  const served = await serveSerial(emulator, pty.device, baudRate);
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate }), { minDelayMs: 50, maxDelayMs: 200 });
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(3_000);
  const scale = makeScale(conn);
  cleanups.push(() => scale.dispose());
  return { emulator, scale, served, conn };
}

const toledo = (opts = {}) =>
  overPty(new Toledo8217Emulator({ capacityGrams: CAPACITY, ...opts }), (c) => new Toledo8217Scale(c, { ...TIMING, commandTimeoutMs: 400 }), 9600);
const cas = (opts: CasOptions = {}) =>
  overPty(new CasEmulator({ capacityGrams: CAPACITY, ...(opts.bcc ? { bcc: opts.bcc } : {}) }), (c) => new CasScale(c, { ...TIMING, ...opts }), 9600);
const massak = () => overPty(new MassaKEmulator({ capacityGrams: CAPACITY }), (c) => new MassaKScale(c, { ...TIMING, capacityGrams: CAPACITY }), 57_600);

const PROTOCOLS: { name: string; rig: () => Promise<Rig>; tare: boolean }[] = [
  { name: 'Toledo 8217', rig: () => toledo(), tare: true },
  { name: 'CAS', rig: () => cas(), tare: false },
  { name: 'Massa-K protocol 100', rig: () => massak(), tare: true },
];

const weightProblem = (kind: string) => ({ name: 'ScaleWeightError', reading: expect.objectContaining({ kind }) });

describe.each(PROTOCOLS)('$name scale against its emulator over a socat pty', ({ rig }) => {
  it('reads a stable weight', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(1234);
    await expect(scale.readStable(1_000)).resolves.toMatchObject({ grams: 1234, stable: true });
    await expect(scale.read()).resolves.toMatchObject({ kind: 'stable', grams: 1234 });
  });

  it('unstable ×3, then stable: moving readings are never a weight, readStable waits them out', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(1234, { unstableReadings: 3 });
    const first = await scale.read();
    expect(first.kind).toBe('unstable');
    await expect(scale.readStable(1_500)).resolves.toMatchObject({ grams: 1234, stable: true });
    expect(emulator.pan.readings).toBeGreaterThanOrEqual(4);

    emulator.pan.sequence(Array.from({ length: 500 }, (_, i) => ({ grams: 1000 + (i % 7), stable: false })));
    const t0 = Date.now();
    const err = await scale.readStable(250).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScaleWeightError);
    expect(err).toMatchObject({ ...weightProblem('unstable'), message: 'the weight did not settle' });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('over capacity is an overload, never a weight', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(CAPACITY + 500);
    await expect(scale.read()).resolves.toEqual({ kind: 'overload' });
    await expect(scale.readStable(1_500)).rejects.toMatchObject(weightProblem('overload'));
  });

  it('a negative weight is an underload, never a weight', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(-150);
    await expect(scale.read()).resolves.toMatchObject({ kind: 'underload' });
    await expect(scale.readStable(1_500)).rejects.toMatchObject(weightProblem('underload'));
  });

  it('no answer: a timeout saying the scale does not answer, within the tries; then it answers again', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(1234);
    emulator.faults.silent = true;
    const t0 = Date.now();
    await expect(scale.readStable(10_000)).rejects.toMatchObject({ name: 'DeviceError', code: 'timeout', message: expect.stringMatching(/^the scale does not answer/) });
    expect(Date.now() - t0).toBeLessThan(5_000); // 3 tries × 500 ms, not the 10 s budget
    emulator.faults.silent = false;
    await expect(scale.readStable(1_000)).resolves.toMatchObject({ grams: 1234 });
  });

  it('a corrupted answer is asked again; corrupted every time it is a protocol error; a later good answer still works', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(1234);
    emulator.faults.corrupt(1);
    await expect(scale.read()).resolves.toMatchObject({ kind: 'stable', grams: 1234 });
    emulator.faults.corrupt();
    await expect(scale.read()).rejects.toMatchObject({ name: 'DeviceError', code: 'protocol', message: expect.stringMatching(/cannot be read/) });
    await expect(scale.readStable(500)).rejects.toMatchObject({ code: 'protocol' });
    emulator.faults.clear();
    await expect(scale.readStable(1_000)).resolves.toMatchObject({ grams: 1234 });
  });

  it('garbage before every answer does not hide the frame', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(2_500, { unstableReadings: 2 });
    emulator.faults.garbage = GARBAGE;
    await expect(scale.readStable(1_500)).resolves.toMatchObject({ grams: 2_500 });
  });

  it('concurrent calls take turns on the line', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(777);
    const all = await Promise.all([scale.read(), scale.readStable(1_000), scale.read()]);
    expect(all).toMatchObject([{ kind: 'stable', grams: 777 }, { grams: 777, stable: true }, { kind: 'stable', grams: 777 }]);
  });
});

describe.each(PROTOCOLS.filter((p) => p.tare))('$name tare and zero over a socat pty', ({ rig }) => {
  it('tare, net weight, container removed (underload), zero', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.place(200); // an empty container
    await scale.tare();
    await expect(scale.read()).resolves.toMatchObject({ kind: 'stable', grams: 0 });
    emulator.pan.place(1_434, { unstableReadings: 2 });
    await expect(scale.readStable(1_000)).resolves.toMatchObject({ grams: 1_234, stable: true });
    emulator.pan.place(0); // the container is taken off: below zero net
    await expect(scale.read()).resolves.toMatchObject({ kind: 'underload' });
    await expect(scale.readStable(200)).rejects.toMatchObject(weightProblem('underload'));

    emulator.pan.place(35); // drift on an empty pan
    await scale.zero();
    await expect(scale.readStable(500)).resolves.toMatchObject({ grams: 0 });
  });

  it('a tare while the load moves is refused, and said so', async () => {
    const { emulator, scale } = await rig();
    emulator.pan.sequence(Array.from({ length: 500 }, (_, i) => ({ grams: 300 + (i % 5), stable: false })));
    await expect(scale.tare()).rejects.toMatchObject({ name: 'DeviceError', code: 'busy', message: expect.stringMatching(/did not tare|refused to tare/) });
  });
});

describe('protocol specifics over a pty', () => {
  it('CAS: tare and zero are unsupported (the notes give it no such command)', async () => {
    const { scale } = await cas();
    expect(scale.capabilities).toEqual({ tare: false, zero: false, clearTare: false });
    await expect(scale.tare()).rejects.toMatchObject({ code: 'unsupported' });
    await expect(scale.zero()).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('Toledo: no bit 6 and no parity bit (an over-capacity status byte equal to STX), and clear tare', async () => {
    const { emulator, scale } = await toledo({ statusBit6: false, parityBit: false });
    emulator.pan.place(CAPACITY + 1);
    await expect(scale.read()).resolves.toEqual({ kind: 'overload' });
    emulator.pan.place(400);
    await scale.tare();
    await expect(scale.read()).resolves.toEqual({ kind: 'stable', grams: 0 });
    await scale.clearTare();
    await expect(scale.read()).resolves.toEqual({ kind: 'stable', grams: 400 });
    expect(emulator.requests.filter((r) => r !== 'W')).toEqual(['T', 'C']);
  });

  it('Toledo: with no checksum, a stable weight must read the same twice', async () => {
    const { emulator, scale } = await toledo();
    emulator.pan.place(1234);
    await scale.readStable(1_000);
    expect(emulator.requests).toEqual(['W', 'W']);
  });

  it('CAS with the BCC unchecked: a corrupted digit goes through one reading, but not readStable (two equal readings)', async () => {
    const { emulator, scale } = await cas({ bcc: 'none' });
    emulator.pan.place(1234);
    emulator.faults.corrupt(1);
    await expect(scale.read()).resolves.toEqual({ kind: 'stable', grams: 1235 }); // what BCC checking is for
    emulator.faults.corrupt(1);
    await expect(scale.readStable(1_000)).resolves.toEqual({ grams: 1234, stable: true });
  });

  it('CAS: each reading is ENQ, ACK, DC1, frame', async () => {
    const { emulator, scale } = await cas();
    emulator.pan.place(50);
    await scale.read();
    expect(emulator.requests).toEqual(['ENQ', 'DC1']);
  });

  it('Massa-K: a driver set to the other CRC variant gets a protocol error naming the CRC, not a timeout', async () => {
    const { scale } = await overPty(new MassaKEmulator({ capacityGrams: CAPACITY }), (c) => new MassaKScale(c, { ...TIMING, capacityGrams: CAPACITY, crc: 'xmodem' }), 57_600);
    await expect(scale.read()).rejects.toMatchObject({ code: 'protocol', message: expect.stringMatching(/CRC mismatch/) });
  });

  it('Massa-K: a refused zero is a busy error with the code', async () => {
    const { emulator, scale } = await massak();
    emulator.pan.place(90, { unstableReadings: 100 });
    await expect(scale.zero()).rejects.toMatchObject({ code: 'busy', message: expect.stringMatching(/refused to zero \(error code 0x08\)/) });
  });

  it('Massa-K: an adapter that echoes the request back does not fake the acknowledgement of a zero', async () => {
    const emulator = new MassaKEmulator({ capacityGrams: CAPACITY });
    const echoing = { pan: emulator.pan, faults: emulator.faults, feed: (b: Uint8Array) => Uint8Array.from([...b, ...emulator.feed(b)]) };
    const { scale } = await overPty(echoing, (c) => new MassaKScale(c, { ...TIMING, capacityGrams: CAPACITY }), 57_600);
    emulator.pan.place(90, { unstableReadings: 100 });
    await expect(scale.zero()).rejects.toMatchObject({ code: 'busy' });
    emulator.pan.place(40);
    await scale.zero();
    await expect(scale.read()).resolves.toMatchObject({ kind: 'stable', grams: 0 });
  });

  it('Massa-K over TCP', async () => {
    const emulator = new MassaKEmulator({ capacityGrams: CAPACITY });
    const served = await serveTcp(emulator);
    cleanups.push(() => served.stop());
    const conn = new DeviceConnection(() => new TcpTransport({ host: '127.0.0.1', port: served.port, connectTimeoutMs: 500 }), { minDelayMs: 50 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(2_000);
    const scale = new MassaKScale(conn, { ...TIMING, capacityGrams: CAPACITY });
    cleanups.push(() => scale.dispose());
    emulator.pan.place(1234, { unstableReadings: 3 });
    await expect(scale.readStable(1_000)).resolves.toEqual({ grams: 1234, stable: true, net: false });
  });

  it('readStable with no time at all says so, it does not blame the scale', async () => {
    const { scale } = await massak();
    await expect(scale.readStable(0)).rejects.toMatchObject({ code: 'timeout', message: 'no time was left to ask the scale' });
  });

  it('a scale whose cable is pulled: offline at once, not a timeout', async () => {
    const { scale, conn } = await massak();
    await conn.stop();
    await expect(scale.read()).rejects.toMatchObject({ code: 'offline' });
  });
});
