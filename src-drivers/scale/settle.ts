import { DeviceError } from '../common/device.js';
import { ScaleWeightError, type NoWeight, type ScaleReading, type StableWeight } from './scale.js';

export interface SettleOptions {
  pollMs: number;
  /** Consecutive identical stable readings needed. */
  confirm: number;
}

/**
 * Poll `readUntil` until the scale reports the same stable weight `confirm` times in a row, for at
 * most `timeoutMs`. A confirming reading is asked for at once: it guards against a corrupted
 * frame, not against the goods moving (the scale's own stable flag does that).
 */
export async function settle(readUntil: (deadline: number) => Promise<ScaleReading>, timeoutMs: number, opts: SettleOptions): Promise<StableWeight> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let last: ScaleReading | null = null;
  let streak = 0;
  for (;;) {
    if (Date.now() >= deadline && last !== null) break;
    let r: ScaleReading;
    try {
      r = await readUntil(deadline);
    } catch (e) {
      // Time ran out in the middle of a request while the scale had been answering: report what it said.
      if (last !== null && e instanceof DeviceError && e.code === 'timeout' && Date.now() >= deadline) break;
      throw e;
    }
    if (r.kind === 'stable') {
      streak = last?.kind === 'stable' && last.grams === r.grams && last.net === r.net ? streak + 1 : 1;
      last = r;
      if (streak >= Math.max(1, opts.confirm)) return r.net === undefined ? { grams: r.grams, stable: true } : { grams: r.grams, stable: true, net: r.net };
      continue;
    }
    streak = 0;
    last = r;
    const wait = Math.min(opts.pollMs, deadline - Date.now());
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  throw new ScaleWeightError(noWeight(last));
}

function noWeight(r: ScaleReading): NoWeight {
  // A stable weight not yet confirmed when time ran out is not a weight either.
  return r.kind === 'stable' ? { kind: 'unstable', grams: r.grams } : r;
}
