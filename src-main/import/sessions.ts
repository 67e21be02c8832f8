import { randomUUID } from 'node:crypto';
import { ImportFileError, type FileErrorCode, type ImportIssue } from './errors.js';
import type { VatTable } from './fields.js';
import { mapRows, previewImport, findHeader, guessMapping, applyOverride, type CandidateRow, type MappingOverride, type Preview } from './mapping.js';
import { readTabular, DEFAULT_LIMITS, type Sheet } from './tabular.js';
import { listPriceTypes, readCommerceML, type CmlResult } from './commerceml.js';

/** The largest file the till takes in (the reader's own cap). */
export const MAX_IMPORT_BYTES = DEFAULT_LIMITS.maxBytes;
/** An upload nobody finished or used is forgotten after this long. */
const IDLE_MS = 30 * 60_000;

export type ImportState = 'uploading' | 'reading' | 'ready' | 'failed';

interface Session {
  id: string;
  userId: number;
  name: string;
  size: number;
  chunks: Buffer[];
  received: number;
  state: ImportState;
  rowsRead: number;
  sheet: Sheet | null;
  /** An XML file (CommerceML) is kept as it came until it is read with its pair. */
  xml: Buffer | null;
  cml: CmlResult | null;
  error: { code: string; message: string; details: Record<string, string | number | boolean | null> } | null;
  touchedAt: number;
}

export interface ImportStatus {
  id: string;
  name: string;
  state: ImportState;
  received: number;
  size: number;
  rowsRead: number;
  error: Session['error'];
}

export interface MappingChoice {
  headerRow?: number | null;
  override?: MappingOverride;
}

/**
 * Files being imported at this till: uploaded in chunks over the RPC (a command is synchronous and
 * its message small), read in the background once complete (reading a spreadsheet is
 * asynchronous), then previewed and applied by synchronous commands from the parsed sheet held
 * here. Nothing is written to the store until a command applies the good rows, in one transaction.
 * One file per user at a time; kept in memory only (a restart means uploading it again).
 */
export class ImportSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly deps: {
      now(): number;
      /** The state changed (reading finished or failed): tell the screens. */
      changed(status: ImportStatus): void;
      read?: typeof readTabular;
    },
  ) {}

  begin(userId: number, name: string, size: number): ImportStatus {
    if (size > MAX_IMPORT_BYTES) throw new ImportFileError('file_too_large', 'the file is too large', { limit: MAX_IMPORT_BYTES, size });
    if (size <= 0) throw new ImportFileError('file_empty', 'the file is empty');
    this.sweep();
    // A CommerceML pair (import.xml and offers.xml) is two uploads: keep the user's other XML file.
    const xml = /\.xml$/i.test(name);
    for (const s of this.sessions.values()) if (s.userId === userId && !(xml && s.xml !== null)) this.sessions.delete(s.id);
    const s: Session = {
      id: randomUUID(),
      userId,
      name,
      size,
      chunks: [],
      received: 0,
      state: 'uploading',
      rowsRead: 0,
      sheet: null,
      xml: null,
      cml: null,
      error: null,
      touchedAt: this.deps.now(),
    };
    this.sessions.set(s.id, s);
    return status(s);
  }

  /** The next piece of the file; pieces come in order (a resend of the last one is ignored). */
  append(userId: number, id: string, offset: number, bytes: Buffer): ImportStatus {
    const s = this.mine(userId, id);
    if (s.state !== 'uploading') throw new ImportFileError('upload_incomplete', 'the upload is already complete');
    if (offset + bytes.length <= s.received) return status(s);
    if (offset !== s.received) throw new ImportFileError('file_damaged', 'a piece of the file went missing on the way', { expected: s.received, offset });
    if (s.received + bytes.length > s.size) throw new ImportFileError('file_damaged', 'the file is longer than announced', { size: s.size });
    s.chunks.push(bytes);
    s.received += bytes.length;
    s.touchedAt = this.deps.now();
    return status(s);
  }

  /** All of it is here: read it in the background; the outcome arrives through `changed`. */
  finish(userId: number, id: string): ImportStatus {
    const s = this.mine(userId, id);
    if (s.state !== 'uploading') return status(s);
    if (s.received !== s.size) throw new ImportFileError('file_damaged', 'the file is not all here', { received: s.received, size: s.size });
    const bytes = Buffer.concat(s.chunks);
    s.chunks = [];
    if (/\.xml$/i.test(s.name) || bytes.subarray(0, 64).toString('latin1').trimStart().startsWith('<?xml')) {
      // CommerceML: read once its pair is named (commerceml()).
      s.xml = bytes;
      s.state = 'ready';
      return status(s);
    }
    s.state = 'reading';
    const read = this.deps.read ?? readTabular;
    void read(bytes, { fileName: s.name, onProgress: (n) => (s.rowsRead = n) }).then(
      (sheet) => {
        s.sheet = sheet;
        s.rowsRead = sheet.rows.length;
        s.state = 'ready';
        this.deps.changed(status(s));
      },
      (e: unknown) => {
        s.state = 'failed';
        s.error =
          e instanceof ImportFileError
            ? e.toWire()
            : { code: 'file_damaged', message: e instanceof Error ? e.message : String(e), details: {} };
        this.deps.changed(status(s));
      },
    );
    return status(s);
  }

  /**
   * Read a CommerceML exchange: `importXml` (the catalog) with its `offersXml` (prices, stock) when
   * there is one, at the chosen price type, in the background; the result stays with `importXml`'s
   * upload and the outcome arrives through `changed`.
   */
  commerceml(userId: number, importId: string, offersId: string | null, vat: VatTable, priceType: { id?: string; name?: string } | undefined): ImportStatus {
    const main = this.mine(userId, importId);
    const offers = offersId === null ? null : this.mine(userId, offersId);
    if (main.xml === null || (offers !== null && offers.xml === null)) throw new ImportFileError('file_format', 'a CommerceML exchange is XML files', { name: main.name });
    if (main.state === 'reading') return status(main);
    main.state = 'reading';
    main.cml = null;
    main.error = null;
    const offersXml = offers?.xml ?? null;
    void (async () => {
      // No price type chosen yet: the retail one if the exchange has it, else the first (the person may change it).
      let chosen = priceType;
      if (!chosen && offersXml) {
        const types = await listPriceTypes(offersXml);
        const retail = types.find((t) => /розн|retail/i.test(t.name)) ?? types[0];
        if (retail) chosen = { id: retail.id };
      }
      return readCommerceML({ importXml: main.xml!, ...(offersXml ? { offersXml } : {}) }, { vat, ...(chosen ? { priceType: chosen } : {}), onProgress: (n) => (main.rowsRead = n) });
    })().then(
      (r) => {
        main.cml = r;
        main.rowsRead = r.total;
        main.state = 'ready';
        this.deps.changed(status(main));
      },
      (e: unknown) => {
        main.state = 'failed';
        main.error = e instanceof ImportFileError ? e.toWire() : { code: 'file_damaged', message: e instanceof Error ? e.message : String(e), details: {} };
        this.deps.changed(status(main));
      },
    );
    return status(main);
  }

  /** A CommerceML exchange as read (null: this upload was not read as one). */
  commercemlResult(userId: number, id: string): CmlResult | null {
    const s = this.mine(userId, id);
    if (s.state === 'failed' && s.error) throw new ImportFileError(s.error.code as FileErrorCode, s.error.message, s.error.details);
    if (s.state !== 'ready') throw new ImportFileError('upload_incomplete', 'the file is still being read', { state: s.state });
    return s.cml;
  }

  status(userId: number, id: string): ImportStatus {
    return status(this.mine(userId, id));
  }

  /** The mapping screen: header, mapping, a sample of good rows and every refused row. */
  preview(userId: number, id: string, vat: VatTable, choice: MappingChoice, limit = 20): Preview {
    const sheet = this.sheet(userId, id);
    return previewImport(sheet, { vat, limit, ...(choice.headerRow !== undefined ? { headerRow: choice.headerRow } : {}), ...(choice.override ? { override: choice.override } : {}) });
  }

  /** Every good row with the mapping chosen, and the refused rows, to apply. */
  candidates(userId: number, id: string, vat: VatTable, choice: MappingChoice): { rows: CandidateRow[]; issues: ImportIssue[]; missingFields: string[] } {
    const sheet = this.sheet(userId, id);
    const guess = findHeader(sheet.rows);
    const headerRow = choice.headerRow !== undefined ? choice.headerRow : guess.headerRow;
    const header = headerRow === guess.headerRow ? guess.header : headerRow === null ? [] : (sheet.rows.find((r) => r.row === headerRow)?.cells ?? []);
    const mapping = applyOverride(headerRow === guess.headerRow ? guess.mapping : guessMapping(header), choice.override);
    const r = mapRows(sheet, { vat, mapping, headerRow, header });
    return { rows: r.rows, issues: r.issues, missingFields: r.missingFields };
  }

  drop(userId: number, id: string): void {
    const s = this.sessions.get(id);
    if (s && s.userId === userId) this.sessions.delete(id);
  }

  private sheet(userId: number, id: string): Sheet {
    const s = this.mine(userId, id);
    if (s.state === 'failed' && s.error) throw new ImportFileError(s.error.code as FileErrorCode, s.error.message, s.error.details);
    if (s.state !== 'ready') throw new ImportFileError('upload_incomplete', 'the file is still being read', { state: s.state });
    if (!s.sheet) throw new ImportFileError('file_format', 'this file is not a price list (CSV or XLSX)', { name: s.name });
    s.touchedAt = this.deps.now();
    return s.sheet;
  }

  private mine(userId: number, id: string): Session {
    const s = this.sessions.get(id);
    if (!s || s.userId !== userId) throw new ImportFileError('upload_missing', 'no such upload (it may have expired: choose the file again)', { importId: id });
    return s;
  }

  private sweep(): void {
    const now = this.deps.now();
    for (const s of this.sessions.values()) if (now - s.touchedAt > IDLE_MS && s.state !== 'reading') this.sessions.delete(s.id);
  }
}

function status(s: Session): ImportStatus {
  return { id: s.id, name: s.name, state: s.state, received: s.received, size: s.size, rowsRead: s.rowsRead, error: s.error };
}
