import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** scrypt with N=2^14: ~30 ms per attempt here, with a per-user salt. */
const PARAMS = { N: 1 << 14, r: 8, p: 1 } as const;

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): { hash: Buffer; salt: Buffer } {
  return { hash: scryptSync(pin.normalize('NFKC'), salt, 32, PARAMS), salt };
}

export function verifyPin(pin: string, hash: Buffer, salt: Buffer): boolean {
  const candidate = scryptSync(pin.normalize('NFKC'), salt, 32, PARAMS);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

export const MAX_PIN_FAILURES = 5;

/** Lockout after repeated failures: 30 s, doubling with each further failure, at most 15 minutes. */
export function lockoutMs(failures: number): number {
  if (failures < MAX_PIN_FAILURES) return 0;
  return Math.min(30_000 * 2 ** (failures - MAX_PIN_FAILURES), 15 * 60_000);
}
