import { create } from 'zustand';
import type { ProductView, ReceiptView, SystemInfo, UserView } from '../../src-common/rpc/schemas.js';

/** `connecting` only before the first connection; after a loss it is `reconnecting` until back. */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting';
export type Dialog = 'none' | 'qty' | 'price' | 'lineDiscount' | 'receiptDiscount' | 'payment' | 'parked' | 'cancel' | 'weighedQty';

export interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

export interface AppState {
  connection: ConnectionState;
  info: SystemInfo | null;
  users: UserView[];
  user: UserView | null;
  /** Preselected on the login screen after a reconnect or a logout. */
  lastUserId: number | null;
  receipt: ReceiptView | null;
  selectedLineId: string | null;
  /** The receipt screen after a sale. */
  completed: ReceiptView | null;
  dialog: Dialog;
  /** A weighed product waiting for its weight before it is added (search or PLU → weighed item). */
  pendingProduct: ProductView | null;
  /** Text in the main scan/search input; cleared when a scanner burst lands there. */
  query: string;
  toast: Toast | null;
}

export const useApp = create<AppState>(() => ({
  connection: 'connecting',
  info: null,
  users: [],
  user: null,
  lastUserId: null,
  receipt: null,
  selectedLineId: null,
  completed: null,
  dialog: 'none',
  pendingProduct: null,
  query: '',
  toast: null,
}));

let toastIds = 0;
export function showToast(text: string, kind: Toast['kind'] = 'error'): void {
  useApp.setState({ toast: { id: ++toastIds, text, kind } });
}

export function dismissToast(): void {
  useApp.setState({ toast: null });
}

/** Show a new receipt state; keep the selection on the changed line (the last one for a new scan). */
export function setReceipt(receipt: ReceiptView | null, select: 'last' | 'keep' = 'keep'): void {
  const { selectedLineId } = useApp.getState();
  const ids = receipt?.lines.map((l) => l.id) ?? [];
  const keep = select === 'keep' && selectedLineId !== null && ids.includes(selectedLineId);
  useApp.setState({ receipt, selectedLineId: keep ? selectedLineId : (ids[ids.length - 1] ?? null) });
}

/** Back to the login screen, remembering who was at the till. */
export function toLogin(): void {
  const { user, lastUserId } = useApp.getState();
  useApp.setState({ user: null, lastUserId: user?.id ?? lastUserId, dialog: 'none', pendingProduct: null, completed: null, query: '' });
}
