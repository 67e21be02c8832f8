import type { SyncErrorCode } from '../src-common/sync/protocol.js';

/** A refusal with its HTTP status and a protocol error code (`{ error: { code, message } }`). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
  }
}
