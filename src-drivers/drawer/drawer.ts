/**
 * A cash drawer, whatever drives it: its own serial line (serial-drawer.ts) or a printer's
 * kick-out port (the printer's `drawer` block). Shaped like UnifiedPOS's CashDrawer: open it,
 * ask whether it is open.
 */
export type DrawerState = 'open' | 'closed' | 'unknown';

export interface DrawerStatus {
  state: DrawerState;
  /** Why the state is unknown (no sensor, no answer, not connected); absent when it is known. */
  message?: string;
}

export interface CashDrawer {
  /**
   * Fire the drawer. Rejects with a DeviceError when the command could not be sent (`offline`),
   * or when a drawer that reports its state does not report itself open afterwards (`timeout`).
   */
  open(): Promise<void>;
  /** The drawer's state now; never rejects: what cannot be known is 'unknown' with the reason. */
  status(): Promise<DrawerStatus>;
}
