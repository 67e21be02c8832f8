import { FiscalError } from '../registrar.js';
import { parseAtolDateTime, roublesToMinor } from './units.js';

/**
 * Reading the web server's JSON defensively: whatever arrives (truncated, hostile, a different
 * driver version), the only thing that escapes is FiscalError('protocol') naming the field.
 */
export type Obj = Record<string, unknown>;

export function bad(what: string): FiscalError {
  return new FiscalError('protocol', `ATOL answer not understood: ${what}`);
}

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${path} is not an object`);
  return v as Obj;
}

export function optObj(v: unknown, path: string): Obj | null {
  return v === undefined || v === null ? null : obj(v, path);
}

export function int(v: unknown, path: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw bad(`${path} is not an integer ≥ ${min}`);
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw bad(`${path} is not a string`);
  return v;
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw bad(`${path} is not a boolean`);
  return v;
}

export function optBool(v: unknown, path: string): boolean {
  return v === undefined || v === null ? false : bool(v, path);
}

export function minor(v: unknown, path: string): number {
  const n = roublesToMinor(v);
  if (n === null) throw bad(`${path} is not an amount in roubles with at most 2 decimals`);
  return n;
}

export function time(v: unknown, path: string): number {
  const t = parseAtolDateTime(v);
  if (t === null) throw bad(`${path} is not a date-time`);
  return t;
}

export function optTime(v: unknown, path: string): number | null {
  return v === undefined || v === null || v === '' ? null : time(v, path);
}

/** ФПД: up to 10 decimal digits (a 32-bit number); drivers send it as a string, some as a number. */
export function fiscalSign(v: unknown, path: string): string {
  const s = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,10}$/.test(s)) throw bad(`${path} is not a fiscal sign`);
  return s;
}

export function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad(`not JSON (${text.length} bytes)`);
  }
}
