/**
 * A retail scale as the till sees it. Only a `stable` reading (or the result of `readStable`) is
 * a weight that may be sold; the other outcomes say why there is none, and are never turned into
 * grams by a driver. Transport problems are `DeviceError`s: `timeout` (nothing came back),
 * `protocol` (something came back that is not a valid answer), `offline`, `unsupported`, `busy`.
 */
export type ScaleProtocol = 'toledo8217' | 'cas' | 'massak100';

export type ScaleReading =
  /** `net`: true when a tare is in effect; absent when the protocol does not say. 0 g is a reading, not a sale. */
  | { kind: 'stable'; grams: number; net?: boolean }
  /** Still moving; `grams` when the scale sends a figure while moving, else null. */
  | { kind: 'unstable'; grams: number | null }
  /** Over the scale's capacity. */
  | { kind: 'overload' }
  /** Below zero (a negative gross or net weight). */
  | { kind: 'underload'; grams: number | null }
  /** The scale answered with a state that carries no weight (an error code, outside zero range, …). */
  | { kind: 'fault'; detail: string };

export type NoWeight = Exclude<ScaleReading, { kind: 'stable' }>;

export interface StableWeight {
  grams: number;
  stable: true;
  net?: boolean;
}

export interface ScaleCapabilities {
  tare: boolean;
  zero: boolean;
  clearTare: boolean;
}

export interface Scale {
  readonly protocol: ScaleProtocol;
  readonly capabilities: ScaleCapabilities;
  /** One reading, whatever the scale's state. */
  read(): Promise<ScaleReading>;
  /**
   * Poll until the scale reports a stable weight, for at most `timeoutMs`. Rejects with a
   * `ScaleWeightError` when the scale answered but never with a stable weight (moving, over
   * capacity, below zero, a fault: the last state it reported), and with a `DeviceError`
   * (`timeout`: "the scale does not answer"; `protocol`: unreadable answers) otherwise.
   */
  readStable(timeoutMs: number): Promise<StableWeight>;
  /** Rejects with `DeviceError('unsupported')` when the protocol has no such command. */
  tare(): Promise<void>;
  zero(): Promise<void>;
  clearTare(): Promise<void>;
  /** Stop listening to the connection (the connection itself belongs to the caller). */
  dispose(): void;
}

/** Options every scale driver takes. */
export interface ScaleOptions {
  /** How long one request may go unanswered. */
  answerTimeoutMs?: number;
  /** Further tries after an unanswered or unreadable request (so `retries + 1` tries in all). */
  retries?: number;
  /** Pause between polls while waiting for a stable weight. */
  pollMs?: number;
  /**
   * Consecutive identical stable readings `readStable` needs. 2 by default on protocols whose
   * frames carry no checksum, so one corrupted digit is not sold; 1 where a checksum guards it.
   */
  confirmReadings?: number;
  /** The scale's Max. A reading above it is `overload` whatever the frame says. */
  capacityGrams?: number;
}

const PROBLEM_TEXT: Record<NoWeight['kind'], string> = {
  unstable: 'the weight did not settle',
  overload: 'the load is over the scale capacity',
  underload: 'the scale shows less than zero: re-zero it',
  fault: 'the scale reports a fault',
};

/** The scale answered, but not with a weight that can be sold. */
export class ScaleWeightError extends Error {
  override readonly name = 'ScaleWeightError';
  constructor(readonly reading: NoWeight) {
    super(reading.kind === 'fault' ? `${PROBLEM_TEXT.fault}: ${reading.detail}` : PROBLEM_TEXT[reading.kind]);
  }

  get problem(): NoWeight['kind'] {
    return this.reading.kind;
  }
}

/** Apply a configured capacity: nothing above Max is ever a weight. */
export function capReading(r: ScaleReading, capacityGrams: number | undefined): ScaleReading {
  if (capacityGrams === undefined) return r;
  if ((r.kind === 'stable' || r.kind === 'unstable') && r.grams !== null && r.grams > capacityGrams) return { kind: 'overload' };
  return r;
}
