import { randomUUID } from 'node:crypto';
import { toCsv, toXlsx, type ExportTable } from './export.js';

const KEEP_MS = 10 * 60_000;

interface ExportFile {
  id: string;
  userId: number;
  name: string;
  state: 'building' | 'ready' | 'failed';
  bytes: Buffer | null;
  error: string | null;
  createdAt: number;
}

export interface ExportStatus {
  id: string;
  name: string;
  state: 'building' | 'ready' | 'failed';
  size: number;
  error: string | null;
}

/**
 * Files made for download (stock levels, a document) in CSV or XLSX: built from rows read in the
 * command (an XLSX is written in the background), then fetched in pieces that fit one RPC message.
 * Kept in memory for a few minutes.
 */
export class ExportFiles {
  private readonly files = new Map<string, ExportFile>();

  constructor(private readonly now: () => number) {}

  create(userId: number, baseName: string, format: 'csv' | 'xlsx', table: ExportTable): ExportStatus {
    this.sweep();
    const f: ExportFile = { id: randomUUID(), userId, name: `${baseName}.${format}`, state: 'building', bytes: null, error: null, createdAt: this.now() };
    this.files.set(f.id, f);
    if (format === 'csv') {
      f.bytes = Buffer.from(toCsv(table));
      f.state = 'ready';
    } else {
      void toXlsx(table).then(
        (bytes) => {
          f.bytes = Buffer.from(bytes);
          f.state = 'ready';
        },
        (e: unknown) => {
          f.state = 'failed';
          f.error = e instanceof Error ? e.message : String(e);
        },
      );
    }
    return status(f);
  }

  /** A piece of a ready file from `offset` (base64); `done` with the last one. */
  chunk(userId: number, id: string, offset: number, max: number): ExportStatus & { data: string; done: boolean } {
    const f = this.files.get(id);
    if (!f || f.userId !== userId) return { id, name: '', state: 'failed', size: 0, error: 'missing', data: '', done: true };
    if (f.state !== 'ready' || !f.bytes) return { ...status(f), data: '', done: false };
    const piece = f.bytes.subarray(offset, offset + max);
    const done = offset + piece.length >= f.bytes.length;
    if (done) this.files.delete(id);
    return { ...status(f), data: piece.toString('base64'), done };
  }

  private sweep(): void {
    const now = this.now();
    for (const f of this.files.values()) if (now - f.createdAt > KEEP_MS) this.files.delete(f.id);
  }
}

function status(f: ExportFile): ExportStatus {
  return { id: f.id, name: f.name, state: f.state, size: f.bytes?.length ?? 0, error: f.error };
}
