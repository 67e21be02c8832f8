import { v7 } from 'uuid';

/** Time-ordered UUIDv7: sortable by creation, unique across tills without coordination. */
export function newId(): string {
  return v7();
}
