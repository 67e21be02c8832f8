import { z } from 'zod';
import type { WireError } from '../errors.js';
import type { EventMap, EventTopic } from './contract.js';

/** Every message on every transport is one of these, as JSON. */
export const RequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown().optional(),
});
export type RpcRequest = z.infer<typeof RequestSchema>;

export type RpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };

export interface RpcEvent<T extends EventTopic = EventTopic> {
  event: T;
  seq: number;
  payload: EventMap[T];
}

export type ServerMessage = RpcResponse | RpcEvent;

/** Largest JSON message a transport accepts. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
