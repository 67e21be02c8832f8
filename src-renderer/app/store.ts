import { create } from 'zustand';
import type { ReceiptView, SystemInfo, UserView } from '../../src-common/rpc/schemas.js';

export type ConnectionState = 'connecting' | 'online' | 'offline';
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
  /** Preselected on the login screen after a reconnect. */
  lastUserId: number | null;
  receipt: ReceiptView | null;
  selectedLineId: string | null;
  /** The receipt screen after a sale. */
  completed: ReceiptView | null;
  dialog: Dialog;
  /** Product waiting for a weight before it is added (search → weighed item). */
  pendingProductId: number | null;
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
  pendingProductId: null,
  toast: null,
}));

let toastIds = 0;
export function showToast(text: string, kind: Toast['kind'] = 'error'): void {
  useApp.setState({ toast: { id: ++toastIds, text, kind } });
}

/** Show a new receipt state; keep the selection on the changed line (the last one for a new scan). */
export function setReceipt(receipt: ReceiptView | null, select: 'last' | 'keep' = 'keep'): void {
  const { selectedLineId } = useApp.getState();
  const ids = receipt?.lines.map((l) => l.id) ?? [];
  const selected = select === 'last' || !selectedLineId || !ids.includes(selectedLineId) ? (ids[ids.length - 1] ?? null) : selectedLineId;
  useApp.setState({ receipt, selectedLineId: selected });
}
