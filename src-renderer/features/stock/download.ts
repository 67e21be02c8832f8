import { call, reportError } from '../../app/rpc.js';

/** Fetch an export piece by piece and hand it to the browser as a download. */
export async function downloadExport(params: { what: 'stock_levels' | 'stock_doc'; docId?: string; format: 'csv' | 'xlsx' }): Promise<void> {
  try {
    const started = await call('exports.create', params);
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < 100_000; i++) {
      const piece = await call('exports.chunk', { exportId: started.id, offset });
      if (piece.state === 'failed') throw new Error(piece.error ?? 'export failed');
      if (piece.state === 'building') {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const bytes = Uint8Array.from(atob(piece.data), (ch) => ch.charCodeAt(0));
      parts.push(bytes);
      offset += bytes.length;
      if (piece.done) break;
    }
    const type = params.format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = started.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    reportError(e);
  }
}
