import type { FiscalStatus, RegistrarMode, RegistrarSubmode } from '../registrar.js';
import type { FnStatus, OfdStatus, ShortStatus } from './commands.js';

/** Mode low nibble (DEVICES.md §5): 2 open < 24 h, 3 open > 24 h, 4 closed, 8 document open. */
export function registrarMode(mode: number): RegistrarMode {
  switch (mode) {
    case 2:
      return 'shift_open';
    case 3:
      return 'shift_expired';
    case 4:
      return 'shift_closed';
    case 8:
      return 'document_open';
    default:
      return 'other';
  }
}

/** Submodes: 0 paper OK, 1/2 no paper, 3 waiting for B0, 4/5 printing. */
export function registrarSubmode(submode: number): RegistrarSubmode {
  if (submode === 1 || submode === 2) return 'paper_out';
  if (submode === 3) return 'waiting_continue';
  if (submode === 4 || submode === 5) return 'printing';
  return 'ok';
}

/** With mode 8, the high nibble: 0 sale, 2 return of sale (1/3 are purchases, which the till never makes). */
export function openDocumentKind(s: ShortStatus): FiscalStatus['openDocument'] {
  if (s.mode !== 8) return null;
  if (s.modeStatus === 0) return 'sale';
  if (s.modeStatus === 2) return 'return';
  return 'other';
}

/** The ФН blocks documents 30 days after the oldest one the ОФД has not confirmed (54-ФЗ). */
export const OFD_BLOCK_AFTER_MS = 30 * 24 * 3600_000;

export interface StatusParts {
  short: ShortStatus;
  fn: FnStatus;
  expiresAt: number | null;
  ofd: OfdStatus | null;
  shiftNumber: number;
  /** The registrar's clock, for judging expiry against its own idea of now. */
  now: number;
}

export function buildStatus(p: StatusParts): FiscalStatus {
  const mode = registrarMode(p.short.mode);
  const expired = p.expiresAt !== null && p.now >= p.expiresAt;
  const ofdOverdue = p.ofd?.oldestAt != null && p.now - p.ofd.oldestAt >= OFD_BLOCK_AFTER_MS;
  // lifeState bit 2: the fiscal mode is closed (archive only); warnings bit 7: critical ФН error.
  const dead = (p.fn.lifeState & 0x04) !== 0 || (p.fn.warnings & 0x80) !== 0;
  return {
    mode,
    openDocument: openDocumentKind(p.short),
    submode: registrarSubmode(p.short.submode),
    shiftNumber: p.shiftNumber,
    // The short and FN status carry no shift start time; reading it needs the shift-open document
    // (FF0A), which costs a search: left null ("unknown"), as the interface allows.
    shiftOpenedAt: null,
    fn: {
      lastDocumentNumber: p.fn.lastDocumentNumber,
      expiresAt: p.expiresAt,
      unsent: { count: p.ofd?.unsent ?? 0, oldestAt: p.ofd?.oldestAt ?? null },
      blocked: expired || ofdOverdue || dead,
    },
  };
}
