import { AppError, isErrorCode, type WireError } from '../errors.js';
import type { EventMap, EventTopic, MethodName, ParamsIn, Result } from './contract.js';
import type { RpcEvent, ServerMessage } from './wire.js';

/** The bytes underneath a client: a WebSocket, Electron IPC, or an in-process pipe. Text frames of JSON. */
export interface MessageLink {
  send(text: string): void;
  onMessage(cb: (text: string) => void): void;
  onClose(cb: (reason: string) => void): void;
  close(): void;
}

export class RpcError extends AppError {}

function toError(e: WireError): RpcError {
  return new RpcError(isErrorCode(e.code) ? e.code : 'internal', e.message, e.details);
}

/** Params may be left out when every field is optional (or there are none). */
type CallArgs<M extends MethodName> = Record<string, never> extends ParamsIn<M> ? [ParamsIn<M>?] : [ParamsIn<M>];

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Typed client for the contract: `call('checkout.scan', { code })` resolves to a ReceiptView. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventTopic, Set<(payload: never, seq: number) => void>>();
  private closed: string | null = null;
  lastEventSeq = 0;

  constructor(private readonly link: MessageLink) {
    link.onMessage((text) => this.receive(text));
    link.onClose((reason) => {
      this.closed = reason;
      for (const p of this.pending.values()) p.reject(new RpcError('internal', `connection closed: ${reason}`));
      this.pending.clear();
    });
  }

  call<M extends MethodName>(method: M, ...[params]: CallArgs<M>): Promise<Result<M>> {
    if (this.closed !== null) return Promise.reject(new RpcError('internal', `connection closed: ${this.closed}`));
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.link.send(JSON.stringify({ id, method, params: params ?? {} }));
    });
  }

  on<T extends EventTopic>(topic: T, cb: (payload: EventMap[T], seq: number) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(cb as (payload: never, seq: number) => void);
    return () => set.delete(cb as (payload: never, seq: number) => void);
  }

  close(): void {
    this.link.close();
  }

  private receive(text: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if ('event' in msg) {
      const ev = msg as RpcEvent;
      this.lastEventSeq = ev.seq;
      for (const cb of this.listeners.get(ev.event) ?? []) cb(ev.payload as never, ev.seq);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(toError(msg.error));
  }
}
