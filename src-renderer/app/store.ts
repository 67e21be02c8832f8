import { useEffect } from 'react';
import { create } from 'zustand';
import { setTimeZoneSource } from './format.js';
import type { Permission, Role, ProductView, ReceiptView, ShiftReport, ShiftView, SystemInfo, UserView } from '../../src-common/rpc/schemas.js';

/** `connecting` only before the first connection; after a loss it is `reconnecting` until back. */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting';
export type Dialog =
  | 'none'
  | 'qty'
  | 'price'
  | 'lineDiscount'
  | 'receiptDiscount'
  | 'payment'
  | 'parked'
  | 'cancel'
  | 'weighedQty'
  // Till operations (rendered by TillDialogs, on any screen).
  | 'tillMenu'
  | 'openShift'
  | 'closeShift'
  | 'cashIn'
  | 'cashOut';

/** The main area while logged in (the receipt screen after a sale or return wins over it). */
export type Screen = 'checkout' | 'returns' | 'report' | 'admin' | 'devices' | 'stock';

/** A gated command waiting for a manager's PIN: what the backend named in approval_required. */
export interface ApprovalRequest {
  id: number;
  action: Permission;
  binding: string;
  /** Why the previous approval did not fit (approval_invalid), shown above the PIN pad. */
  retry: 'used' | 'expired' | 'mismatch' | 'self' | null;
}

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
  /** The open shift; null when none is open; undefined until shift.current has answered. */
  shift: ShiftView | null | undefined;
  screen: Screen;
  /** The X or Z report on screen (screen 'report'). */
  report: ShiftReport | null;
  /** A sale to open on the returns screen (a scanned receipt code); consumed by the screen. */
  returnTarget: { receiptId: string; seq: number } | null;
  approval: ApprovalRequest | null;
  /** Who may do what (roles.matrix), read at login: which menu items to offer, who can approve. */
  matrix: { role: Role; permissions: Permission[] }[];
  /** Devices that are not working right now (from device.status events): shown in the top bar. */
  deviceProblems: Record<string, { name: string; status: string; message?: string }>;
  /** The weight on the scale as last reported (scale.changed), null before any report. */
  weight: { state: 'stable' | 'unstable' | 'overload' | 'underload' | 'fault' | 'unavailable'; grams: number | null } | null;
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
  shift: undefined,
  screen: 'checkout',
  report: null,
  returnTarget: null,
  approval: null,
  matrix: [],
  deviceProblems: {},
  weight: null,
}));

setTimeZoneSource(() => useApp.getState().info?.timeZone);

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
  useApp.setState({
    user: null,
    lastUserId: user?.id ?? lastUserId,
    dialog: 'none',
    pendingProduct: null,
    completed: null,
    query: '',
    shift: undefined,
    screen: 'checkout',
    report: null,
    returnTarget: null,
  });
}

let returnSeq = 0;
/** Open the returns screen, on the sale `receiptId` if given (a scanned receipt code). */
export function openReturns(receiptId: string | null = null): void {
  useApp.setState({
    screen: 'returns',
    completed: null,
    dialog: 'none',
    pendingProduct: null,
    query: '',
    returnTarget: receiptId ? { receiptId, seq: ++returnSeq } : null,
  });
}

/** Back to selling from the returns or report screen. */
export function toCheckout(): void {
  useApp.setState({ screen: 'checkout', report: null, returnTarget: null, completed: null, dialog: 'none' });
}

const NO_PERMISSIONS: Permission[] = [];

/**
 * The signed-in user's permissions, from the matrix read at login (the backend checks every call
 * again). A hook, so a menu opened before the matrix arrived fills in when it does.
 */
export function useMyPermissions(): Permission[] {
  return useApp((s) => s.matrix.find((m) => m.role === s.user?.role)?.permissions ?? NO_PERMISSIONS);
}

/**
 * Esc on a full screen (report, returns, back office) goes back to selling, unless a dialog or a
 * manager approval is open on top of it (those take their own Esc).
 */
export function useEscapeToCheckout(enabled = true): void {
  useEffect(() => {
    // Off while the screen has a dialog of its own open (its Esc closes that dialog only).
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const s = useApp.getState();
      if (e.code !== 'Escape' || e.defaultPrevented || s.dialog !== 'none' || s.approval) return;
      e.preventDefault();
      toCheckout();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
