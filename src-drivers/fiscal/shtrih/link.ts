import type { DeviceConnection } from '../../common/connection.js';
import { FiscalError } from '../registrar.js';
import { ACK, ENQ, NAK, createShtrihParser, encodeCommand, parseAnswer, type LinkEvent, type ShtrihAnswer, type ShtrihParser } from './frame.js';
import { hex } from './errors.js';

export interface LinkTiming {
  /** How long to wait for the one-byte ACK/NAK after ENQ or after our frame. */
  byteTimeoutMs: number;
  /** How long to wait for an answer frame once the registrar took the command. */
  answerTimeoutMs: number;
  /** Tries for ENQ, for a command the registrar refused with NAK, and for an answer with a bad LRC. */
  retries: number;
}

/**
 * What the command does if it runs twice. `safe`: reads and idempotent commands, sent again after
 * any doubt. `once`: anything that makes a document or moves money: sent again only when the
 * registrar has said it did not take it (NAK, then NAK to ENQ), never after it may have run.
 */
export type Repeat = 'safe' | 'once';

/** A command the registrar may have executed, but whose answer never came (or came unreadable). */
export class OutcomeUnknown extends FiscalError {
  constructor(message: string) {
    super('timeout', message);
  }
}

type Want = (ev: LinkEvent) => boolean;

/** Stale answers drained before a command, beyond the ordinary tries (bounded: a babbling line must still fail). */
const MAX_STALE_ANSWERS = 4;

/**
 * The Shtrih-M ENQ/ACK/NAK conversation, one exchange at a time (DEVICES.md §5):
 *  1. ENQ until the registrar says NAK (ready); an ACK means an old answer is pending: read it,
 *     acknowledge it and drop it.
 *  2. Send the frame; ACK = taken (the answer follows), NAK = not taken.
 *  3. Read the answer frame, ACK it (NAK a bad LRC: the registrar sends it again).
 * When in doubt (no ACK, no answer) it asks with ENQ: ACK = the registrar has an answer for us
 * (the command was taken), NAK = it has none. A `once` command with no answer after it was
 * taken fails with `OutcomeUnknown` ('timeout'): the caller's recovery reads the ФН.
 */
export class ShtrihLink {
  private readonly parser: ShtrihParser = createShtrihParser();
  private inbox: LinkEvent[] = [];
  private wake: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly detach: (() => void)[];
  /** Bytes that arrived since the last `heard` reset: tells "silent" from "garbled". */
  private heard = 0;

  constructor(
    private readonly conn: DeviceConnection,
    private readonly timing: LinkTiming,
  ) {
    this.detach = [
      conn.onData((chunk) => {
        this.heard += chunk.length;
        let events: LinkEvent[];
        try {
          events = this.parser.push(chunk);
        } catch {
          this.parser.reset();
          events = [];
        }
        if (events.length === 0) return;
        this.inbox.push(...events);
        this.wake?.();
      }),
      conn.onStatus((s) => {
        if (s.status === 'connected') this.parser.reset();
      }),
    ];
  }

  dispose(): void {
    for (const d of this.detach.splice(0)) d();
    this.wake?.();
  }

  /** Run `fn` alone on the line (a receipt is many exchanges that must not interleave). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One command and its answer. The answer's error byte is the caller's business. */
  async exchange(cmd: number, data: ArrayLike<number>, repeat: Repeat, answerTimeoutMs = this.timing.answerTimeoutMs): Promise<ShtrihAnswer> {
    const bytes = encodeCommand(cmd, data);
    for (let attempt = 0; ; attempt++) {
      await this.ready(cmd);
      const taken = await this.send(bytes, cmd, repeat);
      if (taken === 'refused') {
        if (attempt < this.timing.retries) continue;
        throw new FiscalError('protocol', `the registrar did not take command ${hex(cmd)} intact (${attempt + 1} tries)`);
      }
      const answer = await this.readAnswer(cmd, answerTimeoutMs, taken === 'answered' ? this.takeFrame() : null);
      if (typeof answer === 'object') return answer;
      if (repeat === 'safe' && answer === 'lost' && attempt < this.timing.retries) continue;
      if (repeat === 'safe') {
        if (answer === 'garbled') throw new FiscalError('protocol', `the answers to command ${hex(cmd)} cannot be read (bad LRC every time)`);
        throw new FiscalError('timeout', `no answer to command ${hex(cmd)}`);
      }
      throw new OutcomeUnknown(`command ${hex(cmd)} was taken but no readable answer came: it may have run; read the fiscal storage before repeating it`);
    }
  }

  /** Step 1: a NAK to ENQ. Nothing has been sent yet, so every failure here is safe to report. */
  private async ready(cmd: number): Promise<void> {
    this.heard = 0;
    // Stale answers taken off the line do not use up the tries: after a noisy exchange the registrar
    // may have sent one answer several times, and the copies are still arriving.
    let stale = 0;
    for (let i = 0; i <= this.timing.retries; i++) {
      this.drop();
      await this.write(Uint8Array.of(ENQ));
      const ev = await this.next((e) => e.kind === 'ack' || e.kind === 'nak', this.timing.byteTimeoutMs);
      if (ev?.kind === 'nak') return;
      if (ev?.kind === 'ack') {
        // A stale answer (ours from before a lost ACK, or another program's): take it off the line.
        const drained = await this.readAnswer(cmd, this.timing.answerTimeoutMs, null, true);
        if (typeof drained === 'object' && stale++ < MAX_STALE_ANSWERS) i--;
      }
    }
    if (this.heard === 0) throw new FiscalError('offline', 'the registrar does not answer ENQ (no link, wrong port or baud rate)');
    throw new FiscalError('protocol', 'the registrar does not become ready (its answers to ENQ cannot be read)');
  }

  /** Step 2. 'taken' (ACK), 'answered' (the answer came without an ACK), 'refused' (NAK, confirmed by ENQ). */
  private async send(bytes: Uint8Array, cmd: number, repeat: Repeat): Promise<'taken' | 'answered' | 'refused'> {
    this.drop();
    await this.write(bytes);
    const first = await this.verdict();
    if (first === 'ack') return 'taken';
    if (first === 'frame') return 'answered';
    // A NAK, or nothing: ask whether it holds an answer for us. A NAK alone can be line noise, so
    // it counts only when ENQ confirms it. Silence then "no answer held" is a registrar that took
    // the command and lost power before answering, as much as one that never heard it.
    const probe = await this.probe();
    if (probe === 'pending') return 'taken';
    if (repeat === 'safe' || (probe === 'idle' && first === 'nak')) return 'refused';
    throw new OutcomeUnknown(`the registrar went silent after command ${hex(cmd)}: it may have run; read the fiscal storage before repeating it`);
  }

  /**
   * The registrar's one-byte reply. A NAK is held against an ACK or a frame that follows it within
   * the byte timeout: noise can forge a NAK, and taking a forged NAK for "not taken" would send a
   * command twice. A frame is left queued for readAnswer.
   */
  private async verdict(): Promise<'ack' | 'nak' | 'frame' | null> {
    const decisive = (e: LinkEvent): boolean => e.kind === 'ack' || e.kind === 'frame';
    const ev = await this.next((e) => decisive(e) || e.kind === 'nak', this.timing.byteTimeoutMs);
    if (ev === null) return null;
    const final = ev.kind === 'nak' ? ((await this.next(decisive, this.timing.byteTimeoutMs)) ?? ev) : ev;
    if (final.kind === 'frame') this.inbox.unshift(final);
    return final.kind === 'frame' ? 'frame' : final.kind === 'ack' ? 'ack' : 'nak';
  }

  /**
   * Step 3. 'lost': the registrar says it holds no answer (it rebooted, or dropped it); 'garbled':
   * answers kept coming unreadable; 'silent': it stopped answering ENQ.
   */
  private async readAnswer(cmd: number, timeoutMs: number, first: LinkEvent | null, stale = false): Promise<ShtrihAnswer | 'lost' | 'garbled' | 'silent'> {
    let bad = 0;
    let ev: LinkEvent | null = first;
    for (;;) {
      ev ??= await this.next((e) => e.kind === 'frame' || e.kind === 'corrupt' || e.kind === 'nak', timeoutMs);
      if (ev?.kind === 'frame') {
        const answer = parseAnswer(ev.body);
        await this.write(Uint8Array.of(ACK));
        if (stale) return answer ?? 'lost';
        if (answer && answer.cmd === cmd) return answer;
        ev = null; // an answer to something else: acknowledged and ignored
        continue;
      }
      if (ev?.kind === 'corrupt' && bad++ < this.timing.retries) {
        await this.write(Uint8Array.of(NAK));
        ev = null;
        continue;
      }
      // Silence, a NAK in the middle, or too many bad frames: does it still hold an answer?
      const probe = await this.probe();
      if (probe === 'pending' && bad++ < this.timing.retries) {
        ev = null;
        continue;
      }
      if (probe === 'idle') return 'lost';
      return probe === 'pending' ? 'garbled' : 'silent';
    }
  }

  /** ENQ: 'pending' (ACK: an answer is on its way), 'idle' (NAK: no answer held), 'silent'. */
  private async probe(): Promise<'pending' | 'idle' | 'silent'> {
    for (let i = 0; i <= this.timing.retries; i++) {
      this.drop();
      await this.write(Uint8Array.of(ENQ));
      const v = await this.verdict();
      if (v === 'ack' || v === 'frame') return 'pending';
      if (v === 'nak') return 'idle';
    }
    return 'silent';
  }

  private async write(bytes: Uint8Array): Promise<void> {
    try {
      await this.conn.write(bytes);
    } catch (e) {
      throw new FiscalError('offline', e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Before we speak: forget what is queued and any half-read frame (late bytes of an earlier
   * exchange). A noise STX with a large LEN would otherwise swallow the one-byte replies that follow.
   */
  private drop(): void {
    this.inbox = [];
    this.parser.reset();
  }

  private takeFrame(): LinkEvent | null {
    const i = this.inbox.findIndex((e) => e.kind === 'frame');
    return i < 0 ? null : (this.inbox.splice(i, 1)[0] ?? null);
  }

  /** The first queued or arriving event `want` accepts (others are dropped); null after `ms`. */
  private next(want: Want, ms: number): Promise<LinkEvent | null> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const check = (): void => {
        while (this.inbox.length > 0) {
          const ev = this.inbox.shift() as LinkEvent;
          if (want(ev)) {
            if (timer) clearTimeout(timer);
            this.wake = null;
            resolve(ev);
            return;
          }
        }
      };
      this.wake = check;
      timer = setTimeout(() => {
        if (this.wake === check) this.wake = null;
        resolve(null);
      }, ms);
      check();
    });
  }
}
