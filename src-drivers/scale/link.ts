import type { DeviceConnection } from '../common/connection.js';
import { DeviceError } from '../common/device.js';
import type { ParseEvent, StreamParser } from './stream.js';

/** What a request's answer handler decides about one frame (undefined: not an answer to it). */
export type Pick<T> = { value: T } | { fail: Error } | { retry: string };
export type Picker<F, T> = (frame: F) => Pick<T> | undefined;

export interface Ask<F> {
  /** Send `request` and wait for the first frame `pick` accepts. */
  request<T>(request: Uint8Array, pick: Picker<F, T>): Promise<T>;
  /** Send bytes that get no answer. */
  write(bytes: Uint8Array): Promise<void>;
}

export interface LinkOptions {
  answerTimeoutMs: number;
  retries: number;
  /** After a corrupt frame, how long the line must stay quiet before the request is sent again. */
  quietMs?: number;
}

/** One try that got no usable answer: retried by `transact`. */
class AttemptFailed extends Error {
  constructor(
    readonly heard: number,
    readonly corrupt: string | null,
  ) {
    super('attempt failed');
  }
}

/**
 * Request/answer over a `DeviceConnection`, one conversation at a time. A conversation (one or more
 * requests) is tried again as a whole when an answer does not come or cannot be read; after the
 * last try it fails with `timeout` if nothing at all came back, else with `protocol` (garbage, a
 * bad checksum, a wrong baud rate all look like that). A refused write fails at once (`offline`).
 */
export class FrameLink<F> {
  private sink: ((events: ParseEvent<F>[], bytes: number) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly detach: (() => void)[];

  constructor(
    private readonly conn: DeviceConnection,
    private readonly parser: StreamParser<F>,
    private readonly opts: LinkOptions,
  ) {
    this.detach = [
      conn.onData((chunk) => this.onData(chunk)),
      conn.onStatus((s) => {
        if (s.status === 'connected') parser.reset();
      }),
    ];
  }

  dispose(): void {
    for (const d of this.detach.splice(0)) d();
    this.sink = null;
  }

  /**
   * Run `conversation`, retried up to `retries` more times. With a `deadline` (epoch ms), no try
   * starts after it and none waits past it.
   */
  transact<T>(conversation: (ask: Ask<F>) => Promise<T>, deadline?: number): Promise<T> {
    const run = this.queue.then(() => this.tryAll(conversation, deadline));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async tryAll<T>(conversation: (ask: Ask<F>) => Promise<T>, deadline: number | undefined): Promise<T> {
    let heard = 0;
    let corrupt: string | null = null;
    let tries = 0;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (deadline !== undefined && deadline - Date.now() <= 0) break;
      tries++;
      const ask: Ask<F> = {
        request: (request, pick) => this.ask(request, pick, deadline),
        write: (bytes) => this.write(bytes),
      };
      try {
        return await conversation(ask);
      } catch (e) {
        if (!(e instanceof AttemptFailed)) throw e;
        heard += e.heard;
        corrupt = e.corrupt ?? corrupt;
      }
    }
    if (tries === 0) throw new DeviceError('timeout', 'no time was left to ask the scale');
    const per = `${tries} ${tries === 1 ? 'try' : 'tries'}`;
    if (corrupt !== null || heard > 0) {
      const what = corrupt ?? `${heard} bytes that are no valid answer`;
      throw new DeviceError('protocol', `the scale's answers cannot be read: ${what} (${per}; check the protocol and baud rate)`);
    }
    throw new DeviceError('timeout', `the scale does not answer (${per} of ${this.opts.answerTimeoutMs} ms)`);
  }

  private async write(bytes: Uint8Array): Promise<void> {
    try {
      await this.conn.write(bytes);
    } catch (e) {
      throw e instanceof DeviceError ? e : new DeviceError('offline', e instanceof Error ? e.message : String(e));
    }
  }

  private ask<T>(request: Uint8Array, pick: Picker<F, T>, deadline: number | undefined): Promise<T> {
    const waitMs = Math.max(0, Math.min(this.opts.answerTimeoutMs, deadline === undefined ? Infinity : deadline - Date.now()));
    const quietMs = Math.min(this.opts.quietMs ?? 30, waitMs);
    return new Promise<T>((resolve, reject) => {
      let heard = 0;
      let corrupt: string | null = null;
      let quiet: ReturnType<typeof setTimeout> | null = null;
      let settled = false;
      const finish = (then: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (quiet) clearTimeout(quiet);
        if (this.sink === sink) this.sink = null;
        then();
      };
      const giveUp = (): void => finish(() => reject(new AttemptFailed(heard, corrupt)));
      const timer = setTimeout(giveUp, waitMs);
      const sink = (events: ParseEvent<F>[], bytes: number): void => {
        heard += bytes;
        for (const ev of events) {
          if (ev.kind === 'corrupt') {
            corrupt = ev.reason;
            continue;
          }
          let p: Pick<T> | undefined;
          try {
            p = pick(ev.frame);
          } catch (e) {
            p = { retry: e instanceof Error ? e.message : String(e) };
          }
          if (p === undefined) continue;
          if ('value' in p) {
            const value = p.value;
            return finish(() => resolve(value));
          }
          if ('fail' in p) {
            const failure = p.fail;
            return finish(() => reject(failure));
          }
          corrupt = p.retry;
        }
        // A bad answer: wait until the line is quiet (the rest of it may still be arriving), then try again.
        if (corrupt !== null) {
          if (quiet) clearTimeout(quiet);
          quiet = setTimeout(giveUp, quietMs);
        }
      };
      this.sink = sink;
      this.parser.reset();
      this.write(request).catch((e: unknown) => finish(() => reject(e instanceof Error ? e : new Error(String(e)))));
    });
  }

  private onData(chunk: Uint8Array): void {
    let events: ParseEvent<F>[];
    try {
      events = this.parser.push(chunk);
    } catch {
      this.parser.reset();
      events = [];
    }
    this.sink?.(events, chunk.length);
  }
}
