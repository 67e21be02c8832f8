import { FiscalError, type FiscalErrorCode, type RegistrarMode } from '../registrar.js';

/**
 * The registrar's error byte → what the till does about it. On ФН-era firmware codes 01-20 are the
 * ФН's own codes (pyshtrih excepts.py `fs_codes`, used for every command when the device has a ФН);
 * from 0x21 up they are the registrar's. That is why 0x16 is "shift over 24 h" here although the
 * pre-ФН table reads it "shift not open" (DEVICES.md §5).
 *
 * `byMode`: the code says only "not in this mode" (0x73 on some firmware for a sale with the shift
 * closed): the driver reads the mode and decides (see `resolveByMode`).
 */
export interface ShtrihErrorInfo {
  code: FiscalErrorCode;
  blocking: boolean;
  message: string;
  byMode?: true;
}

const e = (code: FiscalErrorCode, message: string, blocking = false): ShtrihErrorInfo => ({ code, blocking, message });

export const SHTRIH_ERRORS: Readonly<Record<number, ShtrihErrorInfo>> = {
  // ФН range
  0x01: e('bad_data', 'the fiscal storage does not know the command or its parameters'),
  0x02: e('other', 'the fiscal storage is in the wrong state for this'),
  0x03: e('other', 'fiscal storage failure', true),
  0x04: e('other', 'fiscal storage crypto-processor failure', true),
  0x05: e('fn_expired', 'the fiscal storage has expired: replace it', true),
  0x06: e('fn_full', 'the fiscal storage archive is full: replace it', true),
  0x07: e('bad_data', 'wrong date or time in the registrar'),
  0x08: e('other', 'the fiscal storage has no such data'),
  0x09: e('bad_data', 'wrong parameter value for the fiscal storage'),
  0x10: e('bad_data', 'the TLV data is too large'),
  0x11: e('other', 'no transport connection to the ОФД'),
  0x12: e('fn_resource', 'the fiscal storage crypto-processor resource is used up', true),
  0x14: e('fn_resource', 'the fiscal storage resource is used up', true),
  0x15: e('ofd_overdue', 'documents waited too long for the ОФД: the fiscal storage is blocked until they are sent', true),
  0x16: e('shift_expired', 'the shift is over 24 hours: close it (Z report) and open a new one', true),
  0x17: e('bad_data', 'wrong time difference between two operations'),
  0x20: e('other', 'the ОФД message cannot be accepted'),
  // Registrar range
  0x33: e('bad_data', 'wrong parameters in the command'),
  0x37: e('unsupported', 'the registrar does not support this command'),
  0x3d: e('shift_not_open', 'the shift is not open'),
  0x45: e('bad_data', 'the payments are less than the receipt total'),
  0x46: e('bad_data', 'not enough cash in the drawer'),
  0x4a: e('document_open', 'a receipt is open: finish or cancel it first'),
  0x4e: e('shift_expired', 'the shift is over 24 hours: close it (Z report) and open a new one', true),
  0x4f: e('password', 'wrong registrar password'),
  0x50: e('busy', 'the registrar is still printing the previous command'),
  0x55: e('other', 'the receipt is closed: the operation is not possible'),
  0x58: e('waiting_continue', 'the registrar waits for the continue-printing command'),
  0x5e: e('bad_data', 'wrong operation'),
  0x6b: e('paper_out', 'no receipt paper'),
  0x6c: e('paper_out', 'no journal paper'),
  0x72: e('other', 'the command is not possible in this submode'),
  0x73: { ...e('other', 'the command is not possible in this mode'), byMode: true },
  0x8e: e('bad_data', 'the receipt total is zero'),
};

export function errorInfo(device: number): ShtrihErrorInfo {
  return SHTRIH_ERRORS[device] ?? e('other', `registrar error 0x${device.toString(16).padStart(2, '0')}`);
}

/**
 * For a "not in this mode" answer: the mode says what was meant. `cmd` is the refused command,
 * so opening a shift in an open shift reads as `shift_already_open`.
 */
export function resolveByMode(info: ShtrihErrorInfo, mode: RegistrarMode, isOpenShift: boolean): ShtrihErrorInfo {
  if (isOpenShift && (mode === 'shift_open' || mode === 'shift_expired')) return e('shift_already_open', 'the shift is already open');
  switch (mode) {
    case 'shift_closed':
      return e('shift_not_open', 'the shift is not open');
    case 'shift_expired':
      return SHTRIH_ERRORS[0x4e] ?? info;
    case 'document_open':
      return SHTRIH_ERRORS[0x4a] ?? info;
    case 'shift_open':
    case 'other':
      return info;
  }
}

export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

export function toFiscalError(device: number, cmd: number, info: ShtrihErrorInfo = errorInfo(device)): FiscalError {
  return new FiscalError(info.code, `${info.message} (command ${hex(cmd)}, error ${hex(device)})`, info.blocking, device);
}
