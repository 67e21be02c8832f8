import { useEffect, useRef } from 'react';
import type { RpcClient } from '../../src-common/rpc/client.js';
import type { EventMap, EventTopic } from '../../src-common/rpc/contract.js';

type Listener = (payload: never) => void;

/**
 * Screens subscribe to backend events here, not on a connection: the connection is replaced after
 * every reconnect, and a subscription made before it must keep working on the next one.
 */
const listeners = new Map<EventTopic, Set<Listener>>();
let client: RpcClient | null = null;
/** The topics `client` already forwards (one forwarding handler per topic and connection). */
let forwarded = new Set<EventTopic>();

function forward(topic: EventTopic): void {
  if (!client || forwarded.has(topic)) return;
  forwarded.add(topic);
  client.on(topic, (payload) => {
    for (const cb of [...(listeners.get(topic) ?? [])]) cb(payload as never);
  });
}

/** rpc.ts hands over each new connection. */
export function attachEventSource(c: RpcClient): void {
  client = c;
  forwarded = new Set();
  for (const topic of listeners.keys()) forward(topic);
}

/** Call `cb` for every `topic` event, on this connection and the next ones; returns the unsubscribe. */
export function onEvent<T extends EventTopic>(topic: T, cb: (payload: EventMap[T]) => void): () => void {
  let set = listeners.get(topic);
  if (!set) {
    set = new Set();
    listeners.set(topic, set);
  }
  const listener = cb as Listener;
  set.add(listener);
  forward(topic);
  return () => set.delete(listener);
}

/** onEvent for as long as the component is mounted; `cb` may change between renders. */
export function useEvent<T extends EventTopic>(topic: T, cb: (payload: EventMap[T]) => void): void {
  const latest = useRef(cb);
  useEffect(() => {
    latest.current = cb;
  });
  useEffect(() => onEvent(topic, (p) => latest.current(p)), [topic]);
}

/**
 * useEvent for topics that come in bursts (a campaign's messages changing state): `cb` once, `ms`
 * after the last event of a burst; nothing after the component is gone.
 */
export function useSettledEvent(topic: EventTopic, cb: () => void, ms: number): void {
  const latest = useRef(cb);
  useEffect(() => {
    latest.current = cb;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = onEvent(topic, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => latest.current(), ms);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [topic, ms]);
}
